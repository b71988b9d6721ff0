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
	if l.len() != 7500 || l.times.Len() != 3000 || l.err() != nil || len(l.names) != 3 {
		t.Errorf("%d bars in %d runs, %d names, error %v", l.len(), l.times.Len(), len(l.names), l.err())
	}
}

// TestBarLogRuns: bars of several times in one call, and of one time in
// two calls, come back with their own times, and the log keeps a time
// for each run of bars of one time.
func TestBarLogRuns(t *testing.T) {
	l := newBarLog(0)
	defer l.close()
	at := func(s int) time.Time { return time.Unix(int64(s), 0) }
	l.add([]engine.Bar{{Symbol: "A", Time: at(1), Close: 10}, {Symbol: "B", Time: at(1), Close: 20}, {Symbol: "A", Time: at(2), Close: 11}})
	l.add([]engine.Bar{{Symbol: "B", Time: at(2), Close: 21}})
	l.add(nil)
	l.add([]engine.Bar{{Symbol: "C", Time: at(3), Close: 30}})
	want := []struct{ t, sym, close int64 }{{1e9, 0, 10}, {1e9, 1, 20}, {2e9, 0, 11}, {2e9, 1, 21}, {3e9, 2, 30}}
	c := l.cursor()
	defer c.stop()
	for i, w := range want {
		if c.done || c.t != w.t || c.sym != w.sym || c.close != w.close {
			t.Fatalf("bar %d: done %v, %d %d %d, want %v", i, c.done, c.t, c.sym, c.close, w)
		}
		c.advance()
	}
	if !c.done || l.times.Len() != 4 || l.len() != 5 {
		t.Errorf("done %v, %d runs, %d bars; want done, 4 runs, 5 bars", c.done, l.times.Len(), l.len())
	}
}
