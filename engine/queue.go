package engine

import "math/bits"

// Phase orders the work done at one timestamp. Within a timestamp, every
// event of a lower phase is handled before any event of a higher one.
type Phase uint8

// The phases of one timestamp, in order.
const (
	// PhaseAction: corporate actions (splits, dividends) take effect at
	// the start of their ex-date, before any bar of that time.
	PhaseAction Phase = iota + 1
	// PhaseMarket: bars arrive; the broker matches resting orders.
	PhaseMarket
	// PhaseFill: fills are applied to the ledger.
	PhaseFill
	// PhaseRisk: risk rules, such as a kill switch's, see the timestamp's
	// fills and marks before any strategy does.
	PhaseRisk
	// PhaseStrategy: strategies see the bars and up-to-date positions.
	PhaseStrategy
	// PhaseSignal: the sizer turns signals into orders.
	PhaseSignal
	// PhaseOrder: the broker accepts or refuses orders (after the risk guard).
	PhaseOrder
	// PhaseObserve: end-of-timestamp observers such as equity recorders.
	PhaseObserve
)

// phaseOf gives the phase at which an event of kind k is handled. Zero means
// "the current phase": facts are handled right after what caused them.
var phaseOf = [numKinds]Phase{
	KindAction:      PhaseAction,
	KindMarket:      PhaseMarket,
	KindFill:        PhaseFill,
	KindSignal:      PhaseSignal,
	KindSubmitOrder: PhaseOrder,
	KindCancelOrder: PhaseOrder,
	KindModifyOrder: PhaseOrder,
}

// key is the total order of queued work: time, then phase, then the
// sequence in which the work was scheduled. No two keys are equal. The
// phase and the sequence share one word, which keeps queue items small.
type key struct {
	Time  int64  // Unix nanoseconds
	order uint64 // phase in the top 8 bits, sequence in the other 56
}

// makeKey returns the key of work at time t (Unix nanoseconds) in phase p,
// scheduled seq-th. seq must be below 2^56.
func makeKey(t int64, p Phase, seq uint64) key {
	return key{Time: t, order: uint64(p)<<56 | seq&(1<<56-1)}
}

// Phase returns the key's phase.
func (k key) Phase() Phase { return Phase(k.order >> 56) }

// Seq returns the key's scheduling sequence number.
func (k key) Seq() uint64 { return k.order & (1<<56 - 1) }

// Less reports whether k sorts before o.
func (k key) Less(o key) bool {
	if k.Time != o.Time {
		return k.Time < o.Time
	}
	return k.order < o.order
}

// item is one unit of queued work: an event to publish or a function to
// call on behalf of the component whose circuit breaker is br.
type item struct {
	key key
	ev  Event
	fn  func() error
	br  *breaker
}

// queue holds the engine's pending work in key order. Work at the current
// time, which is nearly all of it, waits in one FIFO bucket per phase:
// sequence numbers only grow, so first in is first out within a phase, and
// pushing and popping are O(1) with no sifting; a bit set of the buckets
// that hold items finds the first without looking at the others. Work at later times waits
// in a binary heap until the queue advances to its time.
type queue struct {
	now     int64 // the time the buckets hold
	buckets [PhaseObserve + 1]bucket
	full    uint16 // bit p is set when bucket p holds items
	later   heap
}

// bucket is a FIFO of items that reuses its backing array.
type bucket struct {
	items []item
	head  int
}

// len returns the number of items queued, now and later.
func (q *queue) len() int {
	n := len(q.later.items)
	for p := range q.buckets {
		n += len(q.buckets[p].items) - q.buckets[p].head
	}
	return n
}

// push adds it. Work for a time before the current one is a bug.
func (q *queue) push(it item) {
	switch {
	case it.key.Time == q.now:
		p := it.key.Phase()
		q.buckets[p].items = append(q.buckets[p].items, it)
		q.full |= 1 << p
	case it.key.Time > q.now:
		q.later.push(it)
	default:
		panic("engine: work scheduled in the past")
	}
}

// pushCall adds the call of fn on behalf of br's component, as push adds
// item{key: k, fn: fn, br: br}. Work at the current time, all of it in a
// run, is written in place in its bucket rather than copied there.
func (q *queue) pushCall(k key, fn func() error, br *breaker) {
	if k.Time != q.now {
		q.push(item{key: k, fn: fn, br: br})
		return
	}
	p := k.Phase()
	b := &q.buckets[p]
	b.items = append(b.items, item{})
	it := &b.items[len(b.items)-1]
	it.key, it.fn, it.br = k, fn, br
	q.full |= 1 << p
}

// idle reports whether nothing is left at the current time.
func (q *queue) idle() bool { return q.full == 0 }

// nextLater returns the time of the earliest later work, if any.
func (q *queue) nextLater() (int64, bool) {
	if len(q.later.items) == 0 {
		return 0, false
	}
	return q.later.items[0].key.Time, true
}

// advance moves the queue to time t, which must be later than the
// current time, with nothing left at the current time. Later work due at
// t moves into the buckets, in key order.
func (q *queue) advance(t int64) {
	q.now = t
	for len(q.later.items) > 0 && q.later.items[0].key.Time == t {
		it := q.later.pop()
		p := it.key.Phase()
		q.buckets[p].items = append(q.buckets[p].items, it)
		q.full |= 1 << p
	}
}

// pop removes and returns the first item at the current time; the queue
// must not be idle.
func (q *queue) pop() item {
	if q.full == 0 {
		panic("engine: pop from an idle queue")
	}
	p := bits.TrailingZeros16(q.full)
	b := &q.buckets[p]
	it := b.items[b.head]
	b.items[b.head] = item{} // drop references for the garbage collector
	b.head++
	if b.head == len(b.items) {
		b.items, b.head = b.items[:0], 0
		q.full &^= 1 << p
	}
	return it
}

// heap is a binary min-heap of items ordered by key. It is written out by
// hand rather than with container/heap so that pushing and popping box
// nothing and allocate nothing once the backing array has grown.
type heap struct {
	items []item
}

func (h *heap) push(it item) {
	h.items = append(h.items, it)
	i := len(h.items) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !h.items[i].key.Less(h.items[parent].key) {
			break
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

func (h *heap) pop() item {
	it := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items[last] = item{}
	h.items = h.items[:last]
	i, n := 0, last
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		small := l
		if r := l + 1; r < n && h.items[r].key.Less(h.items[l].key) {
			small = r
		}
		if !h.items[small].key.Less(h.items[i].key) {
			break
		}
		h.items[i], h.items[small] = h.items[small], h.items[i]
		i = small
	}
	return it
}
