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
	k := ev.Kind()
	for _, s := range b.topics[k] {
		br := s.br
		if br != nil && br.state != BreakerClosed && !b.engine.admit(br) {
			continue
		}
		err := deliver(s.fn, ev)
		if err != nil && b.onFailure != nil {
			b.onFailure(s.name, ev, err)
		}
		if br != nil && (err != nil || br.consecutive != 0 || br.state != BreakerClosed) {
			b.engine.settle(br, k, err)
		}
		if b.engine != nil && b.engine.abort != nil {
			return // stop on error: deliver nothing more
		}
	}
}

// PanicError is the error a recovered handler panic becomes.
type PanicError struct {
	Value any
	Stack []byte
}

// Error returns the panic value as text.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

func deliver(fn Handler, ev Event) (err error) {
	defer Recover(&err)
	return fn(ev)
}

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
