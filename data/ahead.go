package data

import "sync"

// ahead fills batches of type B on a goroutine of its own and hands them
// to one consumer in the order they were filled, through a bounded
// channel: batches+1 batches exist, and they go round between the two
// goroutines, so the filler runs at most that many batches ahead. It is
// the mechanism of the Prefetcher and of the sources a Merged reads
// ahead.
type ahead[B any] struct {
	out  chan *B // filled batches, in order
	free chan *B // empty batches for the filler
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// startAhead starts filling batches with fill, which fills the batch it
// is given (a batch handed back after use, holding what it held then) and
// reports whether more follow: the batch for which it reports false is
// the last one handed over, and the goroutine then returns.
func startAhead[B any](batches int, fill func(b *B) (more bool)) *ahead[B] {
	a := &ahead[B]{
		out:  make(chan *B, batches),
		free: make(chan *B, batches+1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range batches + 1 {
		a.free <- new(B)
	}
	go a.run(fill)
	return a
}

// run fills batches until fill reports no more or halt is called.
func (a *ahead[B]) run(fill func(*B) bool) {
	defer close(a.done)
	for {
		var b *B
		select {
		case b = <-a.free:
		case <-a.stop:
			return
		}
		more := fill(b)
		select {
		case a.out <- b:
		case <-a.stop:
			return
		}
		if !more {
			return
		}
	}
}

// take hands back used, the batch the consumer is done with (nil for
// none), and returns the next filled batch, waiting for it. It must not
// be called after the last batch or after halt.
func (a *ahead[B]) take(used *B) *B {
	if used != nil {
		a.free <- used // never blocks: there is room for every batch
	}
	return <-a.out
}

// halt stops the filling goroutine and waits until it has returned. Later
// calls return at once.
func (a *ahead[B]) halt() {
	a.once.Do(func() { close(a.stop) })
	<-a.done
}
