package data

import (
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/engine"
)

// TestBadFiles reads the hand-made files in testdata/bad. Each broken file
// must fail with an *Error whose text names the file, the line and the
// column; the valid ones must read right.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file  string
		line  int
		field string
		want  string // the message after "file:line: "; "" for a valid file
		bars  int    // bars read before the error, or in all
	}{
		{"non_numeric_price.csv", 3, "Open", `field "Open": invalid price "abc": not a number; expected a decimal number such as 12.34`, 1},
		{"nan_price.csv", 3, "High", `field "High": invalid price "NaN": not a number; expected a decimal number such as 12.34`, 1},
		{"inf_price.csv", 3, "Close", `field "Close": invalid price "Inf": not a number; expected a decimal number such as 12.34`, 1},
		{"negative_price.csv", 3, "Low", `field "Low": price -1.5 must be positive`, 1},
		{"zero_price.csv", 3, "Open", `field "Open": price 0 must be positive`, 1},
		{"tiny_price.csv", 3, "Open", `field "Open": price 0.000000004 rounds to 0 at 8 decimal places; the smallest price is 0.00000001`, 1},
		{"negative_volume.csv", 3, "Volume", `field "Volume": volume -5 must not be negative`, 1},
		{"high_below_low.csv", 3, "High", `field "High": high 9.7 is below low 10.2`, 1},
		{"high_below_close.csv", 3, "High", `field "High": high 10.4 is below max(open, close) 10.45`, 1},
		{"low_above_open.csv", 3, "Low", `field "Low": low 10.15 is above min(open, close) 10.1`, 1},
		{"time_backwards.csv", 4, "Date", `field "Date": time 2020-01-03 is not after the previous row's 2020-01-06 (line 3); times must strictly increase`, 2},
		{"duplicate_time.csv", 4, "Date", `field "Date": time 2020-01-03 is not after the previous row's 2020-01-03 (line 3); times must strictly increase`, 2},
		{"mixed_time_formats.csv", 4, "Date", `field "Date": time "2020-01-06 10:00:00" does not match the layout 2006-01-02 of the first row (line 2); every row must use the same layout`, 2},
		{"bad_time.csv", 3, "Date", `field "Date": time "2020-02-30" is out of range (month, day, hour, minute or second); expected layout 2006-01-02`, 1},
		{"missing_close.csv", 1, "close", `field "close": no close column in the header ["Date" "Open" "High" "Low" "Adj Close" "Volume"]; expected a column named Close, Last or C (or name it with --columns, Options.Columns)`, 0},
		{"empty.csv", 0, "", `the file is empty; expected a header line or rows of bars`, 0},
		{"semicolon.csv", 1, "", `the header "Date;Open;High;Low;Close;Volume" is a single column; the delimiter looks like ';', not ',': set it with --delimiter (Options.Comma)`, 0},
		{"too_few_fields.csv", 3, "", `header has 6 columns but this row has 5`, 1},
		{"non_utf8.csv", 3, "Close", `field "Close": invalid price "1\xff0.30": not a number; expected a decimal number such as 12.34`, 1},
		{"header_count_mismatch.csv", 2, "", `header has 6 columns but this row has 7; if the header is wrong, map columns by position with --header skip (Options.Header = HeaderSkip) or give them with --order (Options.Order)`, 0},
		// Valid files.
		{"header_only.csv", 0, "", "", 0},
		{"bom_crlf.csv", 0, "", "", 2},
		{"quoted_fields.csv", 0, "", "", 2},
		{"extra_columns.csv", 0, "", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "bad", tt.file)
			r, err := Open(path, Options{})
			n := 0
			if err == nil {
				defer r.Close()
				for {
					b, err2 := r.Next()
					if err2 != nil {
						err = err2
						break
					}
					if b.Symbol != strings.TrimSuffix(tt.file, ".csv") {
						t.Errorf("symbol %q", b.Symbol)
					}
					n++
				}
			}
			if n != tt.bars {
				t.Errorf("read %d bars, want %d", n, tt.bars)
			}
			if tt.want == "" {
				if err != io.EOF {
					t.Fatalf("error %v, want io.EOF", err)
				}
				if r.Bars() != tt.bars {
					t.Errorf("Bars() = %d, want %d", r.Bars(), tt.bars)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			if e.File != path || e.Line != tt.line || e.Field != tt.field {
				t.Errorf("error names file %q line %d field %q, want %q %d %q", e.File, e.Line, e.Field, path, tt.line, tt.field)
			}
			prefix := path
			if tt.line > 0 {
				prefix += ":" + strconv.Itoa(tt.line)
			}
			if want := prefix + ": " + tt.want; err.Error() != want {
				t.Errorf("error\n got %s\nwant %s", err, want)
			}
			if r != nil {
				if _, err2 := r.Next(); err2 != err {
					t.Errorf("second Next() error %v, want the same error again", err2)
				}
			}
		})
	}
}

// TestValidBadFilesContent checks the values read from the valid files in
// testdata/bad.
func TestValidBadFilesContent(t *testing.T) {
	want := []engine.Bar{
		bar("X", day(2020, 1, 2), "10.00", "10.50", "9.80", "10.20", 1000),
		bar("X", day(2020, 1, 3), "10.10", "10.60", "9.90", "10.30", 1100),
	}
	for _, f := range []string{"bom_crlf.csv", "quoted_fields.csv", "extra_columns.csv"} {
		t.Run(f, func(t *testing.T) {
			bars, err := readFile(filepath.Join("..", "testdata", "bad", f), Options{Symbol: "X"})
			if err != nil {
				t.Fatal(err)
			}
			sameBars(t, bars, want)
		})
	}
}

// readFile reads every bar of the file at path.
func readFile(path string, opts Options) ([]engine.Bar, error) {
	r, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return drain(r)
}
