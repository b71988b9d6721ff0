package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readText reads every bar and error of data under opts, with records made
// by newRecs, and reports them as text.
func readText(data []byte, opts Options, newRecs func(*bufio.Reader, rune) *records) string {
	var out strings.Builder
	r, err := newReader(bytes.NewReader(data), "in.csv", opts, newRecs)
	if err != nil {
		return "open: " + err.Error() + "\n"
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

// checkSameAsCSV checks that a Reader splitting plain lines itself reads
// data as a Reader leaving every line to encoding/csv does, under opts:
// the same bars, the same errors, the same skipped rows. It returns what
// both read.
func checkSameAsCSV(t *testing.T, data []byte, opts Options) string {
	t.Helper()
	want := readText(data, opts, newCSVRecords)
	if got := readText(data, opts, newRecords); got != want {
		t.Fatalf("options %+v: splitting plain lines gives\n%s\nencoding/csv alone gives\n%s", opts, got, want)
	}
	return want
}

// manyRows returns n plain daily rows from 1990 on, date,open,high,low,close
// with comma between fields, each ending in nl.
func manyRows(n int, comma, nl string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%04d-%02d-%02d%s10%s11%s9%s10.%d%s", 1990+i/336, 1+i/28%12, 1+i%28, comma, comma, comma, comma, i%10, nl)
	}
	return b.String()
}

// TestRecordsSameAsCSV reads inputs that try the line splitting's edges
// with both ways of reading records and checks that bars and errors are
// the same, and, where given, what they are.
func TestRecordsSameAsCSV(t *testing.T) {
	const head = "Date,Open,High,Low,Close\n"
	long := strings.Repeat("1", MaxLineBytes+10)
	tests := []struct {
		name string
		text string
		opts Options
		want []string // lines the output must contain
	}{
		{"plain", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,2,1,1.5\n", Options{}, []string{"skipped 0"}},
		{"crlf", "Date,Open,High,Low,Close\r\n2020-01-02,1,2,1,1.5\r\n2020-01-03,1,2,1,1.5\r\n", Options{}, nil},
		{"mixed endings and bare cr", head + "2020-01-02,1,2,1,1.5\r\n2020-01-03,1,2,1,1.5\r\r\n2020-01-06,1,2,1,1.5\n", Options{},
			[]string{"skipped 0"}}, // the Reader trims the "\r" left in the last field
		{"bare cr in a field", head + "2020-01-02,1,2,1\r,1.5\n", Options{}, []string{"skipped 0"}},
		{"blank lines", "\n\n" + head + "\n2020-01-02,1,2,1,1.5\n\r\n\n2020-01-03,1,2,1,1.5\n\n", Options{}, nil},
		{"blank lines then a bad row", head + "\n\n2020-01-02,1,2,1,x\n", Options{}, []string{`error: in.csv:4: field "Close": invalid price`}},
		{"no final newline", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,2,1,1.5", Options{}, nil},
		{"no final newline, cr", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,2,1,1.5\r", Options{}, nil},
		{"only a cr at the end", head + "2020-01-02,1,2,1,1.5\n\r", Options{}, nil},
		{"bom", "\ufeff" + head + "2020-01-02,1,2,1,1.5\n", Options{}, nil},
		{"bom, crlf, quotes later", "\ufeff" + strings.ReplaceAll(head, "\n", "\r\n") + "2020-01-02,1,2,1,1.5\r\n2020-01-03,\"1\",2,1,1.5\r\n2020-01-03,1,2,1,1.5\r\n", Options{},
			[]string{`error: in.csv:4: field "Date": time 2020-01-03 is not after the previous row's 2020-01-03 (line 3); times must strictly increase`}},
		{"quoted header", "\"Date\",\"Open\",\"High\",\"Low\",\"Close\"\n2020-01-02,1,2,1,1.5\n2020-01-03,1,2,1,x\n", Options{},
			[]string{`error: in.csv:3: field "Close": invalid price`}},
		{"quote mid-file", head + manyRows(3000, ",", "\n") + "2010-01-01,\"1\",2,1,1\n2010-01-02,1,2,1,y\n", Options{},
			[]string{`error: in.csv:3003: field "Close": invalid price "y"`}},
		{"quoted field over two lines", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,2,1,\"1.5\n\"\n2020-01-06,1,2,1,z\n", Options{BadRows: SkipBadRow},
			[]string{`kept: in.csv:5: field "Close": invalid price "z"`, "skipped 1"}},
		{"bare quote", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,2\"2,1,1.5\n2020-01-06,1,2,1,1.5\n", Options{BadRows: SkipBadRow},
			[]string{`kept: in.csv:3: column 15: bare " in non-quoted-field`, "skipped 1"}},
		{"field count before a switch", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,2,1\n2020-01-06,1,2,1,\"1\"\n2020-01-07,1,2,1,1,1\n", Options{BadRows: SkipBadRow},
			[]string{"kept: in.csv:3: header has 5 columns but this row has 4", "kept: in.csv:5: header has 5 columns but this row has 6", "skipped 2"}},
		{"field count at once", head + "2020-01-02,1,2,1\n", Options{},
			[]string{"error: in.csv:2: header has 5 columns but this row has 4; if the header is wrong, map columns by position with --header skip (Options.Header = HeaderSkip) or give them with --order (Options.Order)"}},
		{"field count after a switch", head + "2020-01-02,\"1\",2,1,1.5\n2020-01-03,1,2,1\n", Options{},
			[]string{"error: in.csv:3: header has 5 columns but this row has 4"}},
		{"field count by position", "2020-01-02,1,2,1,1.5\n2020-01-03,1,2,1,1.5,7,8\n\n2020-01-06,\"1\",2,1,1.5,7\n", Options{BadRows: SkipBadRow},
			[]string{"kept: in.csv:2: the first row has 5 fields but this row has 7", "kept: in.csv:4: the first row has 5 fields but this row has 6"}},
		{"header skip", "a;b;c\n2020-01-02;1;2;1;1.5\n2020-01-03;1;2;1;1.5\n", Options{Header: HeaderSkip, Comma: ';'}, []string{"skipped 0"}},
		{"tab", strings.ReplaceAll(head, ",", "\t") + manyRows(100, "\t", "\n"), Options{Comma: '\t'}, []string{"skipped 0"}},
		{"tab, quote late", strings.ReplaceAll(head, ",", "\t") + manyRows(100, "\t", "\r\n") + "2010-01-01\t\"1\"\t2\t1\t1\n2010-01-02\t1\t2\t1\n", Options{Comma: '\t'},
			[]string{"error: in.csv:103: header has 5 columns but this row has 4"}},
		{"multi-byte delimiter", strings.ReplaceAll(head, ",", "§") + manyRows(50, "§", "\n") + "2010-01-01§1§2§1\n", Options{Comma: '§'},
			[]string{"error: in.csv:52: header has 5 columns but this row has 4"}},
		{"multi-byte delimiter, quote late", strings.ReplaceAll(head, ",", "€") + manyRows(50, "€", "\n") + "2010-01-01€\"1\"€2€1€1\n2010-01-02€1€2€1€q\n", Options{Comma: '€'},
			[]string{`error: in.csv:53: field "Close": invalid price "q"`}},
		{"wrong delimiter", "Date;Open;High;Low;Close\n2020-01-02;1;2;1;1.5\n", Options{}, []string{`open: in.csv:1: the header "Date;Open;High;Low;Close" is a single column; the delimiter looks like ';', not ','`}},
		{"invalid delimiter", head + "2020-01-02,1,2,1,1.5\n", Options{Comma: '"'}, []string{"open: in.csv: csv: invalid field or comment delimiter"}},
		{"empty", "", Options{}, []string{"open: in.csv: the file is empty"}},
		{"only blank lines", "\n\r\n\n", Options{}, []string{"open: in.csv: the file is empty"}},
		{"spaces kept", head + " 2020-01-02 , 1 ,2,1, 1.5\n", Options{}, []string{"skipped 0"}},
		{"long line", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,1,1," + long + "\n", Options{BadRows: SkipBadRow},
			[]string{"error: in.csv:3: line is longer than 1048576 bytes"}},
		{"long line after a switch", head + "2020-01-02,\"1\",2,1,1.5\n2020-01-03,1,1,1," + long + "\n", Options{},
			[]string{"error: in.csv:3: line is longer than 1048576 bytes"}},
		{"a line longer than the buffer", head + "2020-01-02,1,2,1,1.5" + strings.Repeat(" ", 3*readBufferSize) + "\n2020-01-03,1,2,1,1.5\n", Options{}, []string{"skipped 0"}},
		{"a quoted line longer than the buffer", head + "2020-01-02,1,2,1,1.5" + strings.Repeat(" ", 3*readBufferSize) + "\"\n2020-01-03,1,2,1,1.5\n", Options{},
			[]string{`error: in.csv:2: column 196629: bare " in non-quoted-field`}},
		{"unclosed quote", head + "2020-01-02,1,2,1,1.5\n2020-01-03,1,1,1,\"1\n" + manyRows(MaxLineBytes/20+4000, ",", "\n"), Options{},
			[]string{"error: in.csv:3: the record starting on this line is longer than 1048576 bytes; is a closing quote missing?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkSameAsCSV(t, []byte(tt.text), tt.opts)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output does not contain %q:\n%s", w, got)
				}
			}
			// The same input under SkipBadRow and by position.
			for _, opts := range []Options{{BadRows: SkipBadRow, Comma: tt.opts.Comma}, {Header: HeaderSkip, BadRows: SkipBadRow, Comma: tt.opts.Comma}} {
				checkSameAsCSV(t, []byte(tt.text), opts)
			}
		})
	}
}

// TestRecordsSwitch checks that records leave the input to encoding/csv
// at the first quote and not before.
func TestRecordsSwitch(t *testing.T) {
	in := "a,b\n\nc,d\r\ne,\"f\"\ng,h\n"
	s := newRecords(bufio.NewReader(strings.NewReader(in)), 0)
	for i, want := range []struct {
		rec    []string
		line   int
		offset int64
		csv    bool
	}{
		{[]string{"a", "b"}, 1, 4, false},
		{[]string{"c", "d"}, 3, 10, false},
		{[]string{"e", "f"}, 4, 16, true},
		{[]string{"g", "h"}, 5, 20, true},
	} {
		rec, err := s.Read()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec, want.rec) || s.fieldLine(1) != want.line || s.inputOffset() != want.offset || (s.cr != nil) != want.csv {
			t.Errorf("record %d: %q line %d offset %d csv %v, want %q %d %d %v", i, rec, s.fieldLine(1), s.inputOffset(), s.cr != nil,
				want.rec, want.line, want.offset, want.csv)
		}
	}
	if _, err := s.Read(); err != io.EOF {
		t.Errorf("at the end: %v, want io.EOF", err)
	}
}

