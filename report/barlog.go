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
// them. The times are kept once for each run of consecutive bars of one
// time, with the number of its bars.
type barLog struct {
	names  []string
	index  map[string]int64
	times  *spill.Series[int64] // each run's Unix nanoseconds
	counts *spill.Series[int64] // each run's number of bars
	syms   *spill.Series[int64] // each bar's symbol, an index into names
	closes *spill.Series[int64] // each bar's close, an engine.Price
}

func newBarLog(limit int) *barLog {
	return &barLog{index: map[string]int64{}, times: spill.New[int64](limit, ""), counts: spill.New[int64](limit, ""),
		syms: spill.New[int64](limit, ""), closes: spill.New[int64](limit, "")}
}

// add appends bars, one timestamp's.
func (l *barLog) add(bars []engine.Bar) {
	for i := 0; i < len(bars); {
		t := bars[i].Time.UnixNano()
		j := i + 1
		for j < len(bars) && bars[j].Time.UnixNano() == t {
			j++
		}
		l.times.Append(t)
		l.counts.Append(int64(j - i))
		for ; i < j; i++ {
			b := &bars[i]
			l.syms.Append(l.symbol(b))
			l.closes.Append(int64(b.Close))
		}
	}
}

// len returns the number of bars logged.
func (l *barLog) len() int { return l.syms.Len() }

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
	return errors.Join(l.times.Err(), l.counts.Err(), l.syms.Err(), l.closes.Err())
}

// close releases the temporary files.
func (l *barLog) close() {
	l.times.Close()
	l.counts.Close()
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
	left          int64   // the bars of the run of time t after the cursor's
	ts, ns        []int64 // the chunks of the runs' times and counts being read
	ss, cs        []int64 // the chunks of the bars' symbols and closes being read
	r, i          int     // the places of the next run and bar in them
	next          [4]func() ([]int64, bool)
	stops         [4]func()
}

// cursor returns a logCursor at the log's first bar; call its stop when
// done.
func (l *barLog) cursor() *logCursor {
	c := &logCursor{l: l}
	// The times and counts have the same length, and so have the symbols
	// and closes, so the chunks of each pair line up.
	for k, s := range []*spill.Series[int64]{l.times, l.counts, l.syms, l.closes} {
		c.next[k], c.stops[k] = iter.Pull(s.Chunks())
	}
	c.advance()
	return c
}

// advance moves to the next bar, or sets done after the last.
func (c *logCursor) advance() {
	for c.left == 0 {
		if c.r == len(c.ts) {
			ts, okT := c.next[0]()
			ns, okN := c.next[1]()
			if !okT || !okN || len(ns) != len(ts) {
				c.done = true
				return
			}
			c.ts, c.ns, c.r = ts, ns, 0
		}
		c.t, c.left = c.ts[c.r], c.ns[c.r]
		c.r++
	}
	if c.i == len(c.ss) {
		ss, okS := c.next[2]()
		cs, okC := c.next[3]()
		if !okS || !okC || len(cs) != len(ss) {
			c.done = true
			return
		}
		c.ss, c.cs, c.i = ss, cs, 0
	}
	c.sym, c.close = c.ss[c.i], c.cs[c.i]
	c.i++
	c.left--
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
