package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"

	"github.com/quantloop/quantloop/engine"
)

// Ways a row of catalogRows can be bad.
const (
	highBelowLow = iota
	timeRepeated
	negativeVolume
	nanVolume
	zeroOpen
	closeTooHigh
	highBelowClose
	badKinds
)

// catalogRows returns n rows of a catalog file, a minute apart from
// 2020-01-02 09:30 UTC, with row i bad in the way bad[i] says. Every
// fifth row has a utc_offset of +01:00.
func catalogRows(n int, bad map[int]int) []parquetRow {
	start := time.Date(2020, 1, 2, 9, 30, 0, 0, time.UTC)
	rows := make([]parquetRow, n)
	one := int32(3600)
	for i := range rows {
		p := int64(100*engine.PriceScale + (i*7919)%1000003)
		rows[i] = parquetRow{Time: start.Add(time.Duration(i) * time.Minute).UnixNano(), Open: p, High: p + 5, Low: p - 3, Close: p + 1, Volume: float64(i % 977)}
		if i%5 == 0 {
			rows[i].UTCOffset = &one
		}
	}
	for i, k := range bad {
		r := &rows[i]
		switch k {
		case highBelowLow:
			r.High = r.Low - 1
		case timeRepeated:
			r.Time = rows[i-1].Time
		case negativeVolume:
			r.Volume = -1
		case nanVolume:
			r.Volume = math.NaN()
		case zeroOpen:
			r.Open, r.Low = 0, 0
		case closeTooHigh:
			r.Close = int64(engine.MaxPrice) + 1
		case highBelowClose:
			r.High = r.Close - 1
		}
	}
	return rows
}

// nextAll reads src with Next to its error.
func nextAll(src Source) ([]engine.Bar, error) {
	var bars []engine.Bar
	for {
		bar, err := src.Next()
		if err != nil {
			return bars, err
		}
		bars = append(bars, bar)
	}
}

// appendAll reads src with appendBars, n bars a call, to its error,
// checking that a call returns an error exactly when it appends fewer
// than n bars.
func appendAll(t *testing.T, src batchSource, n int) ([]engine.Bar, error) {
	t.Helper()
	var bars []engine.Bar
	for {
		start := len(bars)
		var err error
		bars, err = src.appendBars(bars, n)
		if got := len(bars) - start; (got < n) != (err != nil) {
			t.Fatalf("appendBars(%d) appended %d bars with error %v", n, got, err)
		}
		if err != nil {
			return bars, err
		}
	}
}

// sameEnd fails t unless two reads ended with the same error.
func sameEnd(t *testing.T, got, want error) {
	t.Helper()
	if got == nil || want == nil || got.Error() != want.Error() || errors.Is(got, io.EOF) != errors.Is(want, io.EOF) {
		t.Fatalf("error %v, want %v", got, want)
	}
}

