package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"time"
)

// Engine is the single-threaded event loop of one simulation run.
//
// It pulls bars from a Feed one timestamp at a time, queues them as market
// events and handles queued work in order: by simulated time, then
// Phase, then scheduling sequence. Handlers run on the goroutine that
// called Run; the engine never starts goroutines and never reads the wall
// clock, so a run is deterministic.
type Engine struct {
	feed  Feed
	bus   *Bus
	queue queue

	now      time.Time
	nowNanos int64
	phase    Phase
	seq      uint64
	orderID  uint64

	market  MarketEvent // reused for every timestamp
	symbols symbolTable

	components []Component
	startAfter time.Duration
	stopAfter  time.Duration

	failures    map[string]int
	breakers    map[string]*breaker
	breakerCfg  BreakerConfig
	stopOnError bool
	fatal       map[string]bool // components whose failure ends the run (StopOnErrorOf)
	stats       Stats
	abort       error // set by Abort (or a failure under SetStopOnError): ends the loop
}

// Stats counts what a run did.
type Stats struct {
	Timestamps  int // distinct bar times processed
	Bars        int // bars delivered
	Events      int // events published, market events included
	Failures    int // handler errors and panics
	Interrupted bool
	// Last is the time of the last market event handled: the last bar
	// time processed. It is zero when no bar was processed.
	Last time.Time
}

// ErrInterrupted is returned (wrapped with the context's error) by Run when
// its context was canceled before the data ended.
var ErrInterrupted = errors.New("run interrupted")

// ErrHandlerFailed is returned (wrapped with the failure) by Run when a
// handler failed and the engine was set to stop on error.
var ErrHandlerFailed = errors.New("handler failed")

// New returns an engine that will read its bars from feed.
func New(feed Feed) *Engine {
	e := &Engine{
		feed:       feed,
		nowNanos:   math.MinInt64,
		failures:   make(map[string]int),
		breakers:   make(map[string]*breaker),
		breakerCfg: DefaultBreakerConfig(),
		startAfter: 5 * time.Second,
		stopAfter:  5 * time.Second,
	}
	e.queue.now = math.MinInt64
	e.bus = NewBus(e.handlerFailed)
	e.bus.engine = e
	return e
}

// Bus returns the engine's bus, for subscribing.
func (e *Engine) Bus() *Bus { return e.bus }

// Now returns the simulated time: the time of the work being handled.
func (e *Engine) Now() time.Time { return e.now }

// Phase returns the phase of the work being handled.
func (e *Engine) Phase() Phase { return e.phase }

// NextOrderID returns a new order ID. IDs start at 1 and follow the order
// in which orders are made, so they are the same on every run.
func (e *Engine) NextOrderID() uint64 {
	e.orderID++
	return e.orderID
}

// Emit queues ev at the current simulated time. Market, fill, signal and
// order-command events go to their own phase (never an earlier one than
// the current phase); other events are handled in the current phase, after
// the work already queued there.
func (e *Engine) Emit(ev Event) {
	p := phaseOf[ev.Kind()]
	if p < e.phase {
		p = e.phase
	}
	e.push(item{key: e.nextKey(e.nowNanos, p), ev: ev})
}

// Schedule queues ev at time t in the phase of its kind, as Emit does at
// the current time. It is for events known before the run, such as the
// corporate actions of a data set: call it before Run. Events at the same
// time and phase are handled in the order they were scheduled. An event at
// a time after the feed's last bar time is never handled, since the run
// ends with its data; one at a time not after the current time is queued
// at the current time, as Emit queues it.
func (e *Engine) Schedule(t time.Time, ev Event) {
	tn := t.UnixNano()
	if tn <= e.nowNanos {
		e.Emit(ev)
		return
	}
	e.push(item{key: e.nextKey(tn, phaseOf[ev.Kind()]), ev: ev})
}

// Defer queues fn to be called at the current simulated time in phase p,
// or in the current phase if p has already passed. A component uses it to
// act later in the same timestamp, as the strategy runner does to see the
// bars after the fills they caused have been applied. A failure of fn is
// isolated and reported under name like a failing subscriber's.
//
// Defer looks the component's circuit breaker up by name on every call; a
// component that defers work often holds a Deferrer instead.
func (e *Engine) Defer(p Phase, name string, fn func() error) {
	e.deferTo(p, e.breakerFor(name), fn)
}

