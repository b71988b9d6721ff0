package backtest

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/data"
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
			cfg.Data = paths
			cfg.Params = strategy.Params{"mode": "longshort"}
			cfg.Size = decimal.Zero
			cfg.SizePct = decimal.NewFromInt(100 / int64(len(c.symbols)))
			cfg.CommissionPct = decimal.RequireFromString("0.02")
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
