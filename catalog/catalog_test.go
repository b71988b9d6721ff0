package catalog

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

// TestIngestIsDeterministic ingests the same CSV files twice, into two
// catalogs and again into the first: the same bytes every time, and the
// source hashes are those of the CSV files.
func TestIngestIsDeterministic(t *testing.T) {
	srcs := []Source{{Path: "../testdata/daily/AAA.csv"}, {Symbol: "B", Path: "../testdata/daily/BBB.csv"}}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	ins, err := Ingest(a, srcs, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := map[string][]byte{}
	for _, in := range ins {
		first[in.Symbol], _ = os.ReadFile(in.Path)
		src, _ := os.ReadFile(map[string]string{"AAA": srcs[0].Path, "B": srcs[1].Path}[in.Symbol])
		if in.Source.SHA256 != sha256.Sum256(src) || in.Bars != 500 {
			t.Errorf("%s: %d bars, source %x", in.Symbol, in.Bars, in.Source.SHA256)
		}
	}
	for _, dir := range []string{b, a} {
		if _, err := Ingest(dir, srcs, data.Options{}); err != nil {
			t.Fatal(err)
		}
		es, err := Entries(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 2 || es[0].Symbol != "AAA" || es[1].Symbol != "B" {
			t.Fatalf("entries %v", es)
		}
		for _, e := range es {
			got, _ := os.ReadFile(e.Path)
			if !bytes.Equal(got, first[e.Symbol]) {
				t.Errorf("%s: the bytes differ from the first ingest's", e.Path)
			}
		}
	}
}

// TestIngestBadRow: a bad row fails the ingest with the CSV reader's
// error, even under SkipBadRow, and leaves no file.
func TestIngestBadRow(t *testing.T) {
	dir := t.TempDir()
	_, err := Ingest(dir, []Source{{Path: "../testdata/bad/negative_price.csv"}}, data.Options{BadRows: data.SkipBadRow})
	var de *data.Error
	if !errors.As(err, &de) || de.Line == 0 || !strings.Contains(err.Error(), "negative_price.csv") {
		t.Fatalf("error %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("%d files left", len(es))
	}
}

// TestIngestWholeOrNothing: an ingest with one bad source writes none of
// its files (the catalog keeps what it held, and no temporary file), and
// one into a new folder leaves no folder.
func TestIngestWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := Ingest(dir, []Source{{Path: "../testdata/daily/AAA.csv"}}, data.Options{}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, "AAA.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	// BBB is good and comes before the bad file; AAA's new file too.
	done, err := Ingest(dir, []Source{{Path: "../testdata/daily/BBB.csv"}, {Symbol: "AAA", Path: "../testdata/daily/BBB.csv"},
		{Path: "../testdata/bad/negative_price.csv"}}, data.Options{})
	var de *data.Error
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "negative_price.csv") || len(done) != 0 {
		t.Fatalf("ingested %v, error %v; want none and the bad row's error", done, err)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 1 || es[0].Name() != "AAA.parquet" {
		t.Errorf("the catalog holds %v, want only AAA.parquet", es)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "AAA.parquet")); string(after) != string(before) {
		t.Error("AAA.parquet changed")
	}
	fresh := filepath.Join(t.TempDir(), "new")
	if _, err := Ingest(fresh, []Source{{Path: "../testdata/daily/AAA.csv"}, {Path: "../testdata/bad/negative_price.csv"}}, data.Options{}); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("the new folder is left (%v)", err)
	}
}

// TestEntriesAndSelect: only SYMBOL.parquet files are entries, ordered by
// symbol; Select keeps the order it is given and names a missing symbol.
func TestEntriesAndSelect(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"ZZ.parquet", "AA.parquet", "notes.txt", "b c.parquet", ".parquet"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "D.parquet"), 0o755); err != nil {
		t.Fatal(err)
	}
	es, err := Entries(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0] != (Entry{"AA", filepath.Join(dir, "AA.parquet")}) || es[1].Symbol != "ZZ" {
		t.Fatalf("entries %v", es)
	}
	tests := []struct {
		symbols []string
		want    string
		err     string
	}{
		{nil, "AA,ZZ", ""},
		{[]string{"ZZ", "AA"}, "ZZ,AA", ""},
		{[]string{"ZZ"}, "ZZ", ""},
		{[]string{"QQ"}, "", `no symbol "QQ" in the catalog; it has AA, ZZ`},
		{[]string{"ZZ", "AA", "ZZ"}, "", `the symbol "ZZ" is named twice`},
	}
	for _, tt := range tests {
		got, err := Select(es, tt.symbols)
		var syms []string
		for _, e := range got {
			syms = append(syms, e.Symbol)
		}
		if strings.Join(syms, ",") != tt.want || (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("Select(%v) = %v, %v; want %s, %s", tt.symbols, syms, err, tt.want, tt.err)
		}
	}
	if _, err := Entries(t.TempDir()); err == nil || !strings.Contains(err.Error(), "holds no SYMBOL.parquet files") {
		t.Errorf("empty catalog: %v", err)
	}
}

// TestIngestParquet ingests a Parquet file (here a catalog file): the
// same bars, and the source hash is the Parquet file's.
func TestIngestParquet(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	first, err := Ingest(a, []Source{{Path: "../testdata/daily/AAA.csv"}}, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := Ingest(b, []Source{{Path: first[0].Path}}, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(first[0].Path)
	if second[0].Symbol != "AAA" || second[0].Bars != 500 || second[0].Source.SHA256 != sha256.Sum256(src) {
		t.Fatalf("ingested %+v", second[0])
	}
	read := func(path string) []engine.Bar {
		r, err := data.OpenParquet(path, data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var bars []engine.Bar
		for {
			bar, err := r.Next()
			if err == io.EOF {
				return bars
			}
			if err != nil {
				t.Fatal(err)
			}
			bars = append(bars, bar)
		}
	}
	x, y := read(first[0].Path), read(second[0].Path)
	if len(x) != 500 || len(y) != 500 {
		t.Fatalf("%d and %d bars", len(x), len(y))
	}
	for i := range x {
		if !x[i].Time.Equal(y[i].Time) || x[i].Close != y[i].Close || x[i].Volume != y[i].Volume {
			t.Fatalf("bar %d: %+v and %+v", i, x[i], y[i])
		}
	}
}
