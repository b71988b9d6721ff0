package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/store"
)

func TestParseGrid(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"strategy.params.fast=5:50:5", "5 10 15 20 25 30 35 40 45 50"},
		{"costs.commission.pct=0.1:0.3:0.1", "0.1 0.2 0.3"},
		{"x=1:10:4", "1 5 9"}, // the steps pass over the stop
		{"x=3:3:1", "3"},
		{"x=-1:1:1", "-1 0 1"},
	}
	for _, tt := range tests {
		d, err := ParseGrid(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got := strings.Join(d.Values, " "); got != tt.want || d.Path != strings.Split(tt.in, "=")[0] {
			t.Errorf("%s = %s %q, want %q", tt.in, d.Path, got, tt.want)
		}
	}
	for _, bad := range []string{"x", "x=1:2", "x=1:2:0", "x=5:1:1", "x=a:2:1", "=1:2:1", "x=0:1e9:1"} {
		if _, err := ParseGrid(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestParseGridCount: a grid's count of values is exact whatever its
// size, so one beyond MaxPoints is refused with that count, never
// enumerated; 2^64 steps must not wrap to one.
func TestParseGridCount(t *testing.T) {
	tests := []struct {
		in   string
		n    int    // values, when accepted
		want string // the error, when refused
	}{
		{in: "x=1:1000000:1", n: 1_000_000},
		{in: "x=0:0.999999:0.000001", n: 1_000_000},
		{in: "x=0:1000000:1", want: "1000001 values, more than the 1000000 a sweep may have"},
		{in: "x=0:18446744073709551616:1", want: "18446744073709551617 values"},
		{in: "x=0:36893488147419103232:2", want: "18446744073709551617 values"},
		{in: "x=0:1e30:1e-30", want: "1000000000000000000000000000000000000000000000000000000000001 values"},
	}
	for _, tt := range tests {
		d, err := ParseGrid(tt.in)
		switch {
		case tt.want == "" && (err != nil || len(d.Values) != tt.n):
			t.Errorf("%s: %d values, %v; want %d", tt.in, len(d.Values), err, tt.n)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %d values, error %v; want one containing %q", tt.in, len(d.Values), err, tt.want)
		}
	}
}

func TestParseRangeAndValues(t *testing.T) {
	r, err := ParseRange("strategy.params.fast=log:2:200")
	if err != nil || !r.Log || !r.Int || r.Lo != 2 || r.Hi != 200 {
		t.Fatalf("%+v, %v", r, err)
	}
	r, err = ParseRange("costs.slippage.bps=0.5:3")
	if err != nil || r.Log || r.Int {
		t.Fatalf("%+v, %v", r, err)
	}
	for _, bad := range []string{"x=3:1", "x=log:0:5", "x=1", "x=a:2", "x=0:100000000000000000000", "x=log:1:9007199254740994"} {
		if _, err := ParseRange(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	// 2^53, the largest whole number every smaller one of which a float64
	// holds, is the bound of a whole-number range.
	if r, err := ParseRange("x=-9007199254740992:9007199254740992"); err != nil || !r.Int {
		t.Errorf("a range of ±2^53: %+v, %v", r, err)
	}
	d, err := ParseValues("strategy.params.mode=long, longshort")
	if err != nil || fmt.Sprint(d.Values) != "[long longshort]" {
		t.Fatalf("%+v, %v", d, err)
	}
}

func TestPoints(t *testing.T) {
	s := Space{Grid: []Dim{{"a.fast", []string{"1", "2", "3"}}, {"a.slow", []string{"2", "3"}}}, Where: "fast < slow"}
	ps, err := s.Points()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := "a.fast=1 a.slow=2|a.fast=1 a.slow=3|a.fast=2 a.slow=3"
	if strings.Join(got, "|") != want {
		t.Fatalf("points %q, want %q", strings.Join(got, "|"), want)
	}
	if _, err := (Space{Grid: s.Grid, Where: "sharpe > 1"}).Points(); err == nil || !strings.Contains(err.Error(), "not a setting the sweep varies") {
		t.Errorf("where over a metric: %v", err)
	}
	if _, err := (Space{Grid: []Dim{{"a", []string{"1"}}, {"a", []string{"2"}}}}).Points(); err == nil {
		t.Error("a path varied twice")
	}
	// A Space made in Go rather than parsed gets the same checks.
	for _, tt := range []struct {
		s    Space
		want string
	}{
		{Space{Grid: []Dim{{"a", []string{"1"}}, {Path: "b"}}}, "b has no values"},
		{Space{Ranges: []Range{{Path: "n", Lo: 0, Hi: 1e20, Int: true}}, Random: 2}, "range of n: whole numbers beyond"},
		{Space{Ranges: []Range{{Path: "x", Lo: 0, Hi: 1, Log: true}}, Random: 2}, "range of x: a log range must be positive"},
		{Space{Ranges: []Range{{Path: "x", Lo: 2, Hi: math.NaN()}}, Random: 2}, "range of x: want finite LO <= HI"},
		{Space{Ranges: []Range{{Path: "n", Lo: 0.5, Hi: 3, Int: true}}, Random: 2}, "range of n: a whole-number range needs whole ends"},
		// 2 × 2^62 draws would wrap an int to a negative count.
		{Space{Grid: []Dim{{"a", []string{"1", "2"}}}, Ranges: []Range{{Path: "x", Lo: 0, Hi: 1}}, Random: 1 << 62}, "more than 1000000 configurations"},
		{Space{Grid: []Dim{{"a", []string{"1", "2"}}}, Ranges: []Range{{Path: "x", Lo: 0, Hi: 1}}, Random: 500_001}, "more than 1000000 configurations"},
	} {
		if ps, err := tt.s.Points(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %d points, %v; want an error containing %q", tt.s, len(ps), err, tt.want)
		}
	}
}

func TestRandomPoints(t *testing.T) {
	s := Space{Ranges: []Range{{Path: "p.n", Lo: 2, Hi: 5, Int: true}, {Path: "p.x", Lo: 1, Hi: 100, Log: true}}, Random: 200, Seed: 7}
	a, err := s.Points()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Points()
	if !reflect.DeepEqual(a, b) || len(a) != 200 {
		t.Fatal("the same seed drew different points")
	}
	s.Seed = 8
	c, _ := s.Points()
	if reflect.DeepEqual(a, c) {
		t.Fatal("two seeds drew the same points")
	}
	seen := map[string]bool{}
	below10 := 0
	for _, p := range a {
		n, _ := strconv.Atoi(p[0].Value)
		x, _ := strconv.ParseFloat(p[1].Value, 64)
		if n < 2 || n > 5 || x < 1 || x > 100 {
			t.Fatalf("draw %s out of its range", p)
		}
		seen[p[0].Value] = true
		if x < 10 {
			below10++
		}
	}
	// Every whole number of 2..5 is drawn; log-uniform on [1, 100] puts
	// half the draws below 10 (binomial(200, 0.5): 100 ± 7).
	if len(seen) != 4 || below10 < 70 || below10 > 130 {
		t.Fatalf("whole numbers drawn %v, %d of 200 log draws below 10", seen, below10)
	}
}

func basePlan(t *testing.T) Plan {
	t.Helper()
	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv", "../testdata/daily/BBB.csv"}
	if err := cfg.Set("strategy.params.mode", "longshort"); err != nil {
		t.Fatal(err)
	}
	return Plan{Base: cfg, Space: Space{Grid: []Dim{
		{"strategy.params.fast", []string{"5", "10", "15"}},
		{"strategy.params.slow", []string{"20", "40"}},
		{"costs.commission.pct", []string{"0", "0.1"}},
	}}}
}

func sweepInto(t *testing.T, path string, plan Plan, jobs int) (*Summary, []*store.Summary) {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum, err := Run(context.Background(), plan, st, Options{Jobs: jobs})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs(context.Background(), sum.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sum, runs
}

// TestSweepEqualsRunsAlone checks that every run of a sweep has the
// metrics of its configuration run alone with backtest.Run, whatever the
// number of jobs, and that a second sweep runs nothing.
func TestSweepEqualsRunsAlone(t *testing.T) {
	dir := t.TempDir()
	plan := basePlan(t)
	sum1, runs1 := sweepInto(t, filepath.Join(dir, "a.db"), plan, 1)
	sum4, runs4 := sweepInto(t, filepath.Join(dir, "b.db"), plan, 4)
	if sum1.Runs != 12 || sum1.Added != 12 || len(runs1) != 12 || sum1.ID != sum4.ID {
		t.Fatalf("summaries %+v %+v, %d runs", sum1, sum4, len(runs1))
	}
	if !reflect.DeepEqual(strip(runs1), strip(runs4)) {
		t.Fatal("--jobs 1 and --jobs 4 stored different runs")
	}
	if sum1.Stats.Trials != 12 {
		t.Fatalf("stats %+v", sum1.Stats)
	}

	for _, r := range runs1[:4] {
		var cfg backtest.Config
		cfg.Data.Files = plan.Base.Data.Files
		for _, p := range []string{"strategy.params.mode", "strategy.params.fast", "strategy.params.slow", "costs.commission.pct"} {
			if err := cfg.Set(p, r.Params[p]); err != nil {
				t.Fatal(err)
			}
		}
		res, err := backtest.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		alone, err := store.NewRun("", res, store.KeepThin, time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(alone.Metrics, r.Metrics) {
			for k, v := range alone.Metrics {
				if r.Metrics[k] != v {
					t.Errorf("run %s: %s = %v in the sweep, %v alone", r.ID[:8], k, r.Metrics[k], v)
				}
			}
		}
	}

	sum, _ := sweepInto(t, filepath.Join(dir, "a.db"), plan, 2)
	if sum.Added != 0 || sum.Skipped != 12 {
		t.Fatalf("second sweep: %+v", sum)
	}
}

// strip leaves out what is not the same in two stores by design (none:
// the listing holds no wall-clock value) and returns the runs as values.
func strip(runs []*store.Summary) []store.Summary {
	out := make([]store.Summary, len(runs))
	for i, r := range runs {
		out[i] = *r
	}
	return out
}

// TestShardsMerge checks that the shards of a sweep, merged, are the
// sweep run on one machine.
func TestShardsMerge(t *testing.T) {
	dir := t.TempDir()
	plan := basePlan(t)
	_, whole := sweepInto(t, filepath.Join(dir, "whole.db"), plan, 2)
	merged, err := store.Open(filepath.Join(dir, "merged.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer merged.Close()
	total := 0
	var id string
	for i := 1; i <= 3; i++ {
		p := plan
		p.Shard, p.Shards = i, 3
		path := filepath.Join(dir, fmt.Sprintf("shard%d.db", i))
		sum, runs := sweepInto(t, path, p, 1)
		if sum.Selected != 4 || len(runs) != 4 {
			t.Fatalf("shard %d: %+v, %d runs", i, sum, len(runs))
		}
		total += len(runs)
		id = sum.ID
		if err := merged.Merge(context.Background(), path); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := merged.Analyze(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	got, err := merged.Runs(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if total != 12 || !reflect.DeepEqual(strip(got), strip(whole)) {
		t.Fatalf("merged shards (%d runs) differ from the whole sweep", len(got))
	}
}

func TestPlanErrors(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tests := []struct {
		edit func(*Plan)
		msg  string
	}{
		{func(p *Plan) { p.Space.Grid = append(p.Space.Grid, Dim{"data.timezone", []string{"UTC"}}) }, "data.timezone cannot vary"},
		{func(p *Plan) { p.Space.Grid[0] = Dim{"strategy.params.fast", []string{"x"}} }, "strategy.params.fast=x"},
		{func(p *Plan) { p.Space.Grid[0] = Dim{"account.cahs", []string{"1"}} }, "unknown setting"},
		{func(p *Plan) { p.Shard, p.Shards = 4, 3 }, "shard 4/3"},
		{func(p *Plan) { p.Space.Where = "fast > 100" }, "no configuration is left"},
	}
	for _, tt := range tests {
		p := basePlan(t)
		tt.edit(&p)
		_, err := Run(context.Background(), p, st, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("error %v, want one containing %q", err, tt.msg)
		}
	}
	runs, _ := st.Runs(context.Background(), "")
	if len(runs) != 0 {
		t.Fatalf("a refused plan stored %d runs", len(runs))
	}
}

func TestProgress(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var seen []Progress
	record := func(p Progress) { seen = append(seen, p) }
	plan := basePlan(t)
	plan.Shard, plan.Shards = 1, 2 // 6 runs
	if _, err := Run(context.Background(), plan, st, Options{Jobs: 2, Progress: record}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 7 || seen[0].Done != 0 || !math.IsNaN(seen[0].BestSharpe) || seen[6].Done != 6 {
		t.Fatalf("progress of the first shard %+v", seen)
	}
	best1 := seen[6].BestSharpe
	plan.Shards = 0 // all 12: 6 stored already
	seen = nil
	if _, err := Run(context.Background(), plan, st, Options{Jobs: 2, Progress: record}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 7 || seen[0].Done != 6 || seen[0].Skipped != 6 || seen[6].Done != 12 || seen[6].Total != 12 {
		t.Fatalf("progress %+v", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Done != seen[i-1].Done+1 || seen[i].BestSharpe < seen[i-1].BestSharpe {
			t.Fatalf("progress not monotone: %+v", seen)
		}
	}
	runs, _ := st.Runs(context.Background(), "")
	best := math.Inf(-1)
	for _, r := range runs {
		best = math.Max(best, r.Metrics["sharpe"].Num)
	}
	if got := math.Max(best1, seen[6].BestSharpe); got != best {
		t.Fatalf("best sharpe of the two calls %v, of the store %v", got, best)
	}
}

// TestPrepareInterrupted: a Prepare stopped through its context builds no
// more configs and says it was interrupted.
func TestPrepareInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p, err := Prepare(ctx, basePlan(t), 2); p != nil || !errors.Is(err, engine.ErrInterrupted) {
		t.Fatalf("Prepare after its context ended: %v, %v; want an error wrapping engine.ErrInterrupted", p, err)
	}
	if p, err := Prepare(context.Background(), basePlan(t), 2); err != nil || p.Runs() != 12 {
		t.Fatalf("Prepare: %v runs, %v; want 12", p, err)
	}
}
