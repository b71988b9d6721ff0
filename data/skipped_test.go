package data

import (
	"io"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/engine"
)

// TestMergedSkipped sums the rows skipped by each reader and names the
// first ones, source by source.
func TestMergedSkipped(t *testing.T) {
	const hdr = "Date,Open,High,Low,Close\n"
	a, err := NewReader(strings.NewReader(hdr+"2020-01-02,1,1,1,1\n2020-01-03,x,1,1,1\n2020-01-04,1,1,1,1\n2020-01-05,1,1,2,1\n"), "a.csv", Options{BadRows: SkipBadRow})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewReader(strings.NewReader(hdr+"2020-01-02,1,1,1,NaN\n2020-01-03,1,1,1,1\n"), "b.csv", Options{BadRows: SkipBadRow})
	if err != nil {
		t.Fatal(err)
	}
	mem, err := NewMemory("M", []engine.Bar{{Symbol: "M", Time: day(2020, 1, 2), Open: 1, High: 1, Low: 1, Close: 1}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(a, mem, b)
	if err != nil {
		t.Fatal(err)
	}
	bars := 0
	for {
		got, err := m.Next(nil)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		bars += len(got)
	}
	if bars != 4 { // a: 2, M: 1, b: 1
		t.Fatalf("%d bars, want 4", bars)
	}
	tests := []struct {
		limit int
		first []string
	}{
		{0, nil},
		{2, []string{
			`a.csv:3: field "Open": invalid price "x": not a number; expected a decimal number such as 12.34`,
			`a.csv:5: field "High": high 1 is below low 2`,
		}},
		{5, []string{
			`a.csv:3: field "Open": invalid price "x": not a number; expected a decimal number such as 12.34`,
			`a.csv:5: field "High": high 1 is below low 2`,
			`b.csv:2: field "Close": invalid price "NaN": not a number; expected a decimal number such as 12.34`,
		}},
	}
	for _, tc := range tests {
		n, first := m.Skipped(tc.limit)
		if n != 3 || strings.Join(first, "\n") != strings.Join(tc.first, "\n") {
			t.Errorf("Skipped(%d) = %d %q, want 3 %q", tc.limit, n, first, tc.first)
		}
	}
}