func (e *Engine) deferTo(p Phase, br *breaker, fn func() error) {
	if p < e.phase {
		p = e.phase
	}
	e.queue.pushCall(e.nextKey(e.nowNanos, p), fn, br)
}

// Deferrer defers calls on behalf of one named component, as Engine.Defer
// does, with the component's circuit breaker found once instead of by name
// on every call. Make one with Engine.Deferrer.
type Deferrer struct {
	e    *Engine
	name string
	br   *breaker // found on first use, so that a breaker is listed only once its component has acted
}

// Deferrer returns a Deferrer for the component name.
func (e *Engine) Deferrer(name string) *Deferrer { return &Deferrer{e: e, name: name} }

// Defer is Engine.Defer(p, name, fn) for d's component.
func (d *Deferrer) Defer(p Phase, fn func() error) {
	if d.br == nil {
		d.br = d.e.breakerFor(d.name)
	}
	d.e.deferTo(p, d.br, fn)
}

// nextKey returns the key of work at time t in phase p, scheduled after
// all work so far.
func (e *Engine) nextKey(t int64, p Phase) key {
	e.seq++
	return makeKey(t, p, e.seq)
}

func (e *Engine) push(it item) { e.queue.push(it) }

// Abort ends the run after the work being handled, with err as Run's
// error. It is for failures that make going on pointless, such as an
// output that can no longer be written; the first call wins.
func (e *Engine) Abort(err error) {
	if e.abort == nil && err != nil {
		e.abort = err
	}
}

// Failures returns how many times each named subscriber has failed.
func (e *Engine) Failures() map[string]int {
	out := make(map[string]int, len(e.failures))
	for k, v := range e.failures {
		out[k] = v
	}
	return out
}

func (e *Engine) handlerFailed(name string, ev Event, err error) {
	e.failed(name, ev.Kind(), err)
}

// failed counts a failure of the named handler and reports it as an
// ErrorEvent; cause is the kind it was handling, 0 for deferred work.
func (e *Engine) failed(name string, cause Kind, err error) {
	e.failures[name]++
	e.stats.Failures++
	if (e.stopOnError || e.fatal[name]) && e.abort == nil {
		e.abort = fmt.Errorf("%w: %s: %w", ErrHandlerFailed, name, err)
	}
	if cause == KindError {
		return // an error handler that fails must not feed itself
	}
	e.Emit(&ErrorEvent{Time: e.now, Component: name, Cause: cause, Err: err})
}

// Run starts the registered components, processes the whole feed and stops
// the components. When ctx is canceled it stops reading the feed, finishes
// the work already queued, stops the components and returns an error
// wrapping ErrInterrupted; the stats report Interrupted. A feed error ends
// the run at once and is returned.
func (e *Engine) Run(ctx context.Context) (Stats, error) {
	if err := e.start(ctx); err != nil {
		return e.stats, err
	}
	runErr := e.loop(ctx)
	stopErr := e.stop()
	return e.stats, errors.Join(runErr, stopErr)
}

// feedState is where the loop stands in the feed. The feed is read one
// timestamp ahead so that the last market event can say it is the last:
// bufs[cur] holds the bars of the queued or current timestamp, next those
// of the timestamp after it (nil at the end of the feed), in the other
// buffer.
type feedState struct {
	bufs       [2][]Bar
	cur        int
	next       []Bar
	lastQueued int64 // the time of the last market event queued
}

// loop reads the feed and handles all the work. It calls handle until the
// run ends, again after each panic of a deferred function that handle
// recovered.
func (e *Engine) loop(ctx context.Context) error {
	fs := feedState{lastQueued: math.MinInt64}
	var err error
	if fs.next, err = e.read(&fs.bufs[0]); err != nil {
		return err
	}
	for {
		again, err := e.handle(ctx, &fs)
		if !again {
			return err
		}
	}
}

