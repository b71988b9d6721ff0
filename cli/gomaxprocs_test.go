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
// of what a run writes, whatever the scheduling. The same bars come as
// the CSV file and as a Parquet catalog ingested from it (issue 18's
// check); the catalog's runs write the CSV runs' rows byte for byte.
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
	cat := filepath.Join(dir, "catalog")
	var ingestErr strings.Builder
	if code := run(context.Background(), []string{"ingest", "--data", paths[0], "--catalog", cat}, io.Discard, &ingestErr); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, ingestErr.String())
	}
	common := []string{"--param", "mode=longshort", "--size", "100", "--commission-pct", "0.02", "--cash", "1000000"}
	inputs := []struct {
		name string
		args []string
	}{
		{"csv", []string{"--data", paths[0]}},
		{"catalog", []string{"--catalog", cat}},
	}
	// Every file is the same at any GOMAXPROCS for one input; from the
	// catalog, the files that do not name the inputs (the rows) are those
	// from the CSV.
	rows := []string{report.TradesFile, report.FillsFile, report.OrdersFile, report.EquityFile, report.FeesFile}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var firstCSV string
	for _, in := range inputs {
		var first string
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
				if firstCSV == "" {
					firstCSV = out
				} else {
					sameFiles(t, firstCSV, out, rows, in.name+" at GOMAXPROCS "+strconv.Itoa(procs))
				}
				continue
			}
			sameFiles(t, first, out, report.Outputs(), in.name+" at GOMAXPROCS "+strconv.Itoa(procs))
		}
	}
}

// sameFiles checks that the files names hold the same bytes in folders a
// and b; what names the run b in failures.
func sameFiles(t *testing.T, a, b string, names []string, what string) {
	t.Helper()
	for _, name := range names {
		x, errA := os.ReadFile(filepath.Join(a, name))
		y, errB := os.ReadFile(filepath.Join(b, name))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", name, errA, errB)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s from %s differs from %s's", name, what, a)
		}
	}
}
