package backtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// BenchmarkRun measures whole runs from CSV files on disk: decoding,
// the event loop, smacross 10/30 longshort, the ledger and the broker, with
// the result held in memory (no output files). It reports bars/s.
func BenchmarkRun(b *testing.B) {
	cases := []struct {
		name     string
		symbols  []string
		bars     int
		interval time.Duration
	}{
		{"1x100k-minute", []string{"M"}, 100_000, time.Minute},
		{"20x5k-daily", []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T"}, 5_000, 24 * time.Hour},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			paths, err := data.GenerateFiles(dir, data.GenOptions{Symbols: c.symbols, Bars: c.bars, Interval: c.interval, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			cfg := DefaultConfig()
			cfg.Data.Files = paths
			cfg.Strategy.Params = strategy.Params{"mode": "longshort"}
			cfg.Sizing.Size = decimal.Zero
			cfg.Sizing.Pct = decimal.NewFromInt(100 / int64(len(c.symbols)))
			cfg.Costs.Commission.Pct = decimal.RequireFromString("0.02")
			b.ReportAllocs()
			b.ResetTimer()
			total := 0
			for b.Loop() {
				res, err := Run(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				total += res.Stats.Bars
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "bars/s")
		})
	}
}

// BenchmarkW2 is workload W2's simulation in-process, without decoding
// or outputs: 100 symbols × 2,500 daily bars in memory, smacross long on
// each, 1 % of equity per position. It reports bars/s.
func BenchmarkW2(b *testing.B) {
	const symbols, bars = 100, 2_500
	names := make([]string, symbols)
	for i := range names {
		names[i] = fmt.Sprintf("S%03d", i)
	}
	opts := data.GenOptions{Symbols: names, Bars: bars, Seed: 1}
	sources := make([]data.Source, symbols)
	mems := make([]*data.Memory, symbols)
	for i, name := range names {
		var err error
		if mems[i], err = data.NewMemory(name, generatedBars(b, i, opts)); err != nil {
			b.Fatal(err)
		}
		sources[i] = mems[i]
	}
	cfg := DefaultConfig()
	cfg.Sizing.Size = decimal.Zero
	cfg.Sizing.Pct = decimal.NewFromInt(1)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		for _, m := range mems {
			m.Reset()
		}
		feed, err := data.Merge(sources...)
		if err != nil {
			b.Fatal(err)
		}
		strat, _ := strategy.New("smacross", nil)
		res, err := RunFeed(context.Background(), cfg, feed, strat)
		if err != nil {
			b.Fatal(err)
		}
		total += res.Stats.Bars
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "bars/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/bar")
}

// generatedBars returns the bars of the i-th symbol of opts as
// data.Generate writes them and a data.Reader reads them back.
func generatedBars(tb testing.TB, i int, opts data.GenOptions) []engine.Bar {
	tb.Helper()
	var buf bytes.Buffer
	if err := data.Generate(&buf, i, opts); err != nil {
		tb.Fatal(err)
	}
	r, err := data.NewReader(&buf, opts.Symbols[i]+".csv", data.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	var series []engine.Bar
	for {
		bar, err := r.Next()
		if err == io.EOF {
			return series
		}
		if err != nil {
			tb.Fatal(err)
		}
		series = append(series, bar)
	}
}

// runBars runs smacross with its defaults over bars of symbol "A" in
// memory with o and DefaultConfig.
func runBars(tb testing.TB, bars []engine.Bar, o Options) *Result {
	tb.Helper()
	mem, err := data.NewMemory("A", bars)
	if err != nil {
		tb.Fatal(err)
	}
	return runSources(tb, o, mem)
}

// runSources runs smacross with its defaults over the merged sources
// with o and DefaultConfig.
func runSources(tb testing.TB, o Options, sources ...data.Source) *Result {
	tb.Helper()
	feed, err := data.Merge(sources...)
	if err != nil {
		tb.Fatal(err)
	}
	strat, err := strategy.New("smacross", nil)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := o.RunFeed(context.Background(), DefaultConfig(), feed, strat)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}
