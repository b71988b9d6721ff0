package sweep

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/store"
)

// BenchmarkSweep runs a 16-configuration smacross grid over 3 generated
// daily files of 4,600 bars each (13,800 bars), with one job, into a new
// store; it reports bar-runs per second.
func BenchmarkSweep(b *testing.B) {
	dir := b.TempDir()
	files, err := data.GenerateFiles(dir, data.GenOptions{Symbols: []string{"A", "B", "C"}, Bars: 4600, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	var cfg backtest.Config
	cfg.Data.Files = files
	plan := Plan{Base: cfg, Space: Space{Grid: []Dim{
		{"strategy.params.fast", []string{"5", "10", "15", "20"}},
		{"strategy.params.slow", []string{"30", "40", "50", "60"}},
	}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := store.Open(filepath.Join(dir, fmt.Sprintf("s%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Run(context.Background(), plan, st, Options{Jobs: 1}); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	b.ReportMetric(float64(16*13800*b.N)/b.Elapsed().Seconds(), "bar-runs/s")
}
