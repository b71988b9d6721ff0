package report

import (
	"errors"
	"iter"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/spill"
)

// barLog keeps the time, symbol and close of every bar of a run, as the
// run saw them, in bounded memory (see internal/spill), so that the
// report's exposure replays the closes without decoding the data files a
// second time. Symbols are numbered in the order the bars first name
// them.
type barLog struct {
	names  []string
	index  map[string]int64
	times  *spill.Series[int64] // Unix nanoseconds
	syms   *spill.Series[int64] // index into names
	closes *spill.Series[int64] // engine.Price
}

func newBarLog(limit int) *barLog {
	return &barLog{index: map[string]int64{},
		times: spill.New[int64](limit, ""), syms: spill.New[int64](limit, ""), closes: spill.New[int64](limit, "")}
}

// add appends bars, one timestamp's.
func (l *barLog) add(bars []engine.Bar) {
	for i := range bars {
		b := &bars[i]
		l.times.Append(b.Time.UnixNano())
		l.syms.Append(l.symbol(b))
		l.closes.Append(int64(b.Close))
	}
}

// symbol returns the number of b's symbol. The engine's SymbolIndex
// numbers symbols in the same order, so it is checked first.
func (l *barLog) symbol(b *engine.Bar) int64 {
	if k := b.SymbolIndex; k >= 0 && k < len(l.names) && l.names[k] == b.Symbol {
		return int64(k)
	}
	k, ok := l.index[b.Symbol]
	if !ok {
		k = int64(len(l.names))
		l.names = append(l.names, b.Symbol)
		l.index[b.Symbol] = k
	}
	return k
}

// err returns the first error of the temporary files.
func (l *barLog) err() error {
	return errors.Join(l.times.Err(), l.syms.Err(), l.closes.Err())
}

// close releases the temporary files.
func (l *barLog) close() {
	l.times.Close()
	l.syms.Close()
	l.closes.Close()
}

// logCursor reads a barLog's bars one at a time, in the order they were
// added. Until done, t, sym and close are the bar at the cursor: its time
// (Unix nanoseconds), the number of its symbol and its close.
type logCursor struct {
	l             *barLog
	t, sym, close int64
	done          bool
	ts, ss, cs    []int64 // the chunks being read
	i             int     // the place of the next bar in them
	nextT, nextS  func() ([]int64, bool)
	nextC         func() ([]int64, bool)
	stops         [3]func()
}

// cursor returns a logCursor at the log's first bar; call its stop when
// done.
func (l *barLog) cursor() *logCursor {
	c := &logCursor{l: l}
	// The three series have the same length, so their chunks line up.
	c.nextT, c.stops[0] = iter.Pull(l.times.Chunks())
	c.nextS, c.stops[1] = iter.Pull(l.syms.Chunks())
	c.nextC, c.stops[2] = iter.Pull(l.closes.Chunks())
	c.advance()
	return c
}

// advance moves to the next bar, or sets done after the last.
func (c *logCursor) advance() {
	if c.i == len(c.ts) {
		ts, okT := c.nextT()
		ss, okS := c.nextS()
		cs, okC := c.nextC()
		if !okT || !okS || !okC || len(ss) != len(ts) || len(cs) != len(ts) {
			c.done = true
			return
		}
		c.ts, c.ss, c.cs, c.i = ts, ss, cs, 0
	}
	c.t, c.sym, c.close = c.ts[c.i], c.ss[c.i], c.cs[c.i]
	c.i++
}

// err returns the first error of the log's temporary files, which end
// the bars early.
func (c *logCursor) err() error { return c.l.err() }

// stop releases the cursor.
func (c *logCursor) stop() {
	for _, f := range c.stops {
		f()
	}
}
