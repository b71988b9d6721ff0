package backtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/strategy"
)

// cancelAt is a Sink that cancels the run's context at its n-th equity
// point.
type cancelAt struct {
	collector
	n      int
	cancel context.CancelFunc
}

func (c *cancelAt) WriteEquity(p *EquityPoint) error {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.collector.WriteEquity(p)
}

// TestReadAheadEnds: a run that reads its files ahead ends its reading
// goroutine however it ends: interrupted while the read-ahead is far
// ahead, or at a bad row, whose error names the file and line and comes
// after the bars before it, which the run processed.
func TestReadAheadEnds(t *testing.T) {
	dir := t.TempDir()
	paths, err := data.GenerateFiles(dir, data.GenOptions{Symbols: []string{"A", "B"}, Bars: 20000, Interval: time.Minute, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	// Line 5001 holds a negative close.
	bad := badCopy(t, paths[1], filepath.Join(dir, "bad"), func(lines []string) []string {
		return slices.Insert(lines, 5000, "2099-01-01 09:30:00,1,1,1,-1,1\n")
	})
	before := runtime.NumGoroutine()

	cfg := DefaultConfig()
	cfg.Data.Files = paths
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := &cancelAt{n: 100, cancel: cancel}
	res, err := Options{Sink: sink}.Run(ctx, cfg)
	if !errors.Is(err, engine.ErrInterrupted) || res == nil || res.Stats.Timestamps >= 20000 {
		t.Fatalf("interrupted run: %v, %+v", err, res)
	}
	res.Close()
	if n := testkit.SettledGoroutines(before); n > before {
		t.Errorf("%d goroutines after the interrupted run, %d before", n, before)
	}

	// The same run reading in step, through RunFeed, is the reference.
	cfg.Data.Files = []string{paths[0], bad}
	want, wantErr := runInStep(t, cfg)
	res, err = Run(context.Background(), cfg)
	var de *data.Error
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "B.csv:5001") || err.Error() != wantErr.Error() {
		t.Fatalf("bad row: error %v, want B.csv's line 5001 as in step: %v", err, wantErr)
	}
	if res == nil || res.Stats != want.Stats || res.FinalEquity.String() != want.FinalEquity.String() {
		t.Fatalf("bad row: the run processed %+v, in step %+v", res.Stats, want.Stats)
	}
	res.Close()
	want.Close()
	if n := testkit.SettledGoroutines(before); n > before {
		t.Errorf("%d goroutines after the run that met a bad row, %d before", n, before)
	}
}

// TestReadAheadManyFiles: a run of five files, each decoded ahead on a
// goroutine of its own, gives what the same run reading in step gives,
// with one core or four: the same fills, trades, equity and digests of the
// files, and, when the third file has a bad row in the middle, the same
// error naming its file and line after the same bars.
func TestReadAheadManyFiles(t *testing.T) {
	dir := t.TempDir()
	paths, err := data.GenerateFiles(dir, data.GenOptions{Symbols: []string{"A", "B", "C", "D", "E"}, Bars: 4000, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	bad := badCopy(t, paths[2], filepath.Join(dir, "bad"), func(lines []string) []string {
		date, _, _ := strings.Cut(lines[2000], ",")
		lines[2000] = date + ",1,1,1,-1,1\n" // line 2001: a negative close
		return lines
	})
	badPaths := []string{paths[0], paths[1], bad, paths[3], paths[4]}

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, files := range [][]string{paths, badPaths} {
		cfg := DefaultConfig()
		cfg.Data.Files = files
		want, wantErr := runInStep(t, cfg)
		if len(want.Fills) == 0 || len(want.Inputs) != 5 {
			t.Fatalf("in step: %d fills, %d digests", len(want.Fills), len(want.Inputs))
		}
		if files[2] == bad {
			if wantErr == nil || !strings.Contains(wantErr.Error(), "C.csv:2001") || want.Stats.Timestamps != 1998 {
				t.Fatalf("in step: error %v after %d timestamps, want C.csv:2001 after 1998", wantErr, want.Stats.Timestamps)
			}
		} else if wantErr != nil || want.Stats.Timestamps != 4000 {
			t.Fatalf("in step: error %v after %d timestamps", wantErr, want.Stats.Timestamps)
		}
		for _, procs := range []int{1, 4} {
			runtime.GOMAXPROCS(procs)
			res, err := Run(context.Background(), cfg)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("GOMAXPROCS %d: error %v, in step %v", procs, err, wantErr)
			}
			if res == nil {
				t.Fatalf("GOMAXPROCS %d: no result", procs)
			}
			if res.Stats != want.Stats || res.FinalEquity.String() != want.FinalEquity.String() ||
				!reflect.DeepEqual(res.Fills, want.Fills) || !reflect.DeepEqual(res.Trades, want.Trades) ||
				equityText(res.Equity) != equityText(want.Equity) || !reflect.DeepEqual(res.Inputs, want.Inputs) {
				t.Errorf("GOMAXPROCS %d: %+v, %d fills, %d trades, final equity %s, inputs %v; in step %+v, %d fills, %d trades, %s, %v",
					procs, res.Stats, len(res.Fills), len(res.Trades), res.FinalEquity, res.Inputs,
					want.Stats, len(want.Fills), len(want.Trades), want.FinalEquity, want.Inputs)
			}
			res.Close()
		}
		want.Close()
	}
}

// runInStep runs cfg's data files with DefaultStrategy as Run does, the
// first file the benchmark, but through RunFeed over the opened files,
// which reads them in step on the run's goroutine; the result holds the
// files' digests.
func runInStep(t *testing.T, cfg Config) (*Result, error) {
	t.Helper()
	feed, err := cfg.OpenData()
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	strat, err := strategy.New(DefaultStrategy, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Options{Benchmark: feed.Symbol(0)}.RunFeed(context.Background(), cfg, feed, strat)
	if res != nil {
		res.Inputs, _ = feed.Digests()
	}
	return res, err
}

// equityText prints each point's time, cash, value and benchmark bar, a
// line each.
func equityText(points []EquityPoint) string {
	var b strings.Builder
	for _, p := range points {
		fmt.Fprintf(&b, "%s %s %v %v\n", p.Time.Format(time.RFC3339), p.Cash, p.Value, p.Benchmark)
	}
	return b.String()
}

// badCopy writes into dir a copy of the file src, of the same name, with
// its lines (each with its newline) as edit returns them, and returns the
// copy's path.
func badCopy(t *testing.T, src, dir string, edit func(lines []string) []string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, []byte(strings.Join(edit(strings.SplitAfter(string(b), "\n")), "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}
