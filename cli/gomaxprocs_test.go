package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/report"
)

// TestOutputsAnyGOMAXPROCS: W1 (one symbol, 1,000,000 one-minute bars,
// smacross longshort, every output; 50,000 bars under -short or the race
// detector) run at GOMAXPROCS 1 and 4 writes byte-identical files, every
// one of them: the read-ahead and write-behind goroutines change nothing
// of what a run writes, whatever the scheduling. Each input variant
// (`inputs`) is a way of giving the run the same bars; a new way of reading
// them (a catalog) adds its arguments there.
func TestOutputsAnyGOMAXPROCS(t *testing.T) {
	bars := 1_000_000
	if testing.Short() || raceEnabled {
		bars = 50_000
	}
	dir := t.TempDir()
	paths, err := data.GenerateFiles(filepath.Join(dir, "in"), data.GenOptions{Symbols: []string{"W1"}, Bars: bars, Interval: time.Minute, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	common := []string{"--param", "mode=longshort", "--size", "100", "--commission-pct", "0.02", "--cash", "1000000"}
	inputs := []struct {
		name string
		args []string
	}{
		{"csv", []string{"--data", paths[0]}},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first string
	for _, in := range inputs {
		for _, procs := range []int{1, 4} {
			runtime.GOMAXPROCS(procs)
			out := filepath.Join(dir, in.name+"-"+strconv.Itoa(procs))
			args := append(append([]string{"run"}, in.args...), append(common, "--out", out)...)
			var stderr strings.Builder
			if code := run(context.Background(), args, io.Discard, &stderr); code != 0 {
				t.Fatalf("%s at GOMAXPROCS %d: exit %d: %s", in.name, procs, code, stderr.String())
			}
			if first == "" {
				first = out
				continue
			}
			for _, name := range report.Outputs() {
				a, errA := os.ReadFile(filepath.Join(first, name))
				b, errB := os.ReadFile(filepath.Join(out, name))
				if errA != nil || errB != nil {
					t.Fatalf("%s: %v, %v", name, errA, errB)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s from %s at GOMAXPROCS %d differs from the first run's", name, in.name, procs)
				}
			}
		}
	}
}
