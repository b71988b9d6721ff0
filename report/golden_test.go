package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/strategy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenRun runs smacross long/short on the generated daily data, with a
// marker, as the golden files show it.
// goldenConfig is the golden run's configuration.
func goldenConfig() backtest.Config {
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv", "../testdata/daily/BBB.csv"}
	cfg.Strategy.Params = strategy.Params{"mode": "longshort"}
	cfg.Sizing.Size, cfg.Sizing.Pct = decimal.Zero, decimal.NewFromInt(40)
	cfg.Costs.Commission.Pct = decimal.RequireFromString("0.05")
	cfg.Analysis.Trials = 10
	cfg.Analysis.RiskFree = 0.01
	return cfg
}

func goldenRun(t *testing.T) *backtest.Result {
	t.Helper()
	res, err := backtest.Run(context.Background(), goldenConfig())
	if err != nil {
		t.Fatal(err)
	}
	res.Markers = append(res.Markers, backtest.Marker{Time: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), Label: "example marker"})
	return res
}

func render(t *testing.T, res *backtest.Result) map[string][]byte {
	t.Helper()
	files, err := Render(res)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Name] = f.Data
	}
	return out
}

// goVersion matches the Go version recorded in the manifest, which
// depends on the toolchain running the test.
var goVersion = regexp.MustCompile(`("go_version": )"[^"]*"`)

// TestGolden compares results.json and report.html with the files in
// testdata/golden. Regenerate them with go test ./report -run TestGolden
// -update.
func TestGolden(t *testing.T) {
	files := render(t, goldenRun(t))
	for _, name := range []string{ResultsFile, ReportFile} {
		got := goVersion.ReplaceAll(files[name], []byte(`$1"GOVERSION"`))
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s differs from %s at byte %d, line %d (run with -update if intended)", name, path, i,
				bytes.Count(got[:i], []byte("\n"))+1)
		}
	}
}

// TestRenderDeterministic renders the same run three times, once with
// GOMAXPROCS=1, and wants identical bytes for every file.
func TestRenderDeterministic(t *testing.T) {
	first := render(t, goldenRun(t))
	second := render(t, goldenRun(t))
	prev := runtime.GOMAXPROCS(1)
	third := render(t, goldenRun(t))
	runtime.GOMAXPROCS(prev)
	if len(first) != 9 {
		t.Fatalf("%d files, want 9", len(first))
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) || !bytes.Equal(b, third[name]) {
			t.Errorf("%s differs between renders", name)
		}
	}
}

// TestReportContent checks what the page must hold: no external
// resources, the charts, the marker, the tables.
func TestReportContent(t *testing.T) {
	html := string(render(t, goldenRun(t))[ReportFile])
	for _, bad := range []string{"https://", "<link", "@import", "src=", "url(", "fetch(", "XMLHttpRequest"} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	// One inline script: the trade table's sorting.
	if n := strings.Count(html, "<script"); n != 1 || !strings.Contains(html, "<script>\ndocument.querySelectorAll(\"table.sortable th\")") {
		t.Errorf("report.html has %d scripts, want the one inline sorting script", n)
	}
	// The only http:// text allowed is the SVG namespace declarations.
	if n, ns := strings.Count(html, "http://"), strings.Count(html, `"http://www.w3.org/`); n != ns {
		t.Errorf("report.html has %d http:// references, %d of them SVG namespaces", n, ns)
	}
	for _, want := range []string{"Equity and benchmark", "(log scale)", "Underwater (drawdown)", "Monthly returns",
		"Annual returns", "Distribution of trade returns", "Rolling Sharpe ratio (126 periods)", "Rolling beta vs benchmark (126 periods)",
		"Weights by symbol", "Weekly returns", "VaR 5 %", "example marker",
		"Drawdowns (top 5)", "Deflated Sharpe", "after 10 trial(s)", "sha256", "MAE"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Equity twice (linear, log), underwater, exposure, weights (two
	// symbols), rolling Sharpe, volatility and beta, three return
	// distributions, annual returns and trade returns.
	if n := strings.Count(html, "<svg"); n != 13 {
		t.Errorf("%d SVG charts, want 13", n)
	}
	// The sections in their order, each once.
	at := 0
	for _, id := range []string{"key-figures", "equity", "drawdowns", "exposure", "positions", "by-symbol", "rolling",
		"return-distribution", "monthly", "annual", "trades"} {
		tag := `<section id="` + id + `">`
		i := strings.Index(html, tag)
		if i < at || strings.Count(html, tag) != 1 {
			t.Errorf("section %q at %d, want once after %d", id, i, at)
		}
		at = i
	}
	if strings.Contains(html, `id="warnings"`) {
		t.Error("a run without warnings has a warnings section")
	}
	if strings.Contains(html, "PARTIAL RUN") {
		t.Error("a complete run is marked partial")
	}
}

// TestPartialRunIsMarked: the report says when a run was partial.
func TestPartialRunIsMarked(t *testing.T) {
	res := goldenRun(t)
	res.Partial = true
	res.Err = context.Canceled
	files := render(t, res)
	if !bytes.Contains(files[ReportFile], []byte("PARTIAL RUN")) || !bytes.Contains(files[ResultsFile], []byte(`"partial": true`)) {
		t.Error("partial run not marked in report.html and results.json")
	}
}

// TestRenderDir: redrawing from the saved files gives the same page.
func TestRenderDir(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDir(dir, goldenRun(t)); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, ReportFile)); err != nil {
		t.Fatal(err)
	}
	if err := RenderDir(dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("RenderDir's report.html differs from the run's")
	}
	if err := RenderDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), ResultsFile) {
		t.Errorf("RenderDir of an empty dir: %v", err)
	}
}

// The benchmark can be a file outside the data, which the manifest then
// hashes too, or none at all.
func TestBenchmarkChoice(t *testing.T) {
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	for _, tc := range []struct {
		bench  string
		inputs int
		name   string
	}{
		{"../testdata/daily/BBB.csv", 2, "../testdata/daily/BBB.csv"},
		{"", 1, "../testdata/daily/AAA.csv"},
		{backtest.NoBenchmark, 1, ""},
	} {
		if err := cfg.Analysis.Benchmark.UnmarshalText([]byte(tc.bench)); err != nil {
			t.Fatal(err)
		}
		res, err := backtest.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		files := render(t, res)
		var r Results
		if err := json.Unmarshal(files[ResultsFile], &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Manifest.Inputs) != tc.inputs {
			t.Errorf("benchmark %q: %d inputs hashed, want %d", tc.bench, len(r.Manifest.Inputs), tc.inputs)
		}
		name := ""
		if r.Analysis.Benchmark != nil {
			name = r.Analysis.Benchmark.Name
		}
		if name != tc.name {
			t.Errorf("benchmark %q: analysis names %q, want %q", tc.bench, name, tc.name)
		}
		second := strings.SplitN(string(files[EquityFile]), "\n", 3)[1]
		if hasBench := !strings.HasSuffix(second, ","); hasBench != (tc.name != "") {
			t.Errorf("benchmark %q: equity.csv row %q", tc.bench, second)
		}
	}
}
