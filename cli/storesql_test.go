package cli

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStoreSQL reads a sweep's store with SQL, through the views
// parameters and metrics and through SQLite's JSON functions, and checks
// what it reads against runs list and a run's results.json.
func TestStoreSQL(t *testing.T) {
	dir := t.TempDir()
	cfg := writeSweepConfig(t, dir)
	db := filepath.Join(dir, "s.db")
	if code, _, errOut := quantloop(t, "sweep", "--config", cfg, "--values", "strategy.params.fast=7,9", "--store", db); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "out")
	if code, _, errOut := quantloop(t, "run", "--config", cfg, "--param", "fast=9", "--out", out); code != 0 {
		t.Fatal(errOut)
	}
	listed, err := csv.NewReader(strings.NewReader(list(t, db, "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 3 {
		t.Fatalf("%d rows listed, want a header and 2 runs", len(listed))
	}
	header := listed[0]
	cell := map[string]map[string]string{} // by run id, then column
	for _, row := range listed[1:] {
		cell[row[0]] = map[string]string{}
		for i, c := range row {
			cell[row[0]][header[i]] = c
		}
	}
	var results map[string]any
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatal(err)
	}

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	query := func(q string, scan func(rows *sql.Rows) error) {
		t.Helper()
		rows, err := raw.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	// The run of fast 9 is the one results.json is of.
	fast9 := ""
	n := 0
	query(`SELECT run_id, value FROM parameters WHERE path = 'strategy.params.fast'`, func(rows *sql.Rows) error {
		var id, v string
		err := rows.Scan(&id, &v)
		if v != cell[id]["strategy.params.fast"] {
			t.Errorf("run %s: fast %q, listed %q", id, v, cell[id]["strategy.params.fast"])
		}
		if v == "9" {
			fast9 = id
		}
		n++
		return err
	})
	if n != 2 || fast9 == "" {
		t.Fatalf("%d runs with a fast setting, fast 9 run %q", n, fast9)
	}

	n = 0
	query(`SELECT run_id, value FROM metrics WHERE name = 'sharpe'`, func(rows *sql.Rows) error {
		var id string
		var v float64
		err := rows.Scan(&id, &v)
		if want, perr := strconv.ParseFloat(cell[id]["sharpe"], 64); perr != nil || v != want {
			t.Errorf("run %s: sharpe %v, listed %q", id, v, cell[id]["sharpe"])
		}
		if id == fast9 && v != results["sharpe"] {
			t.Errorf("sharpe %v, results.json %v", v, results["sharpe"])
		}
		n++
		return err
	})
	if n != 2 {
		t.Fatalf("%d sharpe ratios", n)
	}

	// Every metric's text is the listing's cell; a number, or money written
	// as a decimal string, has its value, and other text has none.
	n = 0
	query(`SELECT run_id, name, text, value FROM metrics`, func(rows *sql.Rows) error {
		var id, name, text string
		var value sql.NullFloat64
		err := rows.Scan(&id, &name, &text, &value)
		c, ok := cell[id][name]
		if !ok || c != text {
			t.Errorf("run %s: metric %s %q, listed %q (%v)", id, name, text, c, ok)
		}
		switch name {
		case "final_equity", "sharpe", "fees":
			if want, perr := strconv.ParseFloat(text, 64); perr != nil || !value.Valid || value.Float64 != want {
				t.Errorf("run %s: metric %s value %v, text %q", id, name, value, text)
			}
		case "start", "intrabar_path", "trade_stats.avg_duration":
			if value.Valid {
				t.Errorf("run %s: metric %s %q has the value %v", id, name, text, value.Float64)
			}
		}
		n++
		return err
	})
	if n < 100 {
		t.Fatalf("%d metrics", n)
	}

	// json_extract gives the number of a number, the text of a string; a
	// name with dots is quoted in the path.
	var sharpe, omega float64
	var equity string
	if err := raw.QueryRow(`SELECT json_extract(metrics, '$.sharpe'), json_extract(metrics, '$."analysis.returns.omega"'),
		json_extract(metrics, '$.final_equity') FROM run_values WHERE run_id = ?`, fast9).Scan(&sharpe, &omega, &equity); err != nil {
		t.Fatal(err)
	}
	analysis, _ := results["analysis"].(map[string]any)
	returns, _ := analysis["returns"].(map[string]any)
	if sharpe != results["sharpe"] || omega != returns["omega"] || equity != results["final_equity"] {
		t.Errorf("json_extract: sharpe %v omega %v final_equity %q; results.json %v %v %v",
			sharpe, omega, equity, results["sharpe"], returns["omega"], results["final_equity"])
	}

	// A run's kept rows are its CSV file's text.
	var trades string
	if err := raw.QueryRow(`SELECT data FROM run_rows WHERE run_id = ? AND kind = 'trades'`, fast9).Scan(&trades); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "trades.csv")); err != nil || trades != string(b) {
		t.Errorf("stored trades differ from trades.csv (%v):\n%s", err, trades)
	}
}
