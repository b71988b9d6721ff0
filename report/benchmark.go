package report

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

// BenchmarkWealth reads the benchmark file of cfg (see
// backtest.Config.BenchmarkFile) with cfg's data options and returns the
// wealth of its buy-and-hold at each of times, starting from 1: the last
// close at or before each time divided by the entry price. The entry price
// is the last close before times[0] if the file has bars that early, else
// the open of its first bar. Times before the benchmark's first bar get
// NaN. It returns nil when cfg has no benchmark.
func BenchmarkWealth(cfg backtest.Config, times []time.Time) ([]float64, error) {
	file := cfg.BenchmarkFile()
	if file == "" {
		return nil, nil
	}
	opts, err := cfg.DataOptions()
	if err != nil {
		return nil, fmt.Errorf("benchmark %s: %w", file, err)
	}
	opts.Symbol = "benchmark"
	feed, err := data.OpenAll([]string{file}, opts)
	if err != nil {
		return nil, fmt.Errorf("benchmark: %w", err)
	}
	defer feed.Close()
	return alignWealth(feed, times)
}

// alignWealth walks feed's bars and times together; see BenchmarkWealth.
func alignWealth(feed engine.Feed, times []time.Time) ([]float64, error) {
	out := make([]float64, len(times))
	var buf []engine.Bar
	var pending *engine.Bar // the next bar not yet applied
	var next engine.Bar
	done := false
	read := func() error {
		if done {
			return nil
		}
		bars, err := feed.Next(buf[:0])
		if errors.Is(err, io.EOF) {
			done = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("benchmark: %w", err)
		}
		if len(bars) == 0 {
			done = true
			return nil
		}
		buf = bars
		next = bars[0]
		pending = &next
		return nil
	}
	if err := read(); err != nil {
		return nil, err
	}
	entry, last := 0.0, math.NaN()
	for i, t := range times {
		for pending != nil && !pending.Time.After(t) {
			if entry == 0 {
				entry = pending.Open.Float64()
				if pending.Time.Before(times[0]) {
					entry = pending.Close.Float64()
				}
			}
			if pending.Time.Before(times[0]) {
				entry = pending.Close.Float64()
			}
			last = pending.Close.Float64()
			pending = nil
			if err := read(); err != nil {
				return nil, err
			}
		}
		out[i] = last / entry
	}
	return out, nil
}

// wealthReturns returns the simple returns of a wealth path starting from
// 1: w[0]/1-1, then w[i]/w[i-1]-1, NaN where w is NaN. A first valid value
// after NaNs is measured from 1.
func wealthReturns(w []float64) []float64 {
	r := make([]float64, len(w))
	prev := 1.0
	for i, x := range w {
		if math.IsNaN(x) {
			r[i] = math.NaN()
			continue
		}
		r[i] = x/prev - 1
		prev = x
	}
	return r
}