// handle reads the feed from fs and handles the work, market events and
// the rest, in key order, until the run ends, when it returns its error.
// A deferred function that panics is reported as failed, and handle
// returns again = true, for loop to call it again for the rest of the
// work: one recovery covers the whole run rather than one a call, which
// keeps panic-free work cheap.
func (e *Engine) handle(ctx context.Context, fs *feedState) (again bool, err error) {
	var br *breaker // the component of the deferred function running, if any
	defer func() {
		if br == nil {
			return
		}
		r := recover()
		if r == nil {
			return
		}
		perr := &PanicError{Value: r, Stack: debug.Stack()}
		e.failed(br.name, 0, perr)
		e.settle(br, 0, perr)
		if e.abort != nil {
			again, err = false, e.abort
			return
		}
		again = true
	}()
	done := ctx.Done()
	for {
		// it is the next work to handle. A market event that is the only
		// work at its time becomes it directly, without a round trip
		// through the queue: it would be the next pop anyway.
		var it item
		direct := false
		if e.queue.idle() {
			// Nothing is left at the current time: move to the next bar
			// time or to the next later work, whichever comes first.
			if fs.next != nil {
				select {
				case <-done:
					fs.next = nil // stop reading; finish what is queued
					e.stats.Interrupted = true
				default:
				}
			}
			later, hasLater := e.queue.nextLater()
			switch next := fs.next; {
			case next != nil && (!hasLater || next[0].Time.UnixNano() <= later):
				t := next[0].Time
				tn := t.UnixNano()
				if tn <= fs.lastQueued {
					return false, fmt.Errorf("engine: feed time %s is not after the previous %s",
						t.Format(time.RFC3339Nano), time.Unix(0, fs.lastQueued).UTC().Format(time.RFC3339Nano))
				}
				// Nothing earlier is left, so the other buffer is free.
				e.market.Time, e.market.Bars = t, next
				fs.cur = 1 - fs.cur
				if fs.next, err = e.read(&fs.bufs[fs.cur]); err != nil {
					return false, err
				}
				e.market.Last = fs.next == nil
				e.queue.advance(tn)
				it = item{key: e.nextKey(tn, PhaseMarket), ev: &e.market}
				if direct = e.queue.idle(); !direct {
					e.push(it)
				}
				fs.lastQueued = tn
				e.stats.Timestamps++
				e.stats.Bars += len(e.market.Bars)
			case hasLater && next != nil:
				// Later work is handled while bars remain: the run
				// ends with its data, and work scheduled after the
				// last bar time is dropped.
				e.queue.advance(later)
			default:
				if e.stats.Interrupted {
					return false, fmt.Errorf("%w: %w", ErrInterrupted, context.Cause(ctx))
				}
				return false, nil
			}
		}
		if !direct {
			it = e.queue.pop()
		}
		if it.key.Time != e.nowNanos {
			e.nowNanos = it.key.Time
			if it.ev == &e.market {
				e.now = e.market.Time
			} else {
				e.now = time.Unix(0, it.key.Time).UTC()
			}
		}
		e.phase = it.key.Phase()
		if it.fn != nil {
			if it.br.state == BreakerClosed || e.admit(it.br) {
				br = it.br
				err := it.fn()
				br = nil
				if err != nil {
					e.failed(it.br.name, 0, err)
				}
				if err != nil || it.br.consecutive != 0 || it.br.state != BreakerClosed {
					e.settle(it.br, 0, err)
				}
			}
		} else {
			e.stats.Events++
			if it.ev == &e.market {
				e.stats.Last = e.market.Time
			}
			e.bus.Publish(it.ev)
		}
		if e.abort != nil {
			return false, e.abort
		}
	}
}

// read fills *buf with the feed's next timestamp. It returns nil bars at
// the end of the feed.
func (e *Engine) read(buf *[]Bar) ([]Bar, error) {
	bars, err := e.feed.Next((*buf)[:0])
	switch {
	case err == io.EOF:
		return nil, nil
	case err != nil:
		return nil, err
	case len(bars) == 0:
		return nil, errors.New("engine: feed returned no bars and no error")
	}
	e.symbols.assign(bars)
	*buf = bars
	return bars, nil
}
