package data

import (
	"io"

	"github.com/quantloop/quantloop/engine"
)

// Batches of a source read ahead by [Merged.ReadAhead]: how many can wait
// filled for the merge, and how many bars fill one. A source has
// sourceAheadBatches+1 batches, so a hundred sources hold at most 12,800
// bars, about 1 MiB.
const (
	sourceAheadBatches = 1
	sourceAheadBars    = 64
)

// sourceAhead is a Source that reads another Source ahead on a goroutine
// of its own. It returns exactly the bars and then the error of the source
// it reads, in the same order, whatever the scheduling. It has
// sourceAheadBatches+1 batches (see ahead).
//
// Close, Skipped and Digest stop the goroutine and wait until it has
// returned before they reach the source, so what they report does not race
// with the reading; after any of them Next returns io.EOF.
type sourceAhead struct {
	src     Source
	symbol  string
	a       *ahead[sourceBatch]
	stopped bool
	cur     *sourceBatch
	pos     int // the next bar of cur
}

// sourceBatch holds consecutive bars of a source; err is the source's
// error after the last of them, nil when more follow.
type sourceBatch struct {
	bars []engine.Bar
	err  error
}

// readSourceAhead starts reading src ahead.
func readSourceAhead(src Source) *sourceAhead {
	return &sourceAhead{src: src, symbol: src.Symbol(), a: startAhead(sourceAheadBatches, func(b *sourceBatch) bool {
		b.bars, b.err = b.bars[:0], nil
		for len(b.bars) < sourceAheadBars {
			bar, err := src.Next()
			if err != nil {
				b.err = err
				return false
			}
			b.bars = append(b.bars, bar)
		}
		return true
	})}
}

// Next implements Source: the source's next bar, or its error, and the
// same error on every later call.
func (a *sourceAhead) Next() (engine.Bar, error) {
	if a.stopped {
		return engine.Bar{}, io.EOF
	}
	for a.cur == nil || a.pos == len(a.cur.bars) {
		if a.cur != nil && a.cur.err != nil {
			return engine.Bar{}, a.cur.err
		}
		a.cur, a.pos = a.a.take(a.cur), 0
	}
	bar := a.cur.bars[a.pos]
	a.pos++
	return bar, nil
}

// Symbol implements Source.
func (a *sourceAhead) Symbol() string { return a.symbol }

// halt stops the reading goroutine and waits until it has returned.
func (a *sourceAhead) halt() {
	a.a.halt()
	a.stopped = true
}

// Close stops reading and closes the source if it is an io.Closer.
func (a *sourceAhead) Close() error {
	a.halt()
	if c, ok := a.src.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Skipped stops reading and returns the source's skipped rows, or none
// for a source that does not skip rows.
func (a *sourceAhead) Skipped() (int, []*Error) {
	a.halt()
	if s, ok := a.src.(interface{ Skipped() (int, []*Error) }); ok {
		return s.Skipped()
	}
	return 0, nil
}

// Digest stops reading and returns the source's digest, or errNoDigest
// for a source that has none.
func (a *sourceAhead) Digest() (Digest, error) {
	a.halt()
	if d, ok := a.src.(interface{ Digest() (Digest, error) }); ok {
		return d.Digest()
	}
	return Digest{}, errNoDigest
}

// ReadAhead makes m read each of its sources ahead on a goroutine of its
// own, when it has more than one, so that splitting, decoding and checking
// the rows of different files runs on several cores while Next merges
// their bars. Next returns exactly the bars and the error it returns
// without ReadAhead, whatever the scheduling. Each source holds at most
// two batches of 64 bars ahead.
//
// The goroutines may run ahead of Next, so a run that stops before the end
// of its data leaves them further into their files than the bars it took:
// under SkipBadRow the rows Skipped counts depend on that. Skipped and
// Digests stop the goroutines before they ask the sources what they read;
// afterwards the sources end, as a Reader does after Digest: Next returns
// the bars the merge holds, then io.EOF. Close stops the goroutines too.
//
// Call ReadAhead before the first Next; afterwards it does nothing.
func (m *Merged) ReadAhead() {
	if m.started || len(m.sources) < 2 {
		return
	}
	for i, s := range m.sources {
		if _, ok := s.(*sourceAhead); !ok {
			m.sources[i] = readSourceAhead(s)
		}
	}
}
