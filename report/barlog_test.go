package report

import (
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// TestBarLog: the bars logged come back one at a time, in order, with
// their times, symbols' numbers and closes, through the temporary file (a
// limit of one chunk, 4,096 bars, for 3 × 3,000), and then the cursor is
// done. Symbols named
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
	c := l.cursor()
	defer c.stop()
	num := map[string]int64{"A": 0, "B": 1, "C": 2} // the order the bars first name them
	for i := range 3000 {
		for k, s := range syms {
			if i%2 == 1 && s == "B" {
				continue
			}
			if c.done {
				t.Fatalf("timestamp %d: done before %s", i, s)
			}
			if c.t != start.Add(time.Duration(i)*time.Minute).UnixNano() || c.sym != num[s] || c.close != int64(i*10+k) {
				t.Fatalf("timestamp %d: symbol %d at %d close %d, want %s", i, c.sym, c.t, c.close, s)
			}
			c.advance()
		}
	}
	if !c.done || c.err() != nil {
		t.Fatalf("after the last: done %v, error %v", c.done, c.err())
	}
	if l.names[0] != "A" || l.names[1] != "B" || l.names[2] != "C" {
		t.Errorf("names %q", l.names)
	}
	if l.times.Len() != 7500 || l.err() != nil || len(l.names) != 3 {
		t.Errorf("%d bars, %d names, error %v", l.times.Len(), len(l.names), l.err())
	}
}
