package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// run and metrics report the same quantities in the same units: JSON holds
// fractions, the terminal prints percent, and the terminal's Sharpe and
// Sortino are the report's, excess of the risk-free rate.
func TestRunAndMetricsAgree(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o")
	code, stdout, stderr := quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--param", "mode=longshort",
		"--risk-free", "0.05", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type returns struct {
		TotalReturn      float64 `json:"total_return"`
		AnnualVolatility float64 `json:"annual_volatility"`
		Sharpe           float64 `json:"sharpe"`
		Sortino          float64 `json:"sortino"`
	}
	type analysis struct {
		Periods int     `json:"periods"`
		Returns returns `json:"returns"`
	}
	var res struct {
		returns
		InitialCash json.Number `json:"initial_cash"`
		Analysis    analysis    `json:"analysis"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(out, "results.json")), &res); err != nil {
		t.Fatal(err)
	}
	a := res.Analysis.Returns
	if res.Sharpe != a.Sharpe || res.Sortino != a.Sortino || res.TotalReturn != a.TotalReturn {
		t.Errorf("results.json: sharpe %v sortino %v total %v, analysis %v %v %v", res.Sharpe, res.Sortino, res.TotalReturn, a.Sharpe, a.Sortino, a.TotalReturn)
	}
	for _, want := range []string{
		fmt.Sprintf("\n  sharpe             %.3f\n", a.Sharpe),
		fmt.Sprintf("\n  sortino            %.3f\n", a.Sortino),
		fmt.Sprintf("\n  total return       %.2f %%\n", 100*a.TotalReturn),
		fmt.Sprintf("\n  annual volatility  %.2f %%\n", 100*a.AnnualVolatility),
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the terminal lacks %q:\n%s", want, stdout)
		}
	}
	// The excess Sharpe differs from the raw one: the test would pass
	// unchanged if the risk-free rate were ignored everywhere.
	code, raw, _ := quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--param", "mode=longshort", "--out", filepath.Join(dir, "raw"))
	if code != 0 || strings.Contains(raw, fmt.Sprintf("sharpe             %.3f\n", a.Sharpe)) {
		t.Errorf("the Sharpe without a risk-free rate is the same:\n%s", raw)
	}

	// metrics on the run's equity, started from its initial cash.
	code, js, stderr := quantloop(t, "metrics", "--risk-free", "0.05", "--initial", res.InitialCash.String(), filepath.Join(out, "equity.csv"))
	if code != 0 {
		t.Fatalf("metrics: exit %d: %s", code, stderr)
	}
	var m analysis
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	if m.Periods != res.Analysis.Periods {
		t.Errorf("metrics: %d periods, run %d", m.Periods, res.Analysis.Periods)
	}
	// equity.csv holds the equity in decimal, the run's curve in float64:
	// the figures agree to rounding.
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"total_return", m.Returns.TotalReturn, a.TotalReturn}, {"sharpe", m.Returns.Sharpe, a.Sharpe}, {"sortino", m.Returns.Sortino, a.Sortino}} {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("metrics %s %v, run %v", c.name, c.got, c.want)
		}
	}
}
