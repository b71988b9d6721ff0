package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWarnsOfRejectedOrders checks that a run whose orders are refused
// says so on the terminal, in results.json and at the top of report.html.
// A cash account of 100000 cannot buy 10000 units of AAA (about 100 each),
// so every buy of smacross is rejected.
func TestRunWarnsOfRejectedOrders(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := quantloop(t, "run", "--data", "../testdata/daily/AAA.csv", "--account", "cash", "--size", "10000", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var res struct {
		RejectedOrders int `json:"rejected_orders"`
		Warnings       []struct {
			Code  string `json:"code"`
			Count int    `json:"count"`
		} `json:"warnings"`
	}
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.RejectedOrders == 0 || len(res.Warnings) != 1 || res.Warnings[0].Code != "rejected_orders" || res.Warnings[0].Count != res.RejectedOrders {
		t.Fatalf("results.json: %d rejected, warnings %+v; want one rejected_orders warning counting them", res.RejectedOrders, res.Warnings)
	}
	if !strings.Contains(stdout, "WARNING") || !strings.Contains(stdout, "WARNING            rejected_orders: 10 order(s) were rejected (see orders.csv)") {
		t.Errorf("the terminal summary does not warn:\n%s", stdout)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `<section id="warnings"`) || !strings.Contains(string(html), "<b>rejected_orders</b>") {
		t.Error("report.html has no warnings section naming rejected_orders")
	}
}
