package cli

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
)

// BenchmarkCLIRun is workload W1 at a tenth of its size, in-process: the
// whole `quantloop run`, outputs included, over 100,000 one-minute bars.
func BenchmarkCLIRun(b *testing.B) {
	dir := b.TempDir()
	paths, err := data.GenerateFiles(dir, data.GenOptions{Symbols: []string{"W1"}, Bars: 100_000, Interval: time.Minute, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	args := []string{"run", "--data", paths[0], "--param", "mode=longshort", "--size", "100",
		"--commission-pct", "0.02", "--out", filepath.Join(dir, "out")}
	b.ReportAllocs()
	for b.Loop() {
		if code := run(context.Background(), args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "bars/s")
}
