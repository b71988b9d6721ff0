package report

import (
	"io"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// TestBarLog: the bars logged come back one timestamp a call, with their
// times, symbols and closes, through the temporary file (a limit of one
// chunk, 4,096 bars, for 3 × 3,000), and then io.EOF. Symbols named
// without the engine's index, or with a wrong one, are numbered by name.
func TestBarLog(t *testing.T) {
	l := newBarLog(1)
	defer l.close()
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("X", 3600))
	syms := []string{"A", "B", "C"}
	for i := range 3000 {
		bars := make([]engine.Bar, 0, 3)
		for k, s := range syms {
			if i%2 == 1 && s == "B" {
				continue // B trades every other bar
			}
			idx := k
			if s == "C" {
				idx = 7 // not the engine's: found by name
			}
			bars = append(bars, engine.Bar{Symbol: s, SymbolIndex: idx, Time: start.Add(time.Duration(i) * time.Minute), Close: engine.Price(i*10 + k)})
		}
		l.add(bars)
	}
	next, stop := l.reader()
	defer stop()
	var buf []engine.Bar
	for i := range 3000 {
		var err error
		if buf, err = next(buf[:0]); err != nil {
			t.Fatalf("timestamp %d: %v", i, err)
		}
		want := 3
		if i%2 == 1 {
			want = 2
		}
		if len(buf) != want {
			t.Fatalf("timestamp %d: %d bars, want %d", i, len(buf), want)
		}
		for _, b := range buf {
			k := map[string]int{"A": 0, "B": 1, "C": 2}[b.Symbol]
			if !b.Time.Equal(start.Add(time.Duration(i)*time.Minute)) || b.Close != engine.Price(i*10+k) {
				t.Fatalf("timestamp %d: %s at %v close %d", i, b.Symbol, b.Time, b.Close)
			}
		}
	}
	if _, err := next(buf[:0]); err != io.EOF {
		t.Fatalf("after the last: %v, want io.EOF", err)
	}
	if l.times.Len() != 7500 || l.err() != nil || len(l.names) != 3 {
		t.Errorf("%d bars, %d names, error %v", l.times.Len(), len(l.names), l.err())
	}
}
