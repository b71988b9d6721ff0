package cli

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// TestExportIsTheRunFolder exports a run recorded by run --store and a
// run of a sweep: the folders are byte for byte those of runs written
// directly, and a store whose metric was altered is caught.
func TestExportIsTheRunFolder(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	db := filepath.Join(dir, "r.db")
	direct := filepath.Join(dir, "direct")
	if code, _, errOut := quantloop(t, "run", "--config", cfg, "--param", "fast=9", "--out", direct, "--store", db); code != 0 {
		t.Fatal(errOut)
	}
	ids := strings.Fields(list(t, db, "--format", "csv"))
	id := strings.SplitN(ids[1], ",", 2)[0]
	exported := filepath.Join(dir, "exported")
	if code, _, errOut := quantloop(t, "runs", "export", "--store", db, id[:8], "--out", exported); code != 0 {
		t.Fatal(errOut)
	}
	for _, name := range report.Outputs() {
		a, err1 := os.ReadFile(filepath.Join(direct, name))
		b, err2 := os.ReadFile(filepath.Join(exported, name))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the direct run's (%v, %v)", name, err1, err2)
		}
	}

	code, out, errOut := quantloop(t, "runs", "export", "--store", db, id, "--format", "json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 {
		t.Fatalf("export --format json: %d %s %s", code, out, errOut)
	}
	if rows[0]["strategy.params.fast"] != "9" || rows[0]["account.cash"] != "100000" || rows[0]["id"] != id {
		t.Errorf("row %v", rows[0])
	}

	// A sweep's run, kept thin, exports too.
	sdb := filepath.Join(dir, "s.db")
	if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=9", "--store", sdb); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := quantloop(t, "runs", "export", "--store", sdb, id, "--out", filepath.Join(dir, "swept")); code != 0 {
		t.Fatal(errOut)
	}

	// A store that does not hold what the run gives is caught.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	// The run's metrics are one JSON object (see store's values.go).
	var sharpe string
	if err := raw.QueryRow(`SELECT metrics -> '$.sharpe' FROM run_values WHERE run_id = ?`, id).Scan(&sharpe); err != nil {
		t.Fatal(err)
	}
	if sharpe == "1.5" {
		t.Fatal("the stored sharpe is 1.5 already")
	}
	if _, err := raw.Exec(`UPDATE run_values SET metrics = json_set(metrics, '$.sharpe', 1.5) WHERE run_id = ?`, id); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, _, errOut = quantloop(t, "runs", "export", "--store", db, id, "--out", filepath.Join(dir, "again"))
	if code != 1 || !strings.Contains(errOut, "metric sharpe is") {
		t.Fatalf("export of an altered run: exit %d, %s", code, errOut)
	}
}

// TestExportChangedInputs: a run whose input file changed, or is gone,
// since it was stored is refused before anything is written, with exit
// status 2 and the file named; put back, the file exports again.
func TestExportChangedInputs(t *testing.T) {
	dir := t.TempDir()
	orig, err := os.ReadFile("../testdata/daily/AAA.csv")
	if err != nil {
		t.Fatal(err)
	}
	data := writeFile(t, dir, "AAA.csv", string(orig))
	cfg := writeFile(t, dir, "run.yaml", "data:\n  files: ["+data+"]\n")
	db := filepath.Join(dir, "s.db")
	if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=5,10", "--store", db, "--html", "-"); code != 0 {
		t.Fatal(errOut)
	}
	id := strings.SplitN(strings.Fields(list(t, db, "--format", "csv"))[1], ",", 2)[0]
	// One volume with a digit more: the file still reads well.
	lines := strings.Split(string(orig), "\n")
	lines[5] += "1"
	for _, tt := range []struct {
		name, content, msg string
	}{
		{"changed", strings.Join(lines, "\n"), "input " + data + " changed: sha256 "},
		{"gone", "", "input " + data + " cannot be read"},
	} {
		if tt.content == "" {
			os.Remove(data)
		} else if err := os.WriteFile(data, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out-"+tt.name)
		code, _, errOut := quantloop(t, "runs", "export", "--store", db, id, "--out", out)
		if code != 2 || !strings.Contains(errOut, "the run cannot be made again: "+tt.msg) || !strings.Contains(errOut, "nothing written") {
			t.Errorf("%s: exit %d: %s", tt.name, code, errOut)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: %s exists (%v)", tt.name, out, err)
		}
	}
	if err := os.WriteFile(data, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := quantloop(t, "runs", "export", "--store", db, id, "--out", filepath.Join(dir, "again")); code != 0 {
		t.Fatalf("export with the file put back: exit %d: %s", code, errOut)
	}
}

// TestExportOutputLevels: runs swept at --outputs lean (intraday bars,
// whose equity.csv a day thins) and metrics export to the folders a
// direct run writes at that level: the check compares only the rows the
// folder holds in full.
func TestExportOutputLevels(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		level, data string
	}{
		{"lean", "../testdata/intraday/CCC.csv"},
		{"metrics", "../testdata/daily/AAA.csv"},
	} {
		cfg := writeFile(t, dir, tt.level+".yaml", "data:\n  files: ["+tt.data+"]\nanalysis:\n  outputs: "+tt.level+"\n")
		db := filepath.Join(dir, tt.level+".db")
		if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=7", "--store", db, "--html", "-"); code != 0 {
			t.Fatal(errOut)
		}
		direct, exported := filepath.Join(dir, tt.level+"-direct"), filepath.Join(dir, tt.level+"-exported")
		if code, _, errOut := quantloop(t, "run", "--config", cfg, "--param", "fast=7", "--out", direct); code != 0 {
			t.Fatal(errOut)
		}
		id := strings.SplitN(strings.Fields(list(t, db, "--format", "csv"))[1], ",", 2)[0]
		if code, _, errOut := quantloop(t, "runs", "export", "--store", db, id, "--out", exported); code != 0 {
			t.Fatalf("%s: export: exit %d: %s", tt.level, code, errOut)
		}
		want, _ := os.ReadDir(direct)
		got, _ := os.ReadDir(exported)
		if len(got) != len(want) || len(want) < 3 {
			t.Fatalf("%s: exported %d files, the direct run %d", tt.level, len(got), len(want))
		}
		for _, e := range want {
			a, err1 := os.ReadFile(filepath.Join(direct, e.Name()))
			b, err2 := os.ReadFile(filepath.Join(exported, e.Name()))
			if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
				t.Errorf("%s: %s differs from the direct run's (%v, %v)", tt.level, e.Name(), err1, err2)
			}
		}
	}
}
