package backtest

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/cputime"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/strategy"
)

// discard is a Sink that drops every record, so that a benchmark
// measures the simulation and the hand-off to a sink, not what a sink does.
type discard struct{}

func (discard) WriteEquity(*EquityPoint) error            { return nil }
func (discard) WriteFill(*engine.FillEvent, string) error { return nil }
func (discard) WriteTrade(*portfolio.Trade) error         { return nil }
func (discard) WriteOrder(*OrderRecord) error             { return nil }
func (discard) WriteBars([]engine.Bar) error              { return nil }

// BenchmarkBarPath measures the per-bar path of one run from memory: one
// symbol of one-minute bars, no decoding, read ahead on a goroutine of its
// own as Run reads, every record handed to a sink that drops it. "hold"
// is W1-hold's run (buyhold of 100: a fill on the first bar only),
// "smacross" W1's (10/30 longshort, size 100, 0.02 % commission). It reports wall and CPU nanoseconds a bar; the CPU time is
// the process's, the collector's included.
func BenchmarkBarPath(b *testing.B) {
	const bars = 200_000
	opts := data.GenOptions{Symbols: []string{"W1"}, Bars: bars, Interval: time.Minute, Seed: 1}
	series := generatedBars(b, 0, opts)
	cases := []struct {
		name, strategy string
		params         strategy.Params
		cash           int64
	}{
		{"hold", "buyhold", nil, 10_000_000},
		{"smacross", "smacross", strategy.Params{"mode": "longshort"}, 1_000_000},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			mem, err := data.NewMemory("W1", series)
			if err != nil {
				b.Fatal(err)
			}
			cfg := DefaultConfig()
			cfg.Account.Cash = decimal.NewFromInt(c.cash)
			cfg.Sizing.Size = decimal.NewFromInt(100)
			cfg.Costs.Commission.Pct = decimal.RequireFromString("0.02")
			b.ReportAllocs()
			cpu0 := cputime.Process()
			total := 0
			for b.Loop() {
				mem.Reset()
				merged, err := data.Merge(mem)
				if err != nil {
					b.Fatal(err)
				}
				feed := data.Prefetch(merged)
				strat, err := strategy.New(c.strategy, c.params)
				if err != nil {
					b.Fatal(err)
				}
				res, err := Options{Sink: discard{}}.RunFeed(context.Background(), cfg, feed, strat)
				if err != nil {
					b.Fatal(err)
				}
				feed.Close()
				res.Close()
				total += res.Stats.Bars
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/bar")
			b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(total), "cpu-ns/bar")
		})
	}
}
