package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/report"
)

// scalarsByMap is walkScalars done the plain way: the JSON decoded into
// maps, then walked.
func scalarsByMap(t *testing.T, doc []byte) map[string]Value {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	delete(m, "config")
	delete(m, "manifest")
	out := map[string]Value{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch v := v.(type) {
			case map[string]any:
				walk(prefix+k+".", v)
			case json.Number:
				out[prefix+k] = number(string(v))
			case string:
				// Quoted: the text alone would be a JSON number, true or
				// false.
				n := number(v)
				n.Quoted = (n.Numeric && json.Unmarshal([]byte(v), new(float64)) == nil) || v == "true" || v == "false"
				out[prefix+k] = n
			case bool:
				out[prefix+k] = Value{Text: strconv.FormatBool(v)}
			}
		}
	}
	walk("", m)
	return out
}

func TestWalkScalars(t *testing.T) {
	res := realRun(t, "7")
	dir := filepath.Join(t.TempDir(), "out")
	if err := report.WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	folder, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	docs := [][]byte{
		folder,
		[]byte(`{"a": "x\"y\\z\u00e9\n", "b": {"c": [1, {"d": 2}, "]"], "e": null, "f": true, "g": {"h": -1.5e-7}},` +
			` "config": {"x": 1}, "manifest": "m", "i": false, "j": {}, "k": "NaN", "l": "12.50", "m": [], "n": [[{}]], "o": "true", "p": ".5"}`),
		[]byte(`{}`),
	}
	for i, doc := range docs {
		got := map[string]Value{}
		if err := walkScalars(doc, got); err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		want := scalarsByMap(t, doc)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("doc %d:\n got %v\nwant %v", i, got, want)
		}
		if i == 0 && (len(got) < 50 || got["sharpe"].Text == "" || !got["analysis.returns.omega"].Numeric) {
			t.Errorf("results.json gave %d scalars: %v", len(got), got)
		}
	}
	want := map[string]Value{"a": {Text: "x\"y\\zé\n"}, "b.g.h": {Text: "-1.5e-7", Num: -1.5e-7, Numeric: true}, "b.f": {Text: "true"},
		"i": {Text: "false"}, "k": {Text: "NaN"}, "l": {Text: "12.50", Num: 12.5, Numeric: true, Quoted: true},
		"o": {Text: "true", Quoted: true}, "p": {Text: ".5", Num: 0.5, Numeric: true}}
	got := map[string]Value{}
	if err := walkScalars(docs[1], got); err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{`{`, `{"a": }`, `{"a": 1`, `{"a": [1, 2}`, `{"a": "x}`, `{"a": 1} x`, `[1]`, `{"a" 1}`} {
		if err := walkScalars([]byte(bad), map[string]Value{}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// walkScalars adds to out every scalar of doc, a JSON object as
// encoding/json writes it, by its name: a top-level key's own name, a
// nested one's dotted path. Numbers keep their text; strings are
// unquoted, and Quoted when their text reads as a number or as true or
// false; true and false are text without a number. Lists, nulls and
// the top-level keys config and manifest are left out. It reads the text
// once, without decoding it into maps.
func walkScalars(doc []byte, out map[string]Value) error {
	w := scalarWalker{b: doc, out: out}
	return w.document(func(key string) error {
		if key == "config" || key == "manifest" {
			return w.skip()
		}
		return w.value(key)
	})
}

// TestScalarsOfText checks Scalars, which walks the results by
// reflection, against walkScalars of the JSON text encoding/json writes
// of them: on a real run's results, with and without its analysis, and
// on results that hold what a real run seldom does (NaN and infinite
// figures, a map, strings that read as numbers or are not UTF-8, an
// output level note, handler errors and warnings).
func TestScalarsOfText(t *testing.T) {
	res := realRun(t, "7")
	real, err := report.Summarize(res, nil)
	if err != nil {
		t.Fatal(err)
	}
	bare := *real
	bare.Analysis, bare.TradeStats = nil, nil
	odd := *real
	odd.Sharpe, odd.Sortino, odd.Calmar = report.Float(math.NaN()), report.Float(math.Inf(1)), report.Float(math.Inf(-1))
	odd.RiskRefusals = map[string]int{"max_position": 3, "long_only": 1}
	odd.Error, odd.IntrabarPath, odd.LastTime = "bad \xff byte <&>", "12.50", "true"
	odd.Outputs = &report.OutputsNote{Level: "lean", EquityRows: "x"}
	odd.HandlerErrors = []report.HandlerError{{Time: "t", Component: "c", Message: "m"}}
	odd.Warnings = []backtest.Warning{{Code: "w", Count: 2, Message: "m"}}
	a := *real.Analysis
	a.Returns.Omega, a.Benchmark = report.Float(math.Copysign(0, -1)), &report.BenchmarkMetrics{Name: "SPY", Beta: 1.25, Alpha: report.Float(math.NaN())}
	odd.Analysis = &a
	for i, r := range []*report.Results{real, &bare, &odd} {
		got, err := Scalars(r)
		if err != nil {
			t.Fatal(err)
		}
		c := *r
		c.Config, c.Manifest = backtest.Config{}, nil
		doc, err := json.Marshal(&c)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]Value{}
		if err := walkScalars(doc, want); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("results %d:\n got %v\nwant %v", i, got, want)
		}
		if i == 0 && (len(got) < 100 || !got["analysis.returns.omega"].Numeric || !got["final_equity"].Quoted) {
			t.Errorf("results %d: %d scalars: %v", i, len(got), got)
		}
	}
}

// TestIsMetric: every scalar a real run's results have, and those of
// results that hold what a run seldom does (a map, a benchmark, an output
// level note), is a metric name; a name no results can have is not.
func TestIsMetric(t *testing.T) {
	real, err := report.Summarize(realRun(t, "7"), nil)
	if err != nil {
		t.Fatal(err)
	}
	odd := *real
	odd.RiskRefusals = map[string]int{"max_position": 3}
	odd.Error = "e"
	odd.Outputs = &report.OutputsNote{Level: "lean", EquityRows: "x"}
	a := *real.Analysis
	a.Benchmark = &report.BenchmarkMetrics{Name: "SPY", Beta: 1.25}
	odd.Analysis = &a
	n := 0
	for _, r := range []*report.Results{real, &odd} {
		got, err := Scalars(r)
		if err != nil {
			t.Fatal(err)
		}
		for name := range got {
			n++
			if !IsMetric(name) {
				t.Errorf("IsMetric(%q) = false for a scalar of a run", name)
			}
		}
	}
	if n < 200 {
		t.Fatalf("%d scalars", n)
	}
	for _, name := range []string{"", "sharp", "Sharpe", "sharpe.x", "analysis", "analysis.returns", "analysis.returns.omeg",
		"config", "config.strategy.name", "manifest.format", "warnings", "handler_errors", "trade_stats.nope", ".sharpe", "sharpe."} {
		if IsMetric(name) {
			t.Errorf("IsMetric(%q) = true", name)
		}
	}
}