// TestParquetAppendBars: a catalog file read a batch at a time gives the
// bars, the error and the skipped rows of Next called row by row, with
// bad rows first, last, at a buffer's edge and beyond a row group, under
// each bad-row policy, whatever the number of bars asked a call.
func TestParquetAppendBars(t *testing.T) {
	long := parquetRowGroup + 3000
	type test struct {
		name string
		n    int
		bad  map[int]int
	}
	tests := []test{
		{"good", long, nil},
		{"a bad first row", 3000, map[int]int{0: highBelowLow}},
		{"bad rows", long, map[int]int{1: highBelowLow, batchRows - 1: timeRepeated, batchRows: negativeVolume,
			parquetRowGroup: nanVolume, parquetRowGroup + 1: zeroOpen, long - 1: closeTooHigh}},
	}
	for k := range badKinds {
		// Within a buffer, where appendRun meets it.
		tests = append(tests, test{fmt.Sprintf("bad in way %d", k), 3000, map[int]int{1500: k, 2500: (k + 1) % badKinds}})
	}
	for _, tc := range tests {
		var b bytes.Buffer
		w := newTestCatalogWriter(t, &b)
		if _, err := w.Write(catalogRows(tc.n, tc.bad)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		file := b.Bytes()
		for _, policy := range []BadRowPolicy{FailOnBadRow, SkipBadRow} {
			open := func() *ParquetReader {
				r, err := NewParquetReader(file, "B.parquet", Options{BadRows: policy})
				if err != nil {
					t.Fatal(err)
				}
				if !r.plain {
					t.Fatal("a catalog file's columns are not plain")
				}
				return r
			}
			ref := open()
			want, wantErr := nextAll(ref)
			wantSkipped, wantKept := ref.Skipped()
			if tc.bad != nil && policy == FailOnBadRow && errors.Is(wantErr, io.EOF) {
				t.Fatalf("%s: no error from the bad rows", tc.name)
			}
			if policy == SkipBadRow && wantSkipped != len(tc.bad) {
				t.Fatalf("%s: %d rows skipped, want %d", tc.name, wantSkipped, len(tc.bad))
			}
			for _, per := range []int{1, 7, batchRows, 5000} {
				r := open()
				got, gotErr := appendAll(t, r, per)
				sameEnd(t, gotErr, wantErr)
				sameParquetBars(t, got, want)
				if s, kept := r.Skipped(); s != wantSkipped || !reflect.DeepEqual(kept, wantKept) {
					t.Errorf("%s, policy %d, %d a call: %d skipped (%v), want %d (%v)", tc.name, policy, per, s, kept, wantSkipped, wantKept)
				}
				if r.Bars() != ref.Bars() {
					t.Errorf("%s, policy %d, %d a call: Bars %d, want %d", tc.name, policy, per, r.Bars(), ref.Bars())
				}
			}
		}
	}
}

// newTestCatalogWriter returns a writer of rows as WriteParquet writes
// them, whose Close writes the metadata of a catalog in UTC.
func newTestCatalogWriter(t *testing.T, w io.Writer) *catalogWriter {
	t.Helper()
	return &catalogWriter{parquet.NewGenericWriter[parquetRow](w,
		parquet.Compression(&snappy.Codec{}), parquet.MaxRowsPerRowGroup(parquetRowGroup))}
}

// catalogWriter writes rows of a catalog file.
type catalogWriter struct {
	*parquet.GenericWriter[parquetRow]
}

// Close writes the metadata and the footer.
func (w *catalogWriter) Close() error {
	w.SetKeyValueMetadata(MetaTimezone, "UTC")
	w.SetKeyValueMetadata(MetaPriceScale, strconv.Itoa(engine.PriceScale))
	return w.GenericWriter.Close()
}

// unchecked is a Source that returns its bars as they are, without the
// checks of the package's sources.
type unchecked struct {
	bars []engine.Bar
	next int
}

func (u *unchecked) Next() (engine.Bar, error) {
	if u.next == len(u.bars) {
		return engine.Bar{}, io.EOF
	}
	u.next++
	return u.bars[u.next-1], nil
}

func (u *unchecked) Symbol() string { return "U" }

// TestPrefetchOneSource: a Prefetcher of a merge of one source, which
// takes the source's bars a batch at a time without merging, returns the
// timestamps and the error that the merge's Next returns, for each kind
// of source: a CSV Reader with a bad row, a Parquet file, a Memory and a
// source of its own whose times go back, which the merge reports.
func TestPrefetchOneSource(t *testing.T) {
	csvText := func() string {
		var b bytes.Buffer
		if err := Generate(&b, 0, GenOptions{Symbols: []string{"A"}, Bars: 3000, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(b.String(), "\n")
		return strings.Join(lines[:2100], "") + "2099-01-01,1,1,1,-1,1\n"
	}()
	var pq bytes.Buffer
	w := newTestCatalogWriter(t, &pq)
	if _, err := w.Write(catalogRows(2500, map[int]int{2200: highBelowLow})); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	gen := make([]engine.Bar, 2500)
	start := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range gen {
		gen[i] = engine.Bar{Symbol: "U", Time: start.Add(time.Duration(i) * time.Hour), Open: 5, High: 6, Low: 4, Close: 5}
	}
	back := append([]engine.Bar(nil), gen...)
	back[1500].Time = back[1400].Time
	for _, tc := range []struct {
		name    string
		source  func() Source
		wantErr string // part of the error, "" for io.EOF
	}{
		{"csv", func() Source {
			r, err := NewReader(strings.NewReader(csvText), "A.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}, "A.csv:2101"},
		{"parquet", func() Source {
			r, err := NewParquetReader(pq.Bytes(), "B.parquet", Options{})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}, "B.parquet: row 2201"},
		{"memory", func() Source {
			m, err := NewMemory("U", gen)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}, ""},
		{"times going back", func() Source { return &unchecked{bars: back} }, "data: source 0 (U): time 2021-04-28 08:00:00 Z is not after the previous bar's 2021-05-02 11:00:00 Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			merge := func() *Merged {
				m, err := Merge(tc.source())
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			want, wantErr := drainFeed(merge())
			if (tc.wantErr == "") != errors.Is(wantErr, io.EOF) || !strings.Contains(wantErr.Error(), tc.wantErr) {
				t.Fatalf("the merge ends with %v, want %q", wantErr, tc.wantErr)
			}
			if len(want) < 1000 {
				t.Fatalf("only %d timestamps before the error", len(want))
			}
			p := Prefetch(merge())
			defer p.Close()
			got, gotErr := drainFeed(p)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d timestamps, want %d, or different bars", len(got), len(want))
			}
			sameEnd(t, gotErr, wantErr)
			if _, again := p.Next(nil); again == nil || again.Error() != wantErr.Error() {
				t.Errorf("error after the end %v, want %v", again, wantErr)
			}
		})
	}
}