// FuzzPlainSplitter checks on any input that records read what a
// csv.Reader reads (ReuseRecord set, Comma and FieldsPerRecord as
// configured): the same records, lines, offsets and errors; and that a
// Reader reads the same bars and errors either way.
func FuzzPlainSplitter(f *testing.F) {
	for _, s := range []string{
		"Date,Open,High,Low,Close,Volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10,11,9,10.5,100\n",
		"Date,Open,High,Low,Close\r\n2020-01-02,1,2,1,1.5\r\n\r\n2020-01-03,1,2,1,1.5\r\n",
		"2020-01-02,1,1,1,1\n2020-01-03,\"1\",1,1,1\n2020-01-04,1,1,1\n2020-01-05,1,1,1,1",
		"Date,Open,High,Low,Close\n2020-01-02,1,1,1,\"1\n\"\n2020-01-03,1,1,1,1\n2020-01-04,1,1\"1,1,1\n",
		"\ufeffa;b;c\n1;2;3\n\n4;5\r\n6;7;8;9\r",
		"a\tb\n\r\n\r\rc\td\r\r\n\"e\"\tf\n",
		"a§b§c\n1§2§3\n4§\"5\"§6\n",
	} {
		f.Add([]byte(s), ',', int8(-1), int8(0))
		f.Add([]byte(s), ';', int8(0), int8(3))
		f.Add([]byte(s), '\t', int8(2), int8(-1))
		f.Add([]byte(s), '§', int8(-1), int8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, comma rune, first, later int8) {
		first, later = max(first%8, -1), max(later%8, -1)
		// The smallest buffer bufio allows puts lines across buffers and
		// makes long lines of short ones.
		for _, size := range []int{16, readBufferSize} {
			compareRecords(t, data, comma, int(first), int(later), size)
		}
		if comma == ',' || comma == ';' || comma == '\t' {
			for _, opts := range []Options{{Comma: comma}, {Comma: comma, BadRows: SkipBadRow}, {Comma: comma, Header: HeaderAbsent, BadRows: SkipBadRow}} {
				checkSameAsCSV(t, data, opts)
			}
		}
	})
}

