package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/backtest"
)

func TestWriteCompare(t *testing.T) {
	dir := t.TempDir()
	var dirs []string
	var results []*Results
	for _, fast := range []string{"10", "5"} {
		cfg := goldenConfig()
		cfg.Strategy.Params["fast"] = fast
		res, err := backtest.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		d := filepath.Join(dir, "fast"+fast)
		if err := WriteDir(d, res); err != nil {
			t.Fatal(err)
		}
		r, err := Summarize(res, nil)
		if err != nil {
			t.Fatal(err)
		}
		dirs, results = append(dirs, d), append(results, r)
	}
	out := filepath.Join(dir, CompareFile)
	if err := WriteCompare(out, dirs); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := strings.ReplaceAll(string(b), "&#43;", "+") // html/template writes + as &#43;
	// The one setting that differs, with each run's value.
	if !strings.Contains(html, `<tr><td>strategy.params.fast</td><td class="l wrap">10</td><td class="l wrap">5</td></tr>`) ||
		strings.Count(html, `<td class="l wrap">`) != 2 {
		t.Error("settings that differ: want strategy.params.fast alone, 10 against 5")
	}
	// Each run's total return, side by side.
	row := "<tr><td>Total return</td><td>" + fmtPct(float64(results[0].Analysis.Returns.TotalReturn)) + "</td><td>" +
		fmtPct(float64(results[1].Analysis.Returns.TotalReturn)) + "</td></tr>"
	if !strings.Contains(html, row) {
		t.Errorf("no key-figure row %q", row)
	}
	for _, want := range []string{`<section id="settings">`, `<section id="key-figures">`, `<section id="equity">`,
		`<section id="drawdowns">`, "<th>fast10</th><th>fast5</th>"} {
		if !strings.Contains(html, want) {
			t.Errorf("compare.html lacks %q", want)
		}
	}
	if n := strings.Count(html, "<svg"); n != 2 {
		t.Errorf("%d charts, want 2 (equity, drawdown)", n)
	}
	// Deterministic: the same folders give the same bytes.
	again := filepath.Join(dir, "again.html")
	if err := WriteCompare(again, dirs); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(again); string(b2) != string(b) {
		t.Error("a second comparison differs")
	}
}

func TestWriteCompareErrors(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCompare(filepath.Join(dir, "c.html"), []string{dir}); err == nil || !strings.Contains(err.Error(), "two or more") {
		t.Errorf("one folder: %v", err)
	}
	err := WriteCompare(filepath.Join(dir, "c.html"), []string{dir, dir})
	if !errors.Is(err, ErrNotOneRun) {
		t.Errorf("folders without a run: %v", err)
	}
	if _, serr := os.Stat(filepath.Join(dir, "c.html")); serr == nil {
		t.Error("a failed comparison wrote its file")
	}
}
