package engine

// Phase orders the work done at one timestamp. Within a timestamp, every
// event of a lower phase is handled before any event of a higher one.
type Phase uint8

// The phases of one timestamp, in order.
const (
	// PhaseMarket: bars arrive; the broker matches resting orders.
	PhaseMarket Phase = iota + 1
	// PhaseFill: fills are applied to the ledger.
	PhaseFill
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
	KindMarket:      PhaseMarket,
	KindFill:        PhaseFill,
	KindSignal:      PhaseSignal,
	KindSubmitOrder: PhaseOrder,
	KindCancelOrder: PhaseOrder,
	KindModifyOrder: PhaseOrder,
}

// Key is the total order of queued work: time, then phase, then the
// sequence in which the work was scheduled. No two keys are equal.
type Key struct {
	Time  int64 // Unix nanoseconds
	Phase Phase
	Seq   uint64
}

// Less reports whether k sorts before o.
func (k Key) Less(o Key) bool {
	if k.Time != o.Time {
		return k.Time < o.Time
	}
	if k.Phase != o.Phase {
		return k.Phase < o.Phase
	}
	return k.Seq < o.Seq
}

// item is one unit of queued work: an event to publish or a function to
// call on behalf of the named component.
type item struct {
	key  Key
	ev   Event
	fn   func() error
	name string
}

// queue is a binary min-heap of items ordered by key. It is written out by
// hand rather than with container/heap so that pushing and popping box
// nothing and allocate nothing once the backing array has grown.
type queue struct {
	items []item
}

func (q *queue) len() int { return len(q.items) }

func (q *queue) top() *item { return &q.items[0] }

func (q *queue) push(it item) {
	q.items = append(q.items, it)
	i := len(q.items) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !q.items[i].key.Less(q.items[parent].key) {
			break
		}
		q.items[i], q.items[parent] = q.items[parent], q.items[i]
		i = parent
	}
}

func (q *queue) pop() item {
	it := q.items[0]
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items[last] = item{} // drop references for the garbage collector
	q.items = q.items[:last]
	i, n := 0, last
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		small := l
		if r := l + 1; r < n && q.items[r].key.Less(q.items[l].key) {
			small = r
		}
		if !q.items[small].key.Less(q.items[i].key) {
			break
		}
		q.items[i], q.items[small] = q.items[small], q.items[i]
		i = small
	}
	return it
}
