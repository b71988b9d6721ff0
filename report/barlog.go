package report

import (
	"errors"
	"io"
	"iter"
	"time"

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

// reader returns a function that reads the log as a data.Merged does its
// files: the bars of one timestamp a call, appended to dst, then io.EOF,
// or the error of a temporary file; and a function to call when done. A
// bar carries its time (in UTC), symbol and close.
func (l *barLog) reader() (next func(dst []engine.Bar) ([]engine.Bar, error), stop func()) {
	// The three series have the same length, so their chunks line up.
	nextT, stopT := iter.Pull(l.times.Chunks())
	nextS, stopS := iter.Pull(l.syms.Chunks())
	nextC, stopC := iter.Pull(l.closes.Chunks())
	var ts, ss, cs []int64
	i := 0
	var ahead engine.Bar // the first bar of the next timestamp
	read := func() bool {
		if i == len(ts) {
			var ok bool
			if ts, ok = nextT(); !ok {
				return false
			}
			ss, _ = nextS()
			cs, _ = nextC()
			i = 0
		}
		ahead = engine.Bar{Symbol: l.names[ss[i]], Time: time.Unix(0, ts[i]).UTC(), Close: engine.Price(cs[i])}
		i++
		return true
	}
	has := read()
	next = func(dst []engine.Bar) ([]engine.Bar, error) {
		if !has {
			if err := l.err(); err != nil {
				return dst, err
			}
			return dst, io.EOF
		}
		t := ahead.Time
		for has && ahead.Time.Equal(t) {
			dst = append(dst, ahead)
			has = read()
		}
		return dst, nil
	}
	return next, func() { stopT(); stopS(); stopC() }
}
