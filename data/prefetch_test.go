package data

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// prefetchFeed returns a merged feed of n generated bars for each of
// syms, with the CSV of the last symbol cut after line cut (0: whole)
// and, when bad, a row with a negative close appended there.
func prefetchFeed(t *testing.T, syms []string, n, cut int, bad bool) *Merged {
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

// drainFeed reads f to its error, returning every timestamp's bars.
func drainFeed(f engine.Feed) ([][]engine.Bar, error) {
	var out [][]engine.Bar
	for {
		bars, err := f.Next(nil)
		if err != nil {
			return out, err
		}
		out = append(out, bars)
	}
}

// TestPrefetchSame: a Prefetcher returns the bars and then the error of
// its source, timestamp by timestamp, across many batches, and the error
// again on later calls; a bad row's error names its file and line and
// comes after every bar before it.
func TestPrefetchSame(t *testing.T) {
	for _, tc := range []struct {
		name    string
		syms    []string
		n       int
		cut     int
		bad     bool
		wantErr string // part of the error, "" for io.EOF
	}{
		{"one symbol", []string{"A"}, 5000, 0, false, ""},
		{"three symbols", []string{"A", "B", "C"}, 3000, 0, false, ""},
		{"a bad row", []string{"A", "B"}, 4000, 2500, true, "B.csv:2501"},
		{"a short symbol", []string{"A", "B"}, 3000, 10, false, ""},
		{"one bar", []string{"A"}, 1, 0, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := drainFeed(prefetchFeed(t, tc.syms, tc.n, tc.cut, tc.bad))
			if (tc.wantErr == "") != errors.Is(wantErr, io.EOF) || !strings.Contains(wantErr.Error(), tc.wantErr) {
				t.Fatalf("the source ends with %v, want %q", wantErr, tc.wantErr)
			}
			p := Prefetch(prefetchFeed(t, tc.syms, tc.n, tc.cut, tc.bad))
			defer p.Close()
			got, gotErr := drainFeed(p)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d timestamps, want %d, or different bars", len(got), len(want))
			}
			if gotErr == nil || gotErr.Error() != wantErr.Error() || errors.Is(wantErr, io.EOF) != errors.Is(gotErr, io.EOF) {
				t.Errorf("error %v, want %v", gotErr, wantErr)
			}
			if _, again := p.Next(nil); again == nil || again.Error() != wantErr.Error() {
				t.Errorf("error after the end %v, want %v", again, wantErr)
			}
			p.Close()
			p.Close() // a second Close is harmless
		})
	}
}

// TestPrefetchCloseEarly: closing before the end, with the reader blocked
// on full batches or before any Next, stops its goroutine: the number of
// goroutines comes back to what it was.
func TestPrefetchCloseEarly(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, reads := range []int{0, 1, 3000} {
		p := Prefetch(prefetchFeed(t, []string{"A", "B"}, 20000, 0, false))
		for range reads {
			if _, err := p.Next(nil); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(time.Millisecond) // let the reader fill its batches
		p.Close()
	}
	// A goroutine that has closed done may take a moment to be gone.
	after := testkit.SettledGoroutines(before)
	if after > before {
		t.Errorf("%d goroutines after Close, %d before", after, before)
	}
}
