package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runs compare --html writes the comparison page of stored runs; report
// --compare --store points to it.
func TestRunsCompareHTML(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	db := filepath.Join(dir, "s.db")
	if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=5,10", "--store", db); code != 0 {
		t.Fatal(errOut)
	}
	var runs []map[string]any
	if err := json.Unmarshal([]byte(list(t, db, "--format", "json")), &runs); err != nil || len(runs) != 2 {
		t.Fatalf("%d runs, %v", len(runs), err)
	}
	a, b := runs[0]["id"].(string), runs[1]["id"].(string)
	out := filepath.Join(dir, "cmp.html")
	code, stdout, stderr := quantloop(t, "runs", "compare", "--store", db, a[:10], b, "--html", out)
	if code != 0 || stdout != "wrote "+out+", comparing 2 stored runs\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	row := `<tr><td>strategy.params.fast</td><td class="l wrap">` + runs[0]["strategy.params.fast"].(string) +
		`</td><td class="l wrap">` + runs[1]["strategy.params.fast"].(string) + `</td></tr>`
	if !strings.Contains(string(page), row) || strings.Count(string(page), `<td class="l wrap">`) != 2 {
		t.Errorf("settings that differ: want %s alone", row)
	}
	if !strings.Contains(string(page), "<th>"+a[:12]+"</th><th>"+b[:12]+"</th>") {
		t.Error("the runs are not labelled by their short ids")
	}
	if code, _, stderr := quantloop(t, "runs", "compare", "--store", db, a, "ffff", "--html", out); code != 2 || !strings.Contains(stderr, "ffff") {
		t.Errorf("an unknown id: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = quantloop(t, "report", "--compare", "--store", db, a, b)
	if code != 2 || !strings.HasPrefix(stderr, "quantloop: "+storeCompareHint+"\n") {
		t.Errorf("report --compare --store: exit %d, stderr %q", code, stderr)
	}
}
