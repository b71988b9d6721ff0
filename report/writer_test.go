package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/backtest"
)

// streamRun runs cfg with a Writer into dir, as the CLI does.
func streamRun(t *testing.T, cfg backtest.Config, dir string) {
	t.Helper()
	w, err := NewWriter(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := backtest.Options{Sink: w}.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if !res.Streamed {
		t.Fatal("not streamed")
	}
	if err := w.Finish(res); err != nil {
		t.Fatal(err)
	}
}

// TestStreamedEqualsKept: a run streamed through a Writer writes the same
// bytes as the same run kept in memory and written with WriteDir, every
// file.
func TestStreamedEqualsKept(t *testing.T) {
	streamed, kept := t.TempDir(), t.TempDir()
	streamRun(t, goldenConfig(), streamed)
	res, err := backtest.Run(context.Background(), goldenConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(kept, res); err != nil {
		t.Fatal(err)
	}
	for _, name := range Outputs() {
		if a, b := readBoth(t, name, streamed, kept); !bytes.Equal(a, b) {
			t.Errorf("%s differs between the streamed and the kept run", name)
		}
	}
	left, _ := filepath.Glob(filepath.Join(streamed, ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestBenchmarkInRunEqualsFile: the benchmark read with the run's own
// bars (it is a data file) gives the equity.csv that reading it from a
// separate copy of the file gives.
func TestBenchmarkInRunEqualsFile(t *testing.T) {
	src, err := os.ReadFile("../testdata/daily/AAA.csv")
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "AAA.csv")
	if err := os.WriteFile(copyPath, src, 0o644); err != nil {
		t.Fatal(err)
	}
	inRun, file := t.TempDir(), t.TempDir()
	cfg := goldenConfig()
	cfg.Data.Files = []string{"../testdata/daily/BBB.csv", "../testdata/daily/AAA.csv"}
	cfg.Analysis.Benchmark.File = "../testdata/daily/AAA.csv"
	streamRun(t, cfg, inRun)
	cfg.Analysis.Benchmark.File = copyPath
	streamRun(t, cfg, file)
	a, b := readBoth(t, EquityFile, inRun, file)
	if !bytes.Equal(a, b) {
		t.Error("equity.csv differs between the benchmark from the run and from its file")
	}
	// The benchmark column holds values: the last row's is a positive
	// number.
	lines := strings.Split(strings.TrimSpace(string(a)), "\n")
	fields := strings.Split(lines[len(lines)-1], ",")
	if v, err := strconv.ParseFloat(fields[4], 64); err != nil || !(v > 0) {
		t.Errorf("last row's benchmark %q", fields[4])
	}
}

// readBoth returns the file name in each of two directories.
func readBoth(t *testing.T, name, dirA, dirB string) (a, b []byte) {
	t.Helper()
	var err error
	if a, err = os.ReadFile(filepath.Join(dirA, name)); err != nil {
		t.Fatal(err)
	}
	if b, err = os.ReadFile(filepath.Join(dirB, name)); err != nil {
		t.Fatal(err)
	}
	return a, b
}
