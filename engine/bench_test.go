package engine

import (
	"context"
	"io"
	"testing"

	"github.com/quantloop/quantloop/internal/cputime"
)

// repeatFeed serves the same bar n times with increasing times, without
// allocating.
type repeatFeed struct {
	bar Bar
	n   int
}

func (f *repeatFeed) Next(dst []Bar) ([]Bar, error) {
	if f.n == 0 {
		return dst, io.EOF
	}
	f.n--
	f.bar.Time = f.bar.Time.Add(60e9)
	return append(dst, f.bar), nil
}

func BenchmarkQueue(b *testing.B) {
	var q queue
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// one timestamp of a run: a market event, a deferred strategy
		// call and an observer call
		q.advance(int64(i))
		q.push(item{key: makeKey(int64(i), PhaseMarket, uint64(3*i))})
		q.push(item{key: makeKey(int64(i), PhaseStrategy, uint64(3*i+1))})
		q.push(item{key: makeKey(int64(i), PhaseObserve, uint64(3*i+2))})
		q.pop()
		q.pop()
		q.pop()
	}
}

func BenchmarkHeap(b *testing.B) {
	var h heap
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		h.push(item{key: makeKey(int64(i), PhaseFill, uint64(3*i))})
		h.push(item{key: makeKey(int64(i), PhaseMarket, uint64(3*i+1))})
		h.push(item{key: makeKey(int64(i), PhaseObserve, uint64(3*i+2))})
		h.pop()
		h.pop()
		h.pop()
	}
}

func BenchmarkBusPublish(b *testing.B) {
	bus := NewBus(nil)
	n := 0
	for range 4 {
		Subscribe(bus, "s", func(*MarketEvent) error { n++; return nil })
	}
	ev := &MarketEvent{}
	b.ReportAllocs()
	for b.Loop() {
		bus.Publish(ev)
	}
}

// BenchmarkLoop is workload W3: the event loop alone over bars already in
// memory, with a subscriber that defers work to the strategy phase as the
// strategy runner does (through a Deferrer). It reports events per second
// of wall time and of the process's CPU time (cpu-events/s, which the
// load of a shared machine disturbs less); allocations per event must be
// zero.
func BenchmarkLoop(b *testing.B) {
	b.ReportAllocs()
	feed := &repeatFeed{bar: bar("A", 0, 10), n: b.N}
	e := New(feed)
	noop := func() error { return nil }
	d := e.Deferrer("strategy")
	Subscribe(e.Bus(), "strategy/schedule", func(*MarketEvent) error {
		d.Defer(PhaseStrategy, noop)
		return nil
	})
	b.ResetTimer()
	cpu := cputime.Process()
	stats, err := e.Run(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(stats.Events)/b.Elapsed().Seconds(), "events/s")
	if c := cputime.Process() - cpu; c > 0 {
		b.ReportMetric(float64(stats.Events)/c.Seconds(), "cpu-events/s")
	}
}
