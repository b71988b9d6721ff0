package engine

import (
	"fmt"
	"runtime/debug"
)

// Handler handles one event. A returned error, like a panic, is isolated:
// the bus reports it and goes on delivering to the other subscribers.
type Handler func(Event) error

// Handle identifies one subscription, for Unsubscribe.
type Handle struct {
	kind Kind
	id   uint64
}

type subscriber struct {
	id   uint64
	name string
	fn   Handler
	br   *breaker // the component's circuit breaker; nil on a bus without an engine
}

// FailureFunc is told about a subscriber that returned an error or panicked.
type FailureFunc func(name string, ev Event, err error)

// Bus delivers events to subscribers by kind, in registration order.
//
// Subscribing or unsubscribing while an event is being delivered is safe:
// the lists are copied on write, so the change takes effect from the next
// event. A Bus is not safe for use by several goroutines at once; the loop
// that owns it is single-threaded by design.
type Bus struct {
	topics    [numKinds][]subscriber
	nextID    uint64
	onFailure FailureFunc
	engine    *Engine // the owner, whose breakers guard the subscribers; may be nil
}

// NewBus returns a bus that reports failing subscribers to onFailure, which
// may be nil.
func NewBus(onFailure FailureFunc) *Bus {
	return &Bus{onFailure: onFailure}
}

// Subscribe registers fn for events of type E under a name used in error
// reports. The event type is given by the handler's parameter:
//
//	engine.Subscribe(bus, "recorder", func(f *engine.FillEvent) error { ... })
func Subscribe[E Event](b *Bus, name string, fn func(E) error) Handle {
	var zero E
	return b.SubscribeKind(zero.Kind(), name, func(ev Event) error { return fn(ev.(E)) })
}

// SubscribeKind registers fn for events of kind k. Most callers want the
// typed Subscribe.
func (b *Bus) SubscribeKind(k Kind, name string, fn Handler) Handle {
	if k == 0 || k >= numKinds {
		panic(fmt.Sprintf("engine: subscribe to unknown %v", k))
	}
	b.nextID++
	old := b.topics[k]
	subs := make([]subscriber, len(old), len(old)+1)
	copy(subs, old)
	sub := subscriber{id: b.nextID, name: name, fn: fn}
	if b.engine != nil {
		sub.br = b.engine.breakerFor(name)
	}
	b.topics[k] = append(subs, sub)
	return Handle{kind: k, id: b.nextID}
}

// Unsubscribe removes the subscription h. It reports whether h was
// subscribed.
func (b *Bus) Unsubscribe(h Handle) bool {
	if h.kind == 0 || h.kind >= numKinds {
		return false
	}
	old := b.topics[h.kind]
	for i, s := range old {
		if s.id == h.id {
			subs := make([]subscriber, 0, len(old)-1)
			subs = append(subs, old[:i]...)
			b.topics[h.kind] = append(subs, old[i+1:]...)
			return true
		}
	}
	return false
}

// Subscribers returns how many subscribers events of kind k have.
func (b *Bus) Subscribers(k Kind) int {
	if k == 0 || k >= numKinds {
		return 0
	}
	return len(b.topics[k])
}

// Publish delivers ev now to every subscriber of its kind, in registration
// order. A subscriber that returns an error or panics is reported to the
// bus's FailureFunc; delivery to the others goes on. On an engine's bus, a
// subscriber whose circuit breaker is open is skipped (see BreakerConfig).
func (b *Bus) Publish(ev Event) {
	subs := b.topics[ev.Kind()]
	for i := 0; i < len(subs); {
		i = b.deliverFrom(subs, i, ev)
	}
}

// deliverFrom delivers ev to subs[i:] in order and returns len(subs), or
// the index after a subscriber that panicked, whose panic it recovered
// and reported. One recovery covers the whole list rather than one a
// subscriber, which keeps a panic-free delivery cheap.
func (b *Bus) deliverFrom(subs []subscriber, i int, ev Event) (next int) {
	calling := false // a subscriber's handler is running: a panic is its failure
	defer func() {
		if !calling {
			return
		}
		r := recover()
		if r == nil {
			return
		}
		b.delivered(&subs[i], ev, &PanicError{Value: r, Stack: debug.Stack()})
		next = i + 1
		if b.stopped() {
			next = len(subs)
		}
	}()
	for ; i < len(subs); i++ {
		s := &subs[i]
		if br := s.br; br != nil && br.state != BreakerClosed && !b.engine.admit(br) {
			continue
		}
		calling = true
		err := s.fn(ev)
		calling = false
		if err != nil || (s.br != nil && (s.br.consecutive != 0 || s.br.state != BreakerClosed)) {
			b.delivered(s, ev, err)
		}
		if b.stopped() {
			return len(subs) // stop on error: deliver nothing more
		}
	}
	return len(subs)
}

// delivered records the outcome of delivering ev to s: a failure is
// reported to the FailureFunc, and s's circuit breaker is settled.
func (b *Bus) delivered(s *subscriber, ev Event, err error) {
	if err != nil && b.onFailure != nil {
		b.onFailure(s.name, ev, err)
	}
	if s.br != nil {
		b.engine.settle(s.br, ev.Kind(), err)
	}
}

// stopped reports whether the bus's engine has been aborted.
func (b *Bus) stopped() bool { return b.engine != nil && b.engine.abort != nil }

// PanicError is the error a recovered handler panic becomes.
type PanicError struct {
	Value any
	Stack []byte
}

// Error returns the panic value as text.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

func call(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// Recover turns a panic into a *PanicError stored in *err. It must be
// deferred directly:
//
//	func (r *runner) handle(b Bar) (err error) {
//		defer engine.Recover(&err)
//		return r.strategy.OnBar(b)
//	}
func Recover(err *error) {
	if r := recover(); r != nil {
		*err = &PanicError{Value: r, Stack: debug.Stack()}
	}
}
