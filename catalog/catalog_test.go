package catalog

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/data"
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
