package data

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseActions(t *testing.T) {
	text := "\ufeffSymbol,Date,Dividend,Split\r\nXYZ,2024-01-04,,2\r\nABC,2024-01-05,0.5,\r\n\"XYZ\",2024-01-05, 0.25 ,\r\n"
	ny, _ := time.LoadLocation("America/New_York")
	acts, err := ParseActions([]byte(text), "a.csv", ny)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		date, sym, split, div string
		line                  int
	}{
		{"2024-01-04", "XYZ", "2", "0", 2},
		{"2024-01-05", "ABC", "0", "0.5", 3},
		{"2024-01-05", "XYZ", "0", "0.25", 4},
	}
	if len(acts) != len(want) {
		t.Fatalf("%d actions, want %d", len(acts), len(want))
	}
	for i, w := range want {
		a := acts[i]
		d, _ := time.ParseInLocation("2006-01-02", w.date, ny)
		if !a.Date.Equal(d) || a.Date.Location() != ny || a.Symbol != w.sym || a.Split.String() != w.split || a.Dividend.String() != w.div || a.Line != w.line {
			t.Errorf("row %d = %+v, want %+v", i, a, w)
		}
	}
}

func TestParseActionsErrors(t *testing.T) {
	const head = "date,symbol,split,dividend\n"
	tests := []struct{ name, text, want string }{
		{"empty", "", "a.csv: the file is empty; expected the header date,symbol,split,dividend"},
		{"missing column", "date,symbol,split\n", `a.csv:1: field "dividend": no dividend column in the header ["date" "symbol" "split"]; expected the columns date,symbol,split,dividend`},
		{"extra column", "date,symbol,split,dividend,note\n", `a.csv:1: the header ["date" "symbol" "split" "dividend" "note"] has 5 columns; expected exactly date,symbol,split,dividend`},
		{"twice", "date,symbol,split,Date\n", `a.csv:1: column "Date" appears twice in the header`},
		{"bad date", head + "2024/01/04,X,2,\n", `a.csv:2: field "date": date "2024/01/04" is not a date written YYYY-MM-DD`},
		{"dates decrease", head + "2024-01-04,X,2,\n2024-01-03,X,,1\n", `a.csv:3: field "date": date 2024-01-03 is before the previous row's 2024-01-04 (line 2); dates must not decrease`},
		{"no symbol", head + "2024-01-04, ,2,\n", `a.csv:2: field "symbol": the symbol is empty`},
		{"ratio", head + "2024-01-04,X,3:2,\n", `a.csv:2: field "split": split "3:2" is not a decimal number (write 3:2 as 1.5); expected a ratio of shares after to shares before, such as 2 for a 2-for-1 split or 1.5 for 3-for-2`},
		{"negative split", head + "2024-01-04,X,-2,\n", `a.csv:2: field "split": split -2 must be positive; expected a ratio of shares after to shares before, such as 2 for a 2-for-1 split or 1.5 for 3-for-2`},
		{"exponent", head + "2024-01-04,X,,1e3\n", `a.csv:2: field "dividend": dividend "1e3" is not a decimal number; expected the cash paid per share, such as 0.25`},
		{"too fine", head + "2024-01-04,X,,0.0000000000000000001\n", `a.csv:2: field "dividend": dividend 0.0000000000000000001 is out of range: at most 18 digits before the decimal point and 18 after; expected the cash paid per share, such as 0.25`},
		{"neither", head + "2024-01-04,X,,\n", `a.csv:2: field "split": the row has neither a split nor a dividend; give one of them`},
		{"both", head + "2024-01-04,X,2,0.5\n", `a.csv:2: field "dividend": the row has both a split and a dividend; give each action a row of its own`},
		{"field count", head + "2024-01-04,X,2\n", `a.csv:2: the row has a different number of fields from the header's 4 (date,symbol,split,dividend)`},
		{"quote", head + "2024-01-04,\"X,2,\n", `a.csv:2: column 18: extraneous or missing " in quoted-field`},
	}
	for _, tc := range tests {
		_, err := ParseActions([]byte(tc.text), "a.csv", nil)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v\nwant %s", tc.name, err, tc.want)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("%s: %T is not an *Error", tc.name, err)
		}
	}
}

// ReadActions hashes the bytes it read: the digest is the file's SHA-256.
func TestReadActionsDigest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	text := "date,symbol,split,dividend\n2024-01-04,X,2,\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	acts, d, err := ReadActions(path, nil)
	if err != nil || len(acts) != 1 {
		t.Fatal(acts, err)
	}
	// sha256 of the text, by sha256sum.
	const want = "3496a81e776a61c992db0b7dd9975f091bb363e016b380a76fa23a45572a073f"
	if got := hex.EncodeToString(d.SHA256[:]); d.Path != path || d.Bytes != int64(len(text)) || got != want {
		t.Errorf("digest %s %d %s; want %s", d.Path, d.Bytes, got, want)
	}
	if _, _, err := ReadActions(filepath.Join(t.TempDir(), "none.csv"), nil); err == nil || !strings.HasPrefix(err.Error(), "actions file: open ") {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzParseActions feeds arbitrary bytes to ParseActions and checks that
// it never panics, that every error is an *Error naming the file, and that
// every action it returns keeps the rules.
func FuzzParseActions(f *testing.F) {
	for _, s := range []string{
		"date,symbol,split,dividend\n2024-01-04,XYZ,2,\n2024-01-05,ABC,,0.5\n",
		"Symbol,Date,Dividend,Split\r\nX,2024-01-04,,1.5\r\n",
		"date,symbol,split,dividend\n2024-01-04,X,3:2,\n",
		"date,symbol,split,dividend\n2024-01-04,\"X\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		acts, err := ParseActions(b, "fuzz.csv", nil)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "fuzz.csv" {
				t.Fatalf("error %v (%T) is not an *Error naming the file", err, err)
			}
			if !utf8.ValidString(err.Error()) && utf8.Valid(b) {
				t.Fatalf("error text is not UTF-8: %q", err.Error())
			}
			return
		}
		for i, a := range acts {
			if a.Symbol == "" || a.Split.IsZero() == a.Dividend.IsZero() || a.Split.IsNegative() || a.Dividend.IsNegative() {
				t.Fatalf("action %d breaks the rules: %+v", i, a)
			}
			if i > 0 && a.Date.Before(acts[i-1].Date) {
				t.Fatalf("action %d is before action %d", i, i-1)
			}
		}
	})
}
