package data

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/engine"
)

// genFeed returns a merged feed of n generated bars for each of syms,
// with the CSV of the last symbol cut after line cut (0: whole) and a
// bad row appended there when bad.
func genFeed(t *testing.T, syms []string, n, cut int, bad bool) *Merged {
	t.Helper()
	var sources []Source
	for i, s := range syms {
		var b bytes.Buffer
		if err := Generate(&b, i, GenOptions{Symbols: syms, Bars: n, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		if cut > 0 && i == len(syms)-1 {
			lines := strings.SplitAfter(text, "\n")
			text = strings.Join(lines[:cut], "")
			if bad {
				text += "2099-01-01,1,1,1,-1,1\n"
			}
		}
		r, err := NewReader(strings.NewReader(text), s+".csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, r)
	}
	m, err := Merge(sources...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// drain reads f to its error, returning every timestamp's bars.
func drain(f engine.Feed) ([][]engine.Bar, error) {
	var out [][]engine.Bar
	for {
		bars, err := f.Next(nil)
		if err != nil {
			return out, err
		}
		out = append(out, bars)
	}
}

// TestPrefetchSame: a Prefetcher returns the bars and the error of its
// source, timestamp by timestamp, across many batches, and the error
// again on later calls.
func TestPrefetchSame(t *testing.T) {
	for _, tc := range []struct {
		name string
		syms []string
		n    int
		cut  int
		bad  bool
	}{
		{"one symbol", []string{"A"}, 5000, 0, false},
		{"three symbols", []string{"A", "B", "C"}, 3000, 0, false},
		{"a bad row", []string{"A", "B"}, 4000, 2500, true},
		{"a short symbol", []string{"A", "B"}, 3000, 10, false},
		{"one bar", []string{"A"}, 1, 0, false},
	} {
		want, wantErr := drain(genFeed(t, tc.syms, tc.n, tc.cut, tc.bad))
		if tc.bad == errors.Is(wantErr, io.EOF) {
			t.Fatalf("%s: the source ends with %v", tc.name, wantErr)
		}
		p := Prefetch(genFeed(t, tc.syms, tc.n, tc.cut, tc.bad))
		got, gotErr := drain(p)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d timestamps, want %d, or different bars", tc.name, len(got), len(want))
		}
		if gotErr == nil || gotErr.Error() != wantErr.Error() || errors.Is(wantErr, io.EOF) != errors.Is(gotErr, io.EOF) {
			t.Errorf("%s: error %v, want %v", tc.name, gotErr, wantErr)
		}
		if _, again := p.Next(nil); again == nil || again.Error() != wantErr.Error() {
			t.Errorf("%s: error after the end %v, want %v", tc.name, again, wantErr)
		}
		p.Close()
		p.Close() // a second Close is harmless
	}
}

// TestPrefetchCloseEarly: closing before the end stops the reader, which
// may be blocked with full batches.
func TestPrefetchCloseEarly(t *testing.T) {
	p := Prefetch(genFeed(t, []string{"A", "B"}, 20000, 0, false))
	if _, err := p.Next(nil); err != nil {
		t.Fatal(err)
	}
	p.Close()
	p = Prefetch(genFeed(t, []string{"A"}, 20000, 0, false))
	p.Close() // before any Next
}
