package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/manifest"
)

// levelData generates n five-minute bars (about 78 a day) of two symbols
// and returns their files.
func levelData(t *testing.T, n int) []string {
	t.Helper()
	paths, err := data.GenerateFiles(t.TempDir(), data.GenOptions{Symbols: []string{"AAA", "BBB"}, Bars: n, Interval: 5 * time.Minute, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// levelConfig returns goldenConfig over the files paths, at level.
func levelConfig(paths []string, level backtest.OutputLevel) backtest.Config {
	cfg := goldenConfig()
	cfg.Data.Files = paths
	cfg.Analysis.Outputs = level
	return cfg
}

// resultsWithout reads dir's results.json as a map without the keys
// that name the config, which holds the level.
func resultsWithout(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "config")
	delete(m, "manifest")
	return m
}

// lastOfEachDay returns the header and, of the rows of equity.csv, the
// last of each date (the first 10 characters of the time): what lean
// keeps, worked out from the full file's text alone.
func lastOfEachDay(full []byte) []byte {
	lines := strings.SplitAfter(string(full), "\n")
	lines = lines[:len(lines)-1] // after the last newline
	out := []string{lines[0]}
	for i := 1; i < len(lines); i++ {
		if i+1 == len(lines) || lines[i][:10] != lines[i+1][:10] {
			out = append(out, lines[i])
		}
	}
	return []byte(strings.Join(out, ""))
}

// TestOutputLevels: lean writes the files of full, byte for byte, except
// equity.csv, which holds the last row of each day of the full file, and
// results.json and report.html, which say so; metrics writes
// results.json, config.yaml and manifest.json only. results.json's
// numbers are the same at every level.
func TestOutputLevels(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 400
	}
	paths := levelData(t, n)
	dirs := map[backtest.OutputLevel]string{}
	for _, level := range []backtest.OutputLevel{backtest.OutputsFull, backtest.OutputsLean, backtest.OutputsMetrics} {
		dirs[level] = filepath.Join(t.TempDir(), level.String())
		streamRun(t, levelConfig(paths, level), dirs[level])
	}
	full, lean, metrics := dirs[backtest.OutputsFull], dirs[backtest.OutputsLean], dirs[backtest.OutputsMetrics]
	for _, name := range []string{TradesFile, FillsFile, OrdersFile, FeesFile} {
		if a, b := readBoth(t, name, full, lean); !bytes.Equal(a, b) {
			t.Errorf("lean's %s differs from full's", name)
		}
	}
	a, b := readBoth(t, EquityFile, full, lean)
	if want := lastOfEachDay(a); !bytes.Equal(b, want) {
		t.Errorf("lean's equity.csv has %d bytes, want the %d of the last row of each day of full's", len(b), len(want))
	}
	if bytes.Count(b, []byte("\n")) >= bytes.Count(a, []byte("\n"))/10 {
		t.Errorf("lean's equity.csv is not thinned: %d rows of %d", bytes.Count(b, []byte("\n")), bytes.Count(a, []byte("\n")))
	}
	fullRes := resultsWithout(t, full)
	if _, ok := fullRes["outputs"]; ok {
		t.Error("full's results.json names an output level")
	}
	for _, tc := range []struct {
		dir, level, rows string
	}{{lean, "lean", backtest.EquityRowsLean}, {metrics, "metrics", "none"}} {
		got := resultsWithout(t, tc.dir)
		want := map[string]any{"level": tc.level, "equity_rows": tc.rows}
		if !reflect.DeepEqual(got["outputs"], want) {
			t.Errorf("%s: results.json's outputs %v, want %v", tc.level, got["outputs"], want)
		}
		delete(got, "outputs")
		if !reflect.DeepEqual(got, fullRes) {
			t.Errorf("%s: results.json's numbers differ from full's", tc.level)
		}
	}
	html, _ := readBoth(t, ReportFile, lean, lean)
	if !bytes.Contains(html, []byte("equity.csv holds "+backtest.EquityRowsLean)) {
		t.Error("lean's report.html does not say equity.csv is thinned")
	}
	ents, err := os.ReadDir(metrics)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if want := []string{ConfigFile, ManifestFile, ResultsFile}; !slices.Equal(names, want) {
		t.Errorf("metrics wrote %v, want %v", names, want)
	}
}

// TestSummarizeTradesEquity: SummarizeTradesEquity gives Summarize's
// results and its trades and equity tables, and no fills or orders.
func TestSummarizeTradesEquity(t *testing.T) {
	paths := levelData(t, 600)
	for _, level := range []backtest.OutputLevel{backtest.OutputsFull, backtest.OutputsLean} {
		res, err := backtest.Run(t.Context(), levelConfig(paths, level))
		if err != nil {
			t.Fatal(err)
		}
		var all, some Tables
		want, err := Summarize(res, &all)
		if err != nil {
			t.Fatal(err)
		}
		got, err := SummarizeTradesEquity(res, &some)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the results differ from Summarize's", level)
		}
		if !bytes.Equal(some.Trades, all.Trades) || !bytes.Equal(some.Equity, all.Equity) || len(all.Fills) == 0 {
			t.Errorf("%s: the trades or equity differ from Summarize's, or Summarize has no fills", level)
		}
		if some.Fills != nil || some.Orders != nil {
			t.Errorf("%s: fills or orders were formatted", level)
		}
	}
}

