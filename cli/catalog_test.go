package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sameOutputs fails t unless folders a and b hold the same files with the
// same bytes, apart from the parts that name the inputs: config.yaml,
// manifest.json, the config and manifest keys of results.json, and the
// Configuration and Manifest sections of report.html.
func sameOutputs(t *testing.T, a, b string) {
	t.Helper()
	names := func(dir string) []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	na, nb := names(a), names(b)
	if strings.Join(na, ",") != strings.Join(nb, ",") {
		t.Fatalf("files %v and %v", na, nb)
	}
	for _, n := range na {
		if n == "config.yaml" || n == "manifest.json" {
			continue
		}
		x, err1 := os.ReadFile(filepath.Join(a, n))
		y, err2 := os.ReadFile(filepath.Join(b, n))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		switch n {
		case "results.json":
			x, y = withoutKeys(t, x, "config", "manifest"), withoutKeys(t, y, "config", "manifest")
		case "report.html":
			x, y = withoutInputs(t, x), withoutInputs(t, y)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs: %s", n, firstDifference(x, y))
		}
	}
}

// withoutKeys returns the JSON object b without keys, re-encoded.
func withoutKeys(t *testing.T, b []byte, keys ...string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Fatalf("no key %q", k)
		}
		delete(m, k)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutInputs returns a report without its Configuration and Manifest
// sections.
func withoutInputs(t *testing.T, b []byte) []byte {
	t.Helper()
	i := bytes.Index(b, []byte("<h2>Configuration</h2>"))
	j := bytes.Index(b, []byte("<h2>Manifest</h2>"))
	k := -1
	if j >= 0 {
		k = bytes.Index(b[j:], []byte("</pre>"))
	}
	if i < 0 || j < i || k < 0 {
		t.Fatal("report.html has no Configuration and Manifest sections")
	}
	return append(b[:i:i], b[j+k:]...)
}

// catalogRun ingests files (a --data value) into a catalog, runs args on
// the CSV files and on the catalog, and checks that every output but
// the parts that name the input files (see sameOutputs) is the same,
// and that verify reproduces the catalog run. It returns the two output
// folders. The CSV run names each file's symbol (NAME=PATH), as the
// catalog's files do: a benchmark file given by its path alone is shown
// by its path, one named by its symbol.
func catalogRun(t *testing.T, files string, args ...string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	cat := filepath.Join(dir, "cat")
	var named []string
	for _, f := range strings.Split(files, ",") {
		base := filepath.Base(f)
		sym := strings.TrimSuffix(base, filepath.Ext(base))
		named = append(named, sym+"="+f)
	}
	files = strings.Join(named, ",")
	if code, _, stderr := quantloop(t, "ingest", "--data", files, "--catalog", cat); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	fromCSV, fromCat := filepath.Join(dir, "csv"), filepath.Join(dir, "catalog")
	if code, _, stderr := quantloop(t, append([]string{"run", "--data", files, "--out", fromCSV}, args...)...); code != 0 {
		t.Fatalf("run on CSV: exit %d: %s", code, stderr)
	}
	if code, _, stderr := quantloop(t, append([]string{"run", "--catalog", cat, "--out", fromCat}, args...)...); code != 0 {
		t.Fatalf("run on the catalog: exit %d: %s", code, stderr)
	}
	sameOutputs(t, fromCSV, fromCat)
	if code, stdout, stderr := quantloop(t, "verify", fromCat); code != 0 {
		t.Fatalf("verify: exit %d: %s%s", code, stdout, stderr)
	}
	return fromCSV, fromCat
}

// TestCatalogRunIsIdentical runs the README example from CSV and from
// its catalog: the same outputs, and a manifest naming the catalog files.
func TestCatalogRunIsIdentical(t *testing.T) {
	_, fromCat := catalogRun(t, dailyData, "--strategy", "smacross", "--param", "mode=longshort", "--size-pct", "40", "--commission-pct", "0.05")
	m, err := os.ReadFile(filepath.Join(fromCat, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sym := range []string{"AAA", "BBB"} {
		path := filepath.Join(filepath.Dir(fromCat), "cat", sym+".parquet")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("\"path\": %q,\n      \"sha256\": \"%x\",\n      \"bytes\": %d", path, sha256.Sum256(b), len(b))
		if !strings.Contains(string(m), want) {
			t.Errorf("manifest lacks %s:\n%s", want, m)
		}
	}
}

// TestCatalogRunOnSharedData runs each real data file, and three of them
// together, from CSV and from a catalog.
func TestCatalogRunOnSharedData(t *testing.T) {
	const shared = "../../shared/data"
	if _, err := os.Stat(shared); err != nil {
		t.Skip("shared data not present:", err)
	}
	if testing.Short() {
		t.Skip("every real file")
	}
	files, _ := filepath.Glob(filepath.Join(shared, "*.*"))
	for _, f := range files {
		if filepath.Base(f) == "README.md" || filepath.Base(f) == "ticksample.csv" || filepath.Base(f) == "2006-01-02-volume-min-001.txt" {
			continue // files the CSV reader refuses without flags
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			catalogRun(t, f, "--strategy", "smacross", "--param", "mode=longshort", "--size-pct", "50", "--commission-pct", "0.1", "--slippage-bps", "2")
		})
	}
	t.Run("three", func(t *testing.T) {
		three := strings.Join([]string{filepath.Join(shared, "orcl-1995-2014.txt"), filepath.Join(shared, "yhoo-1996-2014.txt"), filepath.Join(shared, "nvda-1999-2014.txt")}, ",")
		// The catalog orders symbols by name; --symbols gives the CSV run's order.
		catalogRun(t, three, "--symbols", "orcl-1995-2014,yhoo-1996-2014,nvda-1999-2014", "--strategy", "smacross", "--size-pct", "30", "--account", "cash")
	})
}

// TestIngestErrors: bad input to ingest is one message naming the file,
// line and field, exit status 2, and no catalog file.
func TestIngestErrors(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "cat")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad row", []string{"--data", "../testdata/bad/high_below_low.csv", "--catalog", cat},
			"quantloop: ../testdata/bad/high_below_low.csv:3: field \"High\": high 9.7 is below low 10.2\n"},
		{"no catalog", []string{"--data", dailyData}, "quantloop: ingest: --catalog is required\nrun 'quantloop ingest --help' for the flags\n"},
		{"no data", []string{"--catalog", cat}, "quantloop: ingest: --data is required\nrun 'quantloop ingest --help' for the flags\n"},
		{"same symbol", []string{"--data", "X=../testdata/daily/AAA.csv,X=../testdata/daily/BBB.csv", "--catalog", cat},
			"quantloop: data.files: \"X=../testdata/daily/BBB.csv\": the symbol \"X\" is already the symbol of \"X=../testdata/daily/AAA.csv\"; name each file's symbol once, e.g. X2=../testdata/daily/BBB.csv\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := quantloop(t, append([]string{"ingest"}, tt.args...)...)
			if code != 2 || stderr != tt.want {
				t.Errorf("exit %d, stderr %q\nwant 2, %q", code, stderr, tt.want)
			}
			if es, _ := os.ReadDir(cat); len(es) > 0 {
				t.Errorf("the catalog holds %d files", len(es))
			}
		})
	}
}

