package walkforward_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/store"
	"github.com/quantloop/quantloop/strategy"
	"github.com/quantloop/quantloop/sweep"
	"github.com/quantloop/quantloop/walkforward"
)

// follow signals, at every bar, long (dir 1) or short (dir -1).
type follow struct{ dir int }

func (f *follow) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	if f.dir > 0 {
		ctx.Signal(bar.Symbol, engine.TargetLong)
	} else {
		ctx.Signal(bar.Symbol, engine.TargetShort)
	}
	return nil
}

func (f *follow) Params() strategy.Params { return strategy.Params{"dir": strconv.Itoa(f.dir)} }

func init() {
	strategy.Register("wf-follow", func(p strategy.Params) (strategy.Strategy, error) {
		d := 1
		if s, ok := p["dir"]; ok {
			var err error
			if d, err = strconv.Atoi(s); err != nil || (d != 1 && d != -1) {
				return nil, fmt.Errorf("dir %q: want 1 or -1", s)
			}
		}
		return &follow{dir: d}, nil
	})
}

// closeAt is the generated close of bar i: up 1 a bar for 40 bars, then
// down 3 a bar.
func closeAt(i int) int64 {
	if i < 40 {
		return 100 + int64(i)
	}
	return 139 - 3*int64(i-39)
}

const bars = 80

