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
	c, err := openBenchmark(cfg)
	if c == nil || err != nil {
		return nil, err
	}
	defer c.close()
	out := make([]float64, len(times))
	for i, t := range times {
		if out[i], err = c.wealthAt(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// openBenchmark opens the benchmark file of cfg; nil when there is none.
func openBenchmark(cfg backtest.Config) (*benchCursor, error) {
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
	c := &benchCursor{feed: feed, closer: feed, files: feed}
	c.read()
	if c.err != nil {
		feed.Close()
		return nil, c.err
	}
	return c, nil
}

// benchCursor walks a benchmark feed along a series of times, which must
// come in order: see BenchmarkWealth.
type benchCursor struct {
	feed    engine.Feed
	closer  io.Closer    // nil when the caller closes the feed
	files   *data.Merged // the benchmark file, for its digest; nil if not opened here
	buf     []engine.Bar
	next    engine.Bar
	pending bool // next is a bar not yet applied
	done    bool
	err     error // the read error after the last bar read
	buyHold
}

// buyHold is the wealth of a buy-and-hold, from 1, as bars come: see
// BenchmarkWealth.
type buyHold struct {
	started bool
	first   time.Time // the first time asked for
	entry   float64
	last    float64
}

// at notes that the series has reached time t.
func (h *buyHold) at(t time.Time) {
	if !h.started {
		h.started, h.first, h.last = true, t, math.NaN()
	}
}

// apply applies a bar of time t, open and close, at or before the time
// reached.
func (h *buyHold) apply(t time.Time, open, close float64) {
	if h.entry == 0 {
		h.entry = open
	}
	if t.Before(h.first) {
		h.entry = close
	}
	h.last = close
}

// wealth returns the buy-and-hold's wealth: NaN before its first bar.
func (h *buyHold) wealth() float64 { return h.last / h.entry }

// read loads the next bar into next, if there is one. A read error is
// kept: it matters only if a later time needs the bars beyond it (when
// the benchmark is a data file, the run stops at the same error).
func (c *benchCursor) read() {
	c.pending = false
	if c.done {
		return
	}
	bars, err := c.feed.Next(c.buf[:0])
	switch {
	case errors.Is(err, io.EOF) || (err == nil && len(bars) == 0):
		c.done = true
	case err != nil:
		c.done, c.err = true, fmt.Errorf("benchmark: %w", err)
	default:
		c.buf, c.next, c.pending = bars, bars[0], true
	}
}

// at returns the benchmark's wealth at t, a time not before the previous
// one asked for.
func (c *benchCursor) wealthAt(t time.Time) (float64, error) {
	if c.started && c.err != nil {
		return 0, c.err
	}
	c.at(t)
	for c.pending && !c.next.Time.After(t) {
		c.apply(c.next.Time, c.next.Open.Float64(), c.next.Close.Float64())
		c.read()
	}
	return c.wealth(), nil
}

func (c *benchCursor) close() {
	if c.closer != nil {
		c.closer.Close()
	}
}
