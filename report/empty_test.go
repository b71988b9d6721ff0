package report_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/report"
)

// TestRenderEmptyRun: a run canceled before its first bar renders, without
// a panic, an empty report that says why, and results marked partial.
func TestRenderEmptyRun(t *testing.T) {
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := backtest.Run(ctx, cfg)
	if err == nil || res == nil {
		t.Fatalf("Run with a canceled context: %v, result %v; want an error and a result", err, res)
	}
	if res.Stats.Bars != 0 {
		t.Fatalf("%d bars, want 0", res.Stats.Bars)
	}
	files, err := report.Render(res)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Name] = string(f.Data)
	}
	html := byName[report.ReportFile]
	for _, want := range []string{"EMPTY RUN: no bar was processed (run interrupted: context canceled)",
		"Equity and benchmark: no bars, nothing to draw"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html does not say %q", want)
		}
	}
	if strings.Contains(html, "PARTIAL RUN") {
		t.Errorf("report.html shows the partial notice as well as the empty one")
	}
	var r report.Results
	if err := json.Unmarshal([]byte(byName[report.ResultsFile]), &r); err != nil {
		t.Fatal(err)
	}
	if !r.Partial || r.Bars != 0 || !strings.Contains(r.Error, "interrupted") {
		t.Errorf("results.json: partial %v, bars %d, error %q", r.Partial, r.Bars, r.Error)
	}
	if eq := byName[report.EquityFile]; eq != "time,cash,equity,drawdown,benchmark\n" {
		t.Errorf("equity.csv = %q, want the header alone", eq)
	}
}