// writeTrend writes the generated bars, one a day from 2021-01-01, and
// returns the file and the bar times.
func writeTrend(t *testing.T) (string, []time.Time) {
	var b strings.Builder
	b.WriteString("time,open,high,low,close,volume\n")
	var times []time.Time
	for i := range bars {
		day := time.Date(2021, 1, 1+i, 0, 0, 0, 0, time.UTC)
		times = append(times, day)
		o, c := closeAt(max(i-1, 0)), closeAt(i)
		fmt.Fprintf(&b, "%s,%d,%d,%d,%d,1000\n", day.Format("2006-01-02"), o, max(o, c), min(o, c), c)
	}
	path := filepath.Join(t.TempDir(), "TREND.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, times
}

// The best parameter changes half-way: long while prices rise, short once
// they fall. The chosen params per window are known in advance, and the
// one out-of-sample run's cash and position at each window boundary are
// those of trading each test span by hand, from the state the span before
// left, with its window's param. follow keeps no state of its own, so the
// warm-up of each window's instance (strategy.Warmer) changes nothing
// here: TestWalkForwardWarmInstances checks a strategy that keeps some.
func TestWalkForwardBestParamChanges(t *testing.T) {
	file, times := writeTrend(t)
	var base backtest.Config
	base.Data.Files = []string{file}
	base.Strategy.Name = "wf-follow"
	base.Sizing.Size = decimal.NewFromInt(10)
	base.Analysis.Benchmark.Off = true
	plan := walkforward.Plan{
		Base:      base,
		Space:     sweep.Space{Grid: []sweep.Dim{{Path: "strategy.params.dir", Values: []string{"1", "-1"}}}},
		Spec:      walkforward.Spec{Train: walkforward.Span{N: 20, Unit: walkforward.Bars}, Test: walkforward.Span{N: 10, Unit: walkforward.Bars}},
		Objective: "total_return",
	}
	ctx := context.Background()
	var results [2]*walkforward.Result
	for j, jobs := range []int{1, 3} {
		st, err := store.Open(filepath.Join(t.TempDir(), "wf.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if results[j], err = walkforward.Optimize(ctx, plan, st, walkforward.Options{Jobs: jobs}); err != nil {
			t.Fatal(err)
		}
	}
	res := results[0]
	// Windows test from bars 20, 30, ..., 70. The training spans [0,20),
	// [10,30) and [20,40) only rise: long. [30,50) rises 10 bars by 1 and
	// falls 10 by 3: short, as do [40,60) and [50,70).
	wantDir := []string{"1", "1", "1", "-1", "-1", "-1"}
	if len(res.Windows) != len(wantDir) {
		t.Fatalf("%d windows, want %d", len(res.Windows), len(wantDir))
	}
	var dirs []int
	for i, w := range res.Windows {
		if got := w.Params[0].Value; got != wantDir[i] {
			t.Errorf("window %d chose dir=%s, want %s", i+1, got, wantDir[i])
		}
		if w.TestStart != times[20+10*i] || w.TrainStart != times[10*i] {
			t.Errorf("window %d: train from %v, test from %v", i+1, w.TrainStart, w.TestStart)
		}
		d, _ := strconv.Atoi(w.Params[0].Value)
		dirs = append(dirs, d)
		if r := results[1].Windows[i]; r.Params[0] != w.Params[0] || r.IS != w.IS || r.RunID != w.RunID {
			t.Errorf("window %d differs with 3 jobs: %+v, %+v", i+1, r, w)
		}
	}

	oos, err := backtest.Run(ctx, res.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer oos.Close()

	// By hand: from bar 20 on, each bar's decision orders the difference
	// to dir×10 units, filled at the next bar's open, in the param of the
	// bar's window; the state each span leaves is the next span's start.
	pos, cash := int64(0), decimal.NewFromInt(100000)
	pending := int64(0)
	for w := range 6 {
		start := 20 + 10*w
		// The state at the boundary: the fills up to the bar before.
		gotPos, gotCash := stateBefore(oos.Fills, times[start])
		if gotPos != pos || !gotCash.Equal(cash) {
			t.Errorf("boundary %d (%s): run holds %d units and %s cash, by hand %d and %s",
				w+1, times[start].Format("2006-01-02"), gotPos, gotCash, pos, cash)
		}
		for i := start; i < start+10; i++ {
			if pending != 0 {
				pos += pending
				cash = cash.Sub(decimal.NewFromInt(pending * closeAt(i-1))) // the open of bar i
				pending = 0
			}
			if i < bars-1 {
				pending = int64(dirs[w])*10 - pos
			}
		}
	}
	if !oos.FinalCash.Equal(cash) {
		t.Errorf("final cash %s, by hand %s", oos.FinalCash, cash)
	}
	if gotPos, _ := stateBefore(oos.Fills, times[bars-1].Add(time.Hour)); gotPos != pos {
		t.Errorf("final position %d, by hand %d", gotPos, pos)
	}

	if err := walkforward.Evaluate(res, oos); err != nil {
		t.Fatal(err)
	}
	sum := walkforward.Summarize(res)
	if s := sum.Stability[0]; s.Distinct != 2 || s.Changes != 1 || s.Unchanged != 0.8 || !slices.Equal(s.Values, wantDir) {
		t.Errorf("stability %+v", s)
	}
}

// stateBefore returns the position and cash from the fills before t.
func stateBefore(fills []engine.FillEvent, t time.Time) (int64, decimal.Decimal) {
	pos, cash := int64(0), decimal.NewFromInt(100000)
	for _, f := range fills {
		if !f.Time.Before(t) {
			break
		}
		q := f.Quantity.IntPart() * int64(f.Side)
		pos += q
		cash = cash.Sub(f.Price.Mul(decimal.NewFromInt(q))).Sub(f.Commission)
	}
	return pos, cash
}

// Nelder–Mead chooses the same params for any number of jobs, and each
// window's in-sample objective is the Sharpe ratio of a run of those
// params over the training span.
func TestNelderMead(t *testing.T) {
	var base backtest.Config
	base.Data.Files = []string{"../testdata/daily/AAA.csv"}
	rs := []sweep.Range{{Path: "strategy.params.fast", Lo: 2, Hi: 20, Int: true}, {Path: "strategy.params.slow", Lo: 10, Hi: 60, Int: true}}
	plan := walkforward.Plan{Base: base, Space: sweep.Space{Ranges: rs}, Optimizer: walkforward.NelderMead, Evals: 20,
		Spec: walkforward.Spec{Train: walkforward.Span{N: 6, Unit: walkforward.Months}, Test: walkforward.Span{N: 6, Unit: walkforward.Months}}}
	ctx := context.Background()
	var got [2]*walkforward.Result
	for i, jobs := range []int{1, 2} {
		var err error
		if got[i], err = walkforward.Optimize(ctx, plan, nil, walkforward.Options{Jobs: jobs}); err != nil {
			t.Fatal(err)
		}
	}
	if len(got[0].Windows) != 3 {
		t.Fatalf("%d windows, want 3", len(got[0].Windows))
	}
	for i, w := range got[0].Windows {
		if o := got[1].Windows[i]; o.Params.String() != w.Params.String() || o.IS != w.IS {
			t.Errorf("window %d: %s %g with 1 job, %s %g with 2", i+1, w.Params, w.IS, o.Params, o.IS)
		}
		cfg := base
		cfg.Strategy.Params = strategy.Params{}
		for _, s := range w.Params {
			cfg.Strategy.Params[strings.TrimPrefix(s.Path, "strategy.params.")] = s.Value
		}
		cfg.Data.From = backtest.NewDate(w.TrainStart.Date())
		cfg.Data.To = backtest.NewDate(w.TrainEnd.Date())
		res, err := backtest.Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Metrics.Sharpe != w.IS {
			t.Errorf("window %d: in-sample %g, a run of %s over the training span has Sharpe %g", i+1, w.IS, w.Params, res.Metrics.Sharpe)
		}
		res.Close()
	}
}

// TestPrepareRefusals: Prepare refuses, before it reads the data or
// anything is stored, what Optimize would refuse for the plan's settings
// and space, and, having read the data, a plan too long for it.
func TestPrepareRefusals(t *testing.T) {
	var base backtest.Config
	base.Data.Files = []string{"../testdata/daily/AAA.csv"}
	grid := sweep.Space{Grid: []sweep.Dim{{Path: "strategy.params.fast", Values: []string{"5", "10"}}}}
	year := walkforward.Spec{Train: walkforward.Span{N: 1, Unit: walkforward.Years}, Test: walkforward.Span{N: 6, Unit: walkforward.Months}}
	from := base
	from.Data.From = backtest.NewDate(2020, 6, 1)
	scheduled := base
	scheduled.Strategy.Schedule = []string{"2021-01-01T00:00:00Z fast=5"}
	for _, c := range []struct {
		plan walkforward.Plan
		want string
	}{
		{walkforward.Plan{Base: base, Space: grid, Spec: year, Objective: "luck"}, `objective "luck"`},
		{walkforward.Plan{Base: from, Space: grid, Spec: year}, "data.from and data.to are the walk-forward's to set"},
		{walkforward.Plan{Base: scheduled, Space: grid, Spec: year}, "strategy.schedule is the walk-forward's to set"},
		{walkforward.Plan{Base: base, Space: sweep.Space{Grid: []sweep.Dim{{Path: "sizing.quantity", Values: []string{"1"}}}}, Spec: year},
			"sizing.quantity cannot vary"},
		{walkforward.Plan{Base: base, Space: grid, Spec: year, Optimizer: "hill"}, `optimizer "hill"`},
		{walkforward.Plan{Base: base, Space: sweep.Space{Ranges: []sweep.Range{{Path: "strategy.params.fast", Lo: 5, Hi: 20}}}, Spec: year,
			Optimizer: walkforward.NelderMead, Evals: -1}, "nelder-mead: -1 evaluations"},
		{walkforward.Plan{Base: base, Space: sweep.Space{Grid: grid.Grid, Where: "fast > 100"}, Spec: year}, "no configuration is left"},
		{walkforward.Plan{Base: base, Space: grid, Spec: walkforward.Spec{Train: walkforward.Span{N: 5, Unit: walkforward.Years}, Test: year.Test}},
			"too short for one window"},
	} {
		if _, err := walkforward.Prepare(context.Background(), c.plan); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Prepare: %v, want an error containing %q", err, c.want)
		}
	}
}
