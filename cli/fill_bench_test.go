//go:build unix

package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/internal/cputime"
)

// BenchmarkCLIFill measures the cost per fill as bench's W1-flip less
// W1-hold does, in-process and at a tenth of their size: the whole
// `quantloop run`, outputs included, over 100,000 one-minute bars, once
// with smacross 2/3 longshort (a fill on about a third of the bars) and
// once with buyhold (one fill), in turns. It reports the CPU time of the
// process (user + system, every goroutine and the garbage collector)
// and the wall time per extra fill, (flip − hold) / (fills − 1), as
// cpu-µs/fill and wall-µs/fill; ns/op is a pair of runs.
func BenchmarkCLIFill(b *testing.B) {
	dir := b.TempDir()
	paths, err := data.GenerateFiles(dir, data.GenOptions{Symbols: []string{"W1"}, Bars: 100_000, Interval: time.Minute, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	common := []string{"run", "--data", paths[0], "--size", "100", "--commission-pct", "0.02", "--cash", "10000000"}
	flipOut, holdOut := filepath.Join(dir, "flip"), filepath.Join(dir, "hold")
	flip := append(append([]string{}, common...), "--param", "mode=longshort", "--param", "fast=2", "--param", "slow=3", "--out", flipOut)
	hold := append(append([]string{}, common...), "--strategy", "buyhold", "--out", holdOut)
	var cpu, wall [2]time.Duration // flip, hold
	b.ReportAllocs()
	for b.Loop() {
		for i, args := range [][]string{flip, hold} {
			c0, w0 := cputime.Process(), time.Now()
			if code := run(context.Background(), args, io.Discard, io.Discard); code != 0 {
				b.Fatalf("exit %d", code)
			}
			cpu[i] += cputime.Process() - c0
			wall[i] += time.Since(w0)
		}
	}
	extra := float64((fills(b, flipOut) - fills(b, holdOut)) * b.N)
	b.ReportMetric(float64(cpu[0]-cpu[1])/1e3/extra, "cpu-µs/fill")
	b.ReportMetric(float64(wall[0]-wall[1])/1e3/extra, "wall-µs/fill")
}

// fills reads the number of fills from the results.json in out.
func fills(b *testing.B, out string) int {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		b.Fatal(err)
	}
	var res struct {
		Fills int `json:"fills"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		b.Fatal(err)
	}
	return res.Fills
}