// TestRunCatalogErrors: a bad catalog, a missing symbol, a corrupt or
// truncated file, and a file at another price scale are one message each
// and exit status 2.
func TestRunCatalogErrors(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "cat")
	if code, _, stderr := quantloop(t, "ingest", "--data", dailyData, "--catalog", cat); code != 0 {
		t.Fatal(stderr)
	}
	good, err := os.ReadFile(filepath.Join(cat, "AAA.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	corrupt := bytes.Clone(good)
	copy(corrupt[len(corrupt)/3:], "XXXXXXXXXXXXXXXX")
	scaled := bytes.Replace(good, []byte("100000000"), []byte("000010000"), 1)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing symbol", []string{"--catalog", cat, "--symbols", "ZZZ"}, `data.catalog: no symbol "ZZZ" in the catalog; it has AAA, BBB`},
		{"no catalog", []string{"--catalog", filepath.Join(dir, "none")}, "data.catalog: read the catalog: open " + filepath.Join(dir, "none")},
		{"catalog and data", []string{"--catalog", cat, "--data", dailyData}, "data.catalog: give data.catalog (--catalog) or data.files (--data), not both"},
		{"adjusted", []string{"--catalog", cat, "--adjust", "adjusted"}, `AAA.parquet: adjust "adjusted": a Parquet file is read with its prices as written`},
		{"truncated", []string{"--data", write("t.parquet", good[:len(good)/2])}, "t.parquet: not a Parquet file (no PAR1 magic at both ends)"},
		{"corrupt", []string{"--data", write("c.parquet", corrupt)}, "c.parquet: "},
		{"scale", []string{"--data", write("s.parquet", scaled)}, `s.parquet: field "quantloop.price_scale": the file's prices are in units of 1/000010000; quantloop's are in units of 1/100000000 (1e-8)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := quantloop(t, append([]string{"run", "--out", filepath.Join(dir, "out")}, tt.args...)...)
			if code != 2 || !strings.HasPrefix(stderr, "quantloop: ") || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q\nwant 2, %q...", code, stderr, tt.want)
			}
		})
	}
}

// TestSweepFromCatalog: a sweep whose config reads a catalog stores the
// runs, metrics and all, of the same sweep over the CSV files; only the
// run ids, made from the input hashes, differ.
func TestSweepFromCatalog(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "cat")
	if code, _, stderr := quantloop(t, "ingest", "--data", dailyData, "--catalog", cat); code != 0 {
		t.Fatal(stderr)
	}
	cfg := filepath.Join(dir, "run.yaml")
	body := "strategy:\n  name: smacross\n  params: {mode: longshort}\nsizing:\n  pct: 10\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var lists [2]string
	for i, data := range []string{"data.files=AAA=../testdata/daily/AAA.csv,BBB=../testdata/daily/BBB.csv", "data.catalog=" + cat} {
		db := filepath.Join(dir, fmt.Sprintf("s%d.db", i))
		if code, _, stderr := quantloop(t, "sweep", "--config", cfg, "--set", data, "--grid", "strategy.params.fast=5:15:5", "--store", db); code != 0 {
			t.Fatalf("sweep %s: exit %d: %s", data, code, stderr)
		}
		var rows []string
		for _, line := range strings.Split(strings.TrimSpace(list(t, db, "--format", "csv")), "\n") {
			_, rest, _ := strings.Cut(line, ",") // the run id
			rows = append(rows, rest)
		}
		slices.Sort(rows)
		lists[i] = strings.Join(rows, "\n")
	}
	if lists[0] != lists[1] || strings.Count(lists[0], "\n") != 3 {
		t.Errorf("the sweeps' runs differ:\n%s\n\n%s", lists[0], lists[1])
	}
}
