package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// mem builds a Memory source of bars at the given days of January 2020
// (and hours, for values above 100: 10209 is the 2nd at 09:00), each with
// all prices equal to its index plus one.
func mem(t *testing.T, sym string, stamps ...int) *Memory {
	t.Helper()
	bars := make([]engine.Bar, len(stamps))
	for i, s := range stamps {
		tm := day(2020, 1, s)
		if s > 100 {
			tm = day(2020, 1, s/100).Add(time.Duration(s%100) * time.Hour)
		}
		p := engine.Price(i+1) * engine.PriceScale
		bars[i] = engine.Bar{Time: tm, Open: p, High: p, Low: p, Close: p}
	}
	m, err := NewMemory(sym, bars)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// steps drains a feed into lines like "2020-01-02: A B".
func steps(t *testing.T, f engine.Feed) []string {
	t.Helper()
	var out []string
	var dst []engine.Bar
	for {
		var err error
		dst, err = f.Next(dst[:0])
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		syms := make([]string, len(dst))
		for i, b := range dst {
			syms[i] = b.Symbol
			if !b.Time.Equal(dst[0].Time) {
				t.Fatalf("one step holds times %v and %v", dst[0].Time, b.Time)
			}
		}
		out = append(out, dst[0].Time.Format("01-02T15")+": "+strings.Join(syms, " "))
	}
}

func TestMergeOrder(t *testing.T) {
	// Different calendars: C trades on days the others do not, B starts
	// late and ends early, A has an intraday bar.
	m, err := Merge(
		mem(t, "C", 1, 4, 6, 9),
		mem(t, "A", 2, 209, 3, 6, 7, 9),
		mem(t, "B", 3, 6),
		mem(t, "E"), // no bars at all
	)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(steps(t, m), "\n")
	want := strings.Join([]string{
		"01-01T00: C",
		"01-02T00: A",
		"01-02T09: A",
		"01-03T00: A B",
		"01-04T00: C",
		"01-06T00: C A B",
		"01-07T00: A",
		"01-09T00: C A",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// io.EOF again after the end.
	if _, err := m.Next(nil); err != io.EOF {
		t.Errorf("Next after the end: %v", err)
	}
}

// TestMergeTiesBySourceIndex merges many sources that share every time
// and checks that each step lists them in the order given.
func TestMergeTiesBySourceIndex(t *testing.T) {
	var srcs []Source
	var names []string
	for i := range 17 {
		name := fmt.Sprintf("S%02d", (i*7)%17) // not in sorted order
		names = append(names, name)
		srcs = append(srcs, mem(t, name, 2, 3, 6))
	}
	m, err := Merge(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	got := steps(t, m)
	if len(got) != 3 {
		t.Fatalf("%d steps, want 3", len(got))
	}
	for _, s := range got {
		if want := strings.Join(names, " "); !strings.HasSuffix(s, ": "+want) {
			t.Errorf("step %s, want order %s", s, want)
		}
	}
}

func TestMergeZoneIndependent(t *testing.T) {
	ny := time.FixedZone("NY", -5*3600)
	a := []engine.Bar{{Time: time.Date(2020, 1, 2, 9, 30, 0, 0, ny), Open: 1, High: 1, Low: 1, Close: 1}}
	b := []engine.Bar{{Time: time.Date(2020, 1, 2, 14, 30, 0, 0, time.UTC), Open: 1, High: 1, Low: 1, Close: 1}}
	ma, _ := NewMemory("A", a)
	mb, _ := NewMemory("B", b)
	m, err := Merge(mb, ma)
	if err != nil {
		t.Fatal(err)
	}
	if got := steps(t, m); len(got) != 1 || !strings.HasSuffix(got[0], ": B A") {
		t.Errorf("got %q, want one step with B A", got)
	}
}

func TestMergeErrors(t *testing.T) {
	if _, err := Merge(mem(t, "A", 1), mem(t, "B", 1), mem(t, "A", 2)); err == nil ||
		err.Error() != `data: Merge: sources 0 and 2 have the same symbol "A"` {
		t.Errorf("duplicate symbols: %v", err)
	}
	if _, err := Merge(mem(t, "A", 1), nil); err == nil {
		t.Error("nil source: no error")
	}
	m, err := Merge()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Next(nil); err != io.EOF {
		t.Errorf("no sources: %v, want io.EOF", err)
	}

	// A source error is returned unchanged, and again on later calls.
	r, err := NewReader(strings.NewReader("Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n2020-01-03,1,1,2,1\n"), "bad.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err = Merge(mem(t, "A", 2, 3, 4), r)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := m.Next(nil)
	if err != nil || len(dst) != 2 {
		t.Fatalf("first step: %v, %v", dst, err)
	}
	_, err = m.Next(nil)
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || e.File != "bad.csv" {
		t.Fatalf("error %v, want bad.csv:3", err)
	}
	if _, err2 := m.Next(nil); err2 != err {
		t.Errorf("second error %v", err2)
	}

	// A source whose times do not increase.
	m, _ = Merge(&sliceSource{"X", []engine.Bar{{Time: day(2020, 1, 2)}, {Time: day(2020, 1, 2)}}})
	m.Next(nil)
	if _, err := m.Next(nil); err == nil || !strings.Contains(err.Error(), "is not after the previous bar's") {
		t.Errorf("error %v", err)
	}
}

// sliceSource is a Source without checks.
type sliceSource struct {
	sym  string
	bars []engine.Bar
}

func (s *sliceSource) Next() (engine.Bar, error) {
	if len(s.bars) == 0 {
		return engine.Bar{}, io.EOF
	}
	b := s.bars[0]
	s.bars = s.bars[1:]
	b.Symbol = s.sym
	return b, nil
}

func (s *sliceSource) Symbol() string { return s.sym }

func TestOpenAll(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("AAA.csv", "Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n2020-01-06,1,1,1,1\n")
	b := write("BBB.txt", "Date,Open,High,Low,Close\n2020-01-03,1,1,1,1\n2020-01-06,1,1,1,1\n")
	m, err := OpenAll([]string{b, a}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Symbols(), " "); got != "BBB AAA" {
		t.Errorf("Symbols() = %s", got)
	}
	got := strings.Join(steps(t, m), ", ")
	if want := "01-02T00: AAA, 01-03T00: BBB, 01-06T00: BBB AAA"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if err := m.Close(); err != nil {
		t.Error(err)
	}

	if _, err := OpenAll([]string{a, b}, Options{Symbol: "X"}); err == nil {
		t.Error("Symbol with two paths: no error")
	}
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	a2 := filepath.Join(sub, "AAA.csv")
	os.WriteFile(a2, []byte("Date,Open,High,Low,Close\n"), 0o644)
	if _, err := OpenAll([]string{a, a2}, Options{}); err == nil || !strings.Contains(err.Error(), `same symbol "AAA"`) {
		t.Errorf("two AAA files: %v", err)
	}
	bad := write("CCC.csv", "Date,Open,High,Low\n")
	if _, err := OpenAll([]string{a, bad}, Options{}); err == nil || !strings.Contains(err.Error(), "CCC.csv:1") {
		t.Errorf("bad file: %v", err)
	}
	if _, err := OpenAll([]string{filepath.Join(dir, "nope.csv")}, Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}

	// Files are opened several at once; the error is the first path's in
	// order, whichever open ends first, at any GOMAXPROCS.
	nope := filepath.Join(dir, "nope.csv")
	many := []string{a, b}
	for i := range 20 {
		many = append(many, write(fmt.Sprintf("S%02d.csv", i), "Date,Open,High,Low,Close\n2020-01-02,1,1,1,1\n"))
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		for k := range 10 {
			first, second := bad, nope
			if k%2 == 1 {
				first, second = nope, bad
			}
			paths := slices.Concat(many[:3+k], []string{first}, many[3+k:], []string{second})
			_, err := OpenAll(paths, Options{})
			if first == bad && (err == nil || !strings.Contains(err.Error(), "CCC.csv:1")) ||
				first == nope && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("GOMAXPROCS %d, %s at %d, then %s: %v", procs, first, 3+k, second, err)
			}
		}
		m, err := OpenAll(many, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(m.Symbols()); got != len(many) {
			t.Errorf("GOMAXPROCS %d: %d symbols, want %d", procs, got, len(many))
		}
		m.Close()
	}
}

func TestMemory(t *testing.T) {
	p := engine.PriceFromFloat
	good := engine.Bar{Time: day(2020, 1, 2), Open: p(10), High: p(11), Low: p(9), Close: p(10.5), Volume: 7}
	m, err := NewMemory("M", []engine.Bar{good})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Next()
	want := good
	want.Symbol = "M"
	if err != nil || b != want {
		t.Fatalf("Next() = %v, %v", b, err)
	}
	if _, err := m.Next(); err != io.EOF {
		t.Fatalf("Next() error %v, want io.EOF", err)
	}
	m.Reset()
	if m.Len() != 1 || m.Symbol() != "M" {
		t.Errorf("Len %d Symbol %q", m.Len(), m.Symbol())
	}

	tests := []struct {
		change func(*engine.Bar)
		want   string
	}{
		{func(b *engine.Bar) { b.High = p(10.4) }, `memory:M: field "bars[1].High": high 10.4 is below max(open, close) 10.5`},
		{func(b *engine.Bar) { b.Low = p(10.2) }, `memory:M: field "bars[1].Low": low 10.2 is above min(open, close) 10`},
		{func(b *engine.Bar) { b.Open = 0 }, `memory:M: field "bars[1].Open": price 0 must be positive`},
		{func(b *engine.Bar) { b.Volume = -1 }, `memory:M: field "bars[1].Volume": volume -1 must be a finite number not below zero`},
		{func(b *engine.Bar) { b.Time = day(2020, 1, 2) }, `memory:M: field "bars[1].Time": time 2020-01-02 00:00:00 Z is not after the previous bar's 2020-01-02 00:00:00 Z; times must strictly increase`},
		{func(b *engine.Bar) { b.Time = time.Time{} }, `memory:M: field "bars[1].Time": time is not set`},
		{func(b *engine.Bar) { b.Symbol = "N" }, `memory:M: field "bars[1].Symbol": symbol "N" is not "M"`},
	}
	for _, tt := range tests {
		second := good
		second.Time = day(2020, 1, 3)
		tt.change(&second)
		_, err := NewMemory("M", []engine.Bar{good, second})
		var e *Error
		if !errors.As(err, &e) || err.Error() != tt.want {
			t.Errorf("error %v\nwant %s", err, tt.want)
		}
	}
	if _, err := NewMemory("", nil); err == nil {
		t.Error("empty symbol: no error")
	}
}

// TestMergeExactTimes checks the heap's order on times that differ by a
// nanosecond and on times outside the range of Unix nanoseconds.
func TestMergeExactTimes(t *testing.T) {
	at := func(tm time.Time) []engine.Bar {
		return []engine.Bar{{Time: tm, Open: 1, High: 1, Low: 1, Close: 1}}
	}
	base := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	srcs := []Source{
		&sliceSource{sym: "late", bars: at(time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC))},
		&sliceSource{sym: "ns+1", bars: at(base.Add(1))},
		&sliceSource{sym: "early", bars: at(time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC))},
		&sliceSource{sym: "ns", bars: at(base)},
		&sliceSource{sym: "pre1970", bars: at(time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC))},
	}
	m, err := Merge(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps(t, m) {
		got = append(got, s[strings.Index(s, ": ")+2:])
	}
	if want := "early pre1970 ns ns+1 late"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", got, want)
	}
}

// TestMergedSymbolIndex runs a merged feed of many symbols, with
// different calendars, through the engine and checks that every bar's
// SymbolIndex is its symbol's rank in the order of first appearance, the
// same on every run.
func TestMergedSymbolIndex(t *testing.T) {
	run := func() []string {
		var srcs []Source
		for i := range 150 {
			// source i starts on day 1 + i%7 and trades every (1 + i%3) days
			var stamps []int
			for d := 1 + i%7; d <= 28; d += 1 + i%3 {
				stamps = append(stamps, d)
			}
			srcs = append(srcs, mem(t, fmt.Sprintf("S%03d", (i*37)%150), stamps...))
		}
		m, err := Merge(srcs...)
		if err != nil {
			t.Fatal(err)
		}
		e := engine.New(m)
		index := make(map[string]int)
		var got []string
		engine.Subscribe(e.Bus(), "check", func(ev *engine.MarketEvent) error {
			for _, b := range ev.Bars {
				want, ok := index[b.Symbol]
				if !ok {
					want = len(index)
					index[b.Symbol] = want
				}
				if b.SymbolIndex != want {
					t.Errorf("%s at %s: SymbolIndex %d, want %d", b.Symbol, b.Time.Format("01-02"), b.SymbolIndex, want)
				}
				got = append(got, fmt.Sprintf("%s=%d", b.Symbol, b.SymbolIndex))
			}
			return nil
		})
		if _, err := e.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(index) != 150 {
			t.Errorf("%d symbols seen, want 150", len(index))
		}
		return got
	}
	first := run()
	if again := run(); strings.Join(again, " ") != strings.Join(first, " ") {
		t.Error("two runs numbered the symbols differently")
	}
}
