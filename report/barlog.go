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
	left          int64      // the bars of the run of time t after the cursor's
	runs          pairCursor // the runs' times and counts
	bars          pairCursor // the bars' symbols and closes
}

// cursor returns a logCursor at the log's first bar; call its stop when
// done.
func (l *barLog) cursor() *logCursor {
	// The times and counts have the same length, and so have the symbols
	// and closes, so the chunks of each pair line up.
	c := &logCursor{l: l, runs: newPairCursor(l.times, l.counts), bars: newPairCursor(l.syms, l.closes)}
	c.advance()
	return c
}

// advance moves to the next bar, or sets done after the last.
func (c *logCursor) advance() {
	ok := true
	for ok && c.left == 0 {
		c.t, c.left, ok = c.runs.take()
	}
	if ok {
		c.sym, c.close, ok = c.bars.take()
		c.left--
	}
	c.done = !ok
}

// pairCursor reads two series of the same length side by side.
type pairCursor struct {
	next [2]func() ([]int64, bool)
	stop [2]func()
	a, b []int64 // the chunks being read
	i    int     // the place of the next values in them
}

// newPairCursor returns a pairCursor at the first values of a and b.
func newPairCursor(a, b *spill.Series[int64]) pairCursor {
	var p pairCursor
	for k, s := range []*spill.Series[int64]{a, b} {
		p.next[k], p.stop[k] = iter.Pull(s.Chunks())
	}
	return p
}

// take returns the next values of the two series; ok is false after the
// last, or when their chunks do not line up.
func (p *pairCursor) take() (x, y int64, ok bool) {
	if p.i == len(p.a) {
		a, okA := p.next[0]()
		b, okB := p.next[1]()
		if !okA || !okB || len(a) != len(b) || len(a) == 0 {
			return 0, 0, false
		}
		p.a, p.b, p.i = a, b, 0
	}
	p.i++
	return p.a[p.i-1], p.b[p.i-1], true
}

// close releases the cursor.
func (p *pairCursor) close() {
	for _, f := range p.stop {
		f()
	}
}

// err returns the first error of the log's temporary files, which end
// the bars early.
func (c *logCursor) err() error { return c.l.err() }

// stop releases the cursor.
func (c *logCursor) stop() {
	c.runs.close()
	c.bars.close()
}
