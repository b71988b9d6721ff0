package data

import (
	"sync"

	"github.com/quantloop/quantloop/engine"
)

// Batches of a Prefetcher: how many are in flight, and how many bars (or
// timestamps) fill one.
const (
	prefetchBatches = 4
	prefetchBars    = 2048
	prefetchTimes   = 1024
)

// Prefetcher is an engine.Feed that reads another feed ahead, in a
// goroutine of its own, so that decoding CSV overlaps the simulation on
// another core. It returns exactly the bars and the error of the feed it
// reads, in the same order: the run stays deterministic, and the event
// loop itself stays on one goroutine. Memory is bounded by a few batches
// of about two thousand bars.
//
// The reading goroutine may run ahead of the caller by those batches, so
// anything that counts what the source has read (such as skipped rows) is
// final only after Close, and then counts the rows read ahead too.
type Prefetcher struct {
	out  chan *prefetchBatch
	free chan *prefetchBatch
	stop chan struct{}
	done chan struct{}
	once sync.Once
	cur  *prefetchBatch
	pos  int // the next timestamp of cur
}

// prefetchBatch is the bars of consecutive timestamps: timestamp i's are
// bars[ends[i-1]:ends[i]]. err is the feed's error after the last one.
type prefetchBatch struct {
	bars []engine.Bar
	ends []int
	err  error
}

// Prefetch starts reading src ahead. Call Close when done, before closing
// src.
func Prefetch(src engine.Feed) *Prefetcher {
	p := &Prefetcher{
		out:  make(chan *prefetchBatch, prefetchBatches),
		free: make(chan *prefetchBatch, prefetchBatches+1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range prefetchBatches + 1 {
		p.free <- &prefetchBatch{}
	}
	go p.read(src)
	return p
}

// read fills batches from src until an error (io.EOF at the end) or
// Close.
func (p *Prefetcher) read(src engine.Feed) {
	defer close(p.done)
	for {
		var b *prefetchBatch
		select {
		case b = <-p.free:
		case <-p.stop:
			return
		}
		b.bars, b.ends, b.err = b.bars[:0], b.ends[:0], nil
		for len(b.bars) < prefetchBars && len(b.ends) < prefetchTimes {
			bars, err := src.Next(b.bars)
			if err != nil {
				b.err = err
				break
			}
			b.bars = bars
			b.ends = append(b.ends, len(bars))
		}
		select {
		case p.out <- b:
		case <-p.stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

// Next implements engine.Feed: it appends the bars of the next timestamp
// to dst, or returns the source's error, again on every later call. It
// must not be called after Close.
func (p *Prefetcher) Next(dst []engine.Bar) ([]engine.Bar, error) {
	for p.cur == nil || p.pos == len(p.cur.ends) {
		if p.cur != nil {
			if p.cur.err != nil {
				return dst, p.cur.err
			}
			p.free <- p.cur // never blocks: there is room for every batch
		}
		p.cur, p.pos = <-p.out, 0
	}
	start := 0
	if p.pos > 0 {
		start = p.cur.ends[p.pos-1]
	}
	dst = append(dst, p.cur.bars[start:p.cur.ends[p.pos]]...)
	p.pos++
	return dst, nil
}

// Close stops the reading goroutine and waits for it. It does not close
// the source.
func (p *Prefetcher) Close() error {
	p.once.Do(func() { close(p.stop) })
	<-p.done
	return nil
}