// TestSummarizeThin: SummarizeThin gives Summarize's results and, of
// equity.csv, the header and the rows of the points a stride walk keeps:
// every k-th point from the first, k = ceil((points-1)/(n-1)), and the
// last.
func TestSummarizeThin(t *testing.T) {
	res, err := backtest.Run(t.Context(), levelConfig(levelData(t, 600), backtest.OutputsFull))
	if err != nil {
		t.Fatal(err)
	}
	var all Tables
	want, err := Summarize(res, &all)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(all.Equity), "\n")
	lines = lines[:len(lines)-1] // after the last line end
	points := len(lines) - 1
	if points != len(res.Equity) || points < 100 {
		t.Fatalf("equity.csv has %d points, the result %d", points, len(res.Equity))
	}
	for _, n := range []int{0, 1, 2, 3, 7, 50, points - 1, points, points + 1} {
		keep := lines
		if n >= 2 && points > n {
			k := (points - 1 + n - 2) / (n - 1)
			keep = []string{lines[0]}
			for i := 0; i < points-1; i += k {
				keep = append(keep, lines[1+i])
			}
			keep = append(keep, lines[points])
			if len(keep)-1 > n {
				t.Fatalf("n=%d: the stride walk keeps %d points", n, len(keep)-1)
			}
		}
		var some Tables
		got, err := SummarizeThin(res, &some, n)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		if !bytes.Equal(a, b) {
			t.Errorf("n=%d: the results differ from Summarize's", n)
		}
		if string(some.Equity) != strings.Join(keep, "") {
			t.Errorf("n=%d: equity.csv has %d lines, want %d of the full file's", n,
				strings.Count(string(some.Equity), "\n"), len(keep))
		}
		if !bytes.Equal(some.Trades, all.Trades) || some.Fills != nil || some.Orders != nil {
			t.Errorf("n=%d: trades differ from Summarize's, or fills or orders were formatted", n)
		}
		canon, err := res.Config.CanonicalYAML()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(some.Config, canon) || !bytes.Equal(all.Config, canon) || got.Manifest.Config != manifest.HashBytes(ConfigFile, canon) {
			t.Errorf("n=%d: config.yaml is not the canonical config the manifest hashes:\n%s", n, some.Config)
		}
	}
}

// TestThinKeep: the points ThinKeep keeps of 10.
func TestThinKeep(t *testing.T) {
	tests := []struct {
		n    int
		want []int
	}{
		{3, []int{0, 5, 9}},          // stride ceil(9/2) = 5
		{4, []int{0, 3, 6, 9}},       // stride ceil(9/3) = 3
		{6, []int{0, 2, 4, 6, 8, 9}}, // stride ceil(9/5) = 2
		{9, []int{0, 2, 4, 6, 8, 9}}, // stride ceil(9/8) = 2
		{10, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{1, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
	}
	for _, tt := range tests {
		var got []int
		for i := range 10 {
			if ThinKeep(i, 10, tt.n) {
				got = append(got, i)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ThinKeep(·, 10, %d) keeps %v, want %v", tt.n, got, tt.want)
		}
	}
}