// compareRecords checks that records reading data through a bufio.Reader
// of the given size read what a csv.Reader reads: the same records, field
// lines, offsets and errors. FieldsPerRecord is first for the first record
// and later after it.
func compareRecords(t *testing.T, data []byte, comma rune, first, later, size int) {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(data))
	if comma != 0 { // zero is ',' for records, as for Options.Comma
		cr.Comma = comma
	}
	cr.ReuseRecord = true
	cr.FieldsPerRecord = first
	s := newRecords(bufio.NewReaderSize(bytes.NewReader(data), size), comma)
	s.setFieldsPerRecord(first)
	for n := 0; ; n++ {
		if n == 1 {
			cr.FieldsPerRecord = later
			s.setFieldsPerRecord(later)
		}
		want, werr := cr.Read()
		got, gerr := s.Read()
		if !sameReadError(gerr, werr) {
			t.Fatalf("buffer %d, record %d: error %#v, want %#v", size, n, gerr, werr)
		}
		if !slices.Equal(got, want) { // nil and empty alike: encoding/csv gives either
			t.Fatalf("buffer %d, record %d: %#v, want %#v (error %v)", size, n, got, want, werr)
		}
		if werr == io.EOF {
			return
		}
		for i := range want {
			if line, _ := cr.FieldPos(i); s.fieldLine(i) != line {
				t.Fatalf("buffer %d, record %d field %d: line %d, want %d", size, n, i, s.fieldLine(i), line)
			}
		}
		if s.inputOffset() != cr.InputOffset() || s.fieldsPerRecord() != cr.FieldsPerRecord {
			t.Fatalf("buffer %d, record %d: offset %d fields %d, want %d %d", size, n, s.inputOffset(), s.fieldsPerRecord(), cr.InputOffset(), cr.FieldsPerRecord)
		}
		if _, ok := werr.(*csv.ParseError); werr != nil && !ok {
			return // an error of the input, not of the record
		}
	}
}

// sameReadError reports whether got and want are the same error: the same
// *csv.ParseError, or the same value.
func sameReadError(got, want error) bool {
	gpe, gok := got.(*csv.ParseError)
	wpe, wok := want.(*csv.ParseError)
	if gok || wok {
		return gok && wok && *gpe == *wpe
	}
	return got == want
}
