package data

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// readAllText reads every bar and error of data, under opts, and reports them
// as text; plain false makes the Reader leave every line to the
// csv.Reader.
func readAllText(t *testing.T, data []byte, opts Options, plain bool) string {
	t.Helper()
	var out strings.Builder
	r, err := NewReader(bytes.NewReader(data), "in.csv", opts)
	if err != nil {
		return "open: " + err.Error()
	}
	if !plain {
		r.plainComma = 0
	}
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(&out, "error: %v\n", err)
			break
		}
		fmt.Fprintf(&out, "%s %v %v %v %v %v %v\n", b.Symbol, b.Time, b.Open, b.High, b.Low, b.Close, b.Volume)
	}
	n, kept := r.Skipped()
	fmt.Fprintf(&out, "skipped %d\n", n)
	for _, e := range kept {
		fmt.Fprintf(&out, "kept: %v\n", e)
	}
	return out.String()
}

// checkPlainSame checks that splitting plain lines in the Reader changes
// nothing: the same bars, the same errors with the same lines and
// columns, the same skipped rows.
func checkPlainSame(t *testing.T, data []byte, options ...Options) {
	t.Helper()
	if options == nil {
		options = []Options{{}, {BadRows: SkipBadRow}, {Header: HeaderAbsent, BadRows: SkipBadRow},
			{Header: HeaderSkip}, {Comma: ';', BadRows: SkipBadRow}}
	}
	for _, opts := range options {
		want := readAllText(t, data, opts, false)
		if got := readAllText(t, data, opts, true); got != want {
			t.Fatalf("options %+v: plain lines split by the Reader give\n%s\nthe csv.Reader alone gives\n%s", opts, got, want)
		}
	}
}

// TestPlainLinesSame compares the Reader with and without its own split
// of plain lines on inputs that mix plain lines with quoted and
// multi-line fields, CRLF and bare CR, empty lines, short and long rows,
// bad values and a missing final newline, long enough to cross the
// read buffer many times.
func TestPlainLinesSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 12 {
		comma := ","
		if round%5 == 4 {
			comma = ";"
		}
		var b strings.Builder
		if round%3 != 1 {
			b.WriteString(strings.ReplaceAll("Date,Open,High,Low,Close,Volume\n", ",", comma))
		}
		day := 0
		for range 2500 + rng.IntN(2500) {
			day++
			d := fmt.Sprintf("%04d-%02d-%02d", 1990+day/336, 1+day/28%12, 1+day%28)
			fields := []string{d, "10.5", "11", "9.25", "10", fmt.Sprint(rng.IntN(100000))}
			nl := "\n"
			switch k := rng.IntN(400); {
			case k < 4:
				fields[1] = `"10.5"` // quoted
			case k < 6:
				fields[5] = "\"12\n3\"" // quoted, over two lines
			case k < 8:
				fields = fields[:5] // short row
			case k < 10:
				fields = append(fields, "x") // long row
			case k < 12:
				fields[2] = `1"1` // bare quote
			case k < 14:
				fields[3] = "abc" // bad price
			case k < 16:
				nl = "\r\n"
			case k < 17:
				nl = "\n\n" // an empty line after
			case k < 18:
				nl = "\r\r\n"
			case k < 19:
				fields[4] = " 10 " // spaces
			case k < 20:
				day -= 2 // time goes back
			}
			b.WriteString(strings.Join(fields, comma) + nl)
		}
		data := b.String()
		if round%2 == 1 {
			data = strings.TrimSuffix(data, "\n")
		}
		checkPlainSame(t, []byte(data))
	}
}

// TestPlainLinesLimits compares the two ways on inputs that hit the
// Reader's limits: an over-long line, and an unclosed quote followed by
// more than MaxLineBytes of rows.
func TestPlainLinesLimits(t *testing.T) {
	rows := strings.Repeat("2020-01-02,1,1,1,1\n", 10) // times do not increase: skipped under SkipBadRow
	head := "Date,Open,High,Low,Close\n2019-01-01,1,1,1,1\n"
	long := head + rows + "2020-01-03," + strings.Repeat("1", MaxLineBytes+10) + ",1,1,1\n" + rows
	var many strings.Builder
	for i := range MaxLineBytes / 16 {
		fmt.Fprintf(&many, "%d,1,1,1,1\n", 1_000_000_000+i)
	}
	unclosed := "Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n2020-01-03,\"1,1,1,1\n" + many.String()
	for _, data := range []string{long, unclosed} {
		checkPlainSame(t, []byte(data), Options{}, Options{BadRows: SkipBadRow})
	}
}

// FuzzPlainLines checks on arbitrary input that the Reader's own split of
// plain lines gives what the csv.Reader alone gives.
func FuzzPlainLines(f *testing.F) {
	for _, s := range []string{
		"Date,Open,High,Low,Close,Volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10,11,9,10.5,100\n",
		"Date,Open,High,Low,Close\r\n2020-01-02,1,2,1,1.5\r\n\r\n2020-01-03,1,2,1,1.5\r\n",
		"2020-01-02,1,1,1,1\n2020-01-03,\"1\",1,1,1\n2020-01-04,1,1,1\n2020-01-05,1,1,1,1",
		"Date,Open,High,Low,Close\n2020-01-02,1,1,1,\"1\n\"\n2020-01-03,1,1,1,1\n2020-01-04,1,1\"1,1,1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPlainSame(t, data)
	})
}
