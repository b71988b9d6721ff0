package engine

import (
	"math"
	"sort"
	"time"
)

// BreakerConfig configures the circuit breaker each named component gets.
//
// A breaker counts its component's consecutive failures (a handler or a
// deferred call that returned an error or panicked). After Failures of
// them in a row it opens: the component is skipped, its events not
// delivered and its deferred calls not made, until Cooldown of simulated
// time has passed since the failure that opened it. Then it is half-open:
// the next event (or deferred call) is a trial. If the trial succeeds the
// breaker closes; if it fails the breaker opens again for another
// Cooldown. Every change of state is published as a BreakerEvent.
//
// Breakers are keyed by the name given to Subscribe and Defer, so the
// handlers registered under one name share one breaker.
type BreakerConfig struct {
	// Failures is the number of consecutive failures that opens a breaker.
	// Zero or less disables opening: failures are only counted.
	Failures int
	// Cooldown is how long, in simulated time, an open breaker skips its
	// component.
	Cooldown time.Duration
}

// DefaultBreakerConfig returns the engine's defaults: 5 consecutive
// failures open a breaker for one simulated day.
func DefaultBreakerConfig() BreakerConfig {
	return BreakerConfig{Failures: 5, Cooldown: 24 * time.Hour}
}

// BreakerStats is what one component's breaker saw during a run.
type BreakerStats struct {
	Component string
	State     BreakerState // at the end of the run
	Failures  int          // failures in all
	Opens     int          // times it opened
	Skipped   int          // events and deferred calls not delivered while open
}

// breaker is the state of one component's circuit breaker.
type breaker struct {
	name        string
	state       BreakerState
	consecutive int
	until       int64 // Unix nanoseconds at which an open breaker turns half-open
	failures    int
	opens       int
	skipped     int
}

// SetBreaker sets the circuit-breaker configuration. It applies to every
// breaker, including those of components already subscribed.
func (e *Engine) SetBreaker(c BreakerConfig) { e.breakerCfg = c }

// SetStopOnError makes the first failing handler or deferred call end the
// run: Run stops at once, without handling the rest of the queue, and
// returns an error wrapping ErrHandlerFailed. By default (false) a failure
// is isolated and the run goes on.
func (e *Engine) SetStopOnError(stop bool) { e.stopOnError = stop }

// StopOnErrorOf makes a failure of any of the named components end the
// run, as SetStopOnError(true) does for every component.
func (e *Engine) StopOnErrorOf(components ...string) {
	if e.fatal == nil {
		e.fatal = map[string]bool{}
	}
	for _, c := range components {
		e.fatal[c] = true
	}
}

// Breakers returns the state and counts of every component's breaker,
// sorted by component name.
func (e *Engine) Breakers() []BreakerStats {
	out := make([]BreakerStats, 0, len(e.breakers))
	for _, b := range e.breakers {
		out = append(out, BreakerStats{Component: b.name, State: b.state, Failures: b.failures, Opens: b.opens, Skipped: b.skipped})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Component < out[j].Component })
	return out
}

// breakerFor returns the breaker of the named component, making it on
// first use.
func (e *Engine) breakerFor(name string) *breaker {
	b, ok := e.breakers[name]
	if !ok {
		b = &breaker{name: name}
		e.breakers[name] = b
	}
	return b
}

// admit reports whether a component whose breaker is not closed may get
// the current work. An open breaker whose cool-down has ended turns
// half-open and admits the work as its trial.
func (e *Engine) admit(b *breaker) bool {
	switch b.state {
	case BreakerOpen:
		if e.nowNanos < b.until {
			b.skipped++
			return false
		}
		e.transition(b, BreakerHalfOpen)
	}
	return true
}

// settle records the outcome of work delivered to b's component. cause is
// the kind of event handled (0 for deferred work).
func (e *Engine) settle(b *breaker, cause Kind, err error) {
	if err == nil {
		b.consecutive = 0
		if b.state == BreakerHalfOpen {
			e.transitionCause(b, BreakerClosed, cause)
		}
		return
	}
	b.failures++
	b.consecutive++
	if b.state == BreakerHalfOpen || (e.breakerCfg.Failures > 0 && b.consecutive >= e.breakerCfg.Failures) {
		b.until = satAdd(e.nowNanos, int64(e.breakerCfg.Cooldown))
		b.opens++
		e.transitionCause(b, BreakerOpen, cause)
	}
}

func (e *Engine) transition(b *breaker, to BreakerState) { e.transitionCause(b, to, 0) }

// transitionCause moves b to state to and publishes the change, unless
// the work that caused it was itself a breaker event (a failing breaker
// listener must not feed itself).
func (e *Engine) transitionCause(b *breaker, to BreakerState, cause Kind) {
	from := b.state
	b.state = to
	if cause == KindBreaker {
		return
	}
	ev := &BreakerEvent{Time: e.now, Component: b.name, From: from, To: to, Failures: b.consecutive}
	if to == BreakerOpen {
		ev.Until = time.Unix(0, b.until).In(e.now.Location())
	}
	e.Emit(ev)
}

// satAdd returns a + d, saturating at the largest int64.
func satAdd(a, d int64) int64 {
	if d > 0 && a > math.MaxInt64-d {
		return math.MaxInt64
	}
	return a + d
}
