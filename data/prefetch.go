package data

import "github.com/quantloop/quantloop/engine"

// Batches of a Prefetcher: how many can be filled ahead of the reader of
// the Prefetcher, and how many bars (or timestamps) fill one.
const (
	prefetchBatches = 4
	prefetchBars    = 2048
	prefetchTimes   = 1024
)

// Prefetcher is an engine.Feed that reads another feed ahead on a
// goroutine of its own, so that splitting, decoding and checking CSV rows
// overlaps the simulation on another core. It returns exactly the bars and
// then the error of the feed it reads, in the same order, whatever the
// scheduling: an error (with its file and line) comes after every bar
// read before it. The reading goroutine holds at most prefetchBatches+1
// batches of about two thousand bars, handed over through a bounded
// channel; the event loop that calls Next stays on its own goroutine.
//
// The reading goroutine may run ahead of Next by those batches, so
// anything that counts what the source has read (skipped rows, a file's
// digest) must be read only after Close.
type Prefetcher struct {
	a   *ahead[prefetchBatch]
	cur *prefetchBatch
	pos int // the next timestamp of cur
}

// prefetchBatch holds the bars of consecutive timestamps: timestamp i's
// bars are bars[ends[i-1]:ends[i]]. err is the source's error after the
// last of them, nil when more follow.
type prefetchBatch struct {
	bars []engine.Bar
	ends []int
	err  error
}

// Prefetch starts reading src ahead. Call Close when done, before closing
// src or asking it what it read.
func Prefetch(src engine.Feed) *Prefetcher {
	if m, ok := src.(*Merged); ok && m.oneSource() {
		// One source: every bar is a timestamp of its own, and the bars
		// are taken from the source a batch at a time, without a merge.
		return &Prefetcher{a: startAhead(prefetchBatches, func(b *prefetchBatch) bool {
			b.bars, b.ends, b.err = b.bars[:0], b.ends[:0], nil
			b.bars, b.err = m.appendOne(b.bars, prefetchTimes)
			for i := range b.bars {
				b.ends = append(b.ends, i+1)
			}
			return b.err == nil
		})}
	}
	return &Prefetcher{a: startAhead(prefetchBatches, func(b *prefetchBatch) bool {
		b.bars, b.ends, b.err = b.bars[:0], b.ends[:0], nil
		for len(b.bars) < prefetchBars && len(b.ends) < prefetchTimes {
			bars, err := src.Next(b.bars)
			if err != nil {
				b.err = err
				return false
			}
			b.bars = bars
			b.ends = append(b.ends, len(bars))
		}
		return true
	})}
}

// Next implements engine.Feed: it appends the bars of the next timestamp
// to dst, or returns the source's error, and the same error on every later
// call. It must not be called after Close.
func (p *Prefetcher) Next(dst []engine.Bar) ([]engine.Bar, error) {
	for p.cur == nil || p.pos == len(p.cur.ends) {
		if p.cur != nil && p.cur.err != nil {
			return dst, p.cur.err
		}
		p.cur, p.pos = p.a.take(p.cur), 0
	}
	start := 0
	if p.pos > 0 {
		start = p.cur.ends[p.pos-1]
	}
	dst = append(dst, p.cur.bars[start:p.cur.ends[p.pos]]...)
	p.pos++
	return dst, nil
}

// Close stops the reading goroutine and waits until it has returned. It
// does not close the source. Later calls do nothing.
func (p *Prefetcher) Close() error {
	p.a.halt()
	return nil
}
