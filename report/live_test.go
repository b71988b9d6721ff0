package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/strategy"
)

// TestLiveAnalysis: what the rows' goroutine analyzes while a run goes,
// finished at the end (analyze with the live analysis), is Analyze over
// the run's stored columns to the bit, at GOMAXPROCS 1 and 4: a run of
// 100,000 five-minute bars over five calendar years, longer than the
// series keep in memory and than the percentiles' selection sorts at
// once, with the data file as the benchmark. The periods per year and
// the risk-free rate are given, or the rate is 0 (both passes live
// whatever the periods), or the rate must wait for the periods inferred
// after the run (the calendar live, the rest from the columns). With the
// rate 0 the run's Metrics take their basic figures from the live
// analysis (Writer.Basics), and are a run's without a Sink to the bit;
// the charts' passes start when the run ends, for what Finish takes.
func TestLiveAnalysis(t *testing.T) {
	if testing.Short() {
		t.Skip("a run of 100,000 bars")
	}
	files, err := data.GenerateFiles(t.TempDir(), data.GenOptions{Symbols: []string{"LIVE"}, Bars: 100_000,
		Interval: 5 * time.Minute, Seed: 18, Volatility: 0.4})
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		name     string
		P, rf    float64
		wantSum  bool // the Summarizer and the Comparer ran live
		wantCals bool
		basics   bool // the Metrics' basics came from the Writer
	}{
		{"periods and rate given", 252 * 78, 0.03, true, true, false},
		{"rate 0, periods inferred", 0, 0, true, true, true},
		{"rate with periods inferred", 0, 0.03, false, true, false},
	} {
		for _, procs := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/GOMAXPROCS=%d", tc.name, procs), func(t *testing.T) {
				runtime.GOMAXPROCS(procs)
				cfg := backtest.DefaultConfig()
				cfg.Data.Files = files
				cfg.Strategy.Params = strategy.Params{"mode": "longshort"}
				cfg.Analysis.PeriodsPerYear, cfg.Analysis.RiskFree = tc.P, tc.rf
				w, err := NewWriter(t.TempDir(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer w.Abort()
				res, err := backtest.Options{Sink: w}.Run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Close()
				if err := w.Err(); err != nil {
					t.Fatal(err)
				}
				s, live := w.series(res)
				if live == nil || live.n != 100_000 {
					t.Fatalf("live analysis %v, want one of 100000 points", live)
				}
				if got := live.done != nil; got != tc.basics {
					t.Errorf("summary made for the Metrics: %v, want %v", got, tc.basics)
				}
				if w.symbol != "LIVE" {
					t.Errorf("the bars' symbol kept for the exposure: %q", w.symbol)
				}
				// The charts' passes started when the run ended, for
				// the initial cash and rates Finish takes.
				prep := w.waitPrep()
				if prep == nil || prep.roll == nil {
					t.Fatal("no charts prepared when the run ended")
				}
				P := res.Metrics.PeriodsPerYear
				if prep.initial != initialCash(newResults(res)) || prep.roll.P != P || prep.roll.rf != metrics.PeriodRate(tc.rf, P) {
					t.Errorf("charts prepared for %v, %v and %v", prep.initial, prep.roll.P, prep.roll.rf)
				}
				kept, err := backtest.Options{}.Run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer kept.Close()
				if g, w := fmt.Sprintf("%#v", res.Metrics), fmt.Sprintf("%#v", kept.Metrics); g != w {
					t.Errorf("metrics with the Writer %s, without a Sink %s", g, w)
				}
				if got := live.sum != nil && live.cmp != nil; got != tc.wantSum {
					t.Errorf("summarized live: %v, want %v", got, tc.wantSum)
				}
				if s.Benchmark == nil {
					t.Fatal("no benchmark")
				}
				got, err := json.Marshal(analyze(s, live))
				if err != nil {
					t.Fatal(err)
				}
				want, err := json.Marshal(Analyze(s))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("the live analysis differs from the columns':\n got %s\nwant %s", got, want)
				}
				var a Analysis
				if err := json.Unmarshal(got, &a); err != nil {
					t.Fatal(err)
				}
				// The run spans five calendar years, and has trades, a
				// benchmark and order statistics to find.
				if len(a.Annual) < 5 || len(a.Monthly) < 50 || a.Benchmark == nil || len(a.Drawdowns) != topDrawdowns {
					t.Errorf("%d years, %d months, benchmark %v, %d drawdowns: not the run meant", len(a.Annual), len(a.Monthly), a.Benchmark != nil, len(a.Drawdowns))
				}
			})
		}
	}
}
