package strategy

import (
	"errors"
	"fmt"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

// DefaultLookback is how many bars of each symbol a Context's History holds
// unless the strategy asks for another number through Lookbacker.
const DefaultLookback = 64

// Lookbacker is implemented by strategies that need a History longer (or
// shorter) than DefaultLookback.
type Lookbacker interface {
	Lookback() int
}

// Runner drives one Strategy from an engine's market events. On each
// timestamp it waits for PhaseStrategy, when the fills made at the bars'
// open have been applied, then calls OnBar for each bar (after feeding the
// bar to the coarser timeframes of a Timeframer, see there).
type Runner struct {
	engine   *engine.Engine
	strategy Strategy
	name     string
	account  Account
	lookback int
	history  map[string]*History
	byIndex  engine.SymbolCache[History]
	market   *engine.MarketEvent
	decide   func() error
	deferrer *engine.Deferrer
	ctx      Context

	// coarser timeframes (see Timeframer); empty when none
	timeframes []data.Timeframe
	onCoarse   CoarseBarer
	coarse     map[string]*coarse
	coarseBy   engine.SymbolCache[coarse]
	tfErr      error // a bad timeframe, reported at the first bar
}

// NewRunner subscribes s, under name, to e's market events. account is
// what the strategy's Context reports as position, cash and equity.
func NewRunner(e *engine.Engine, name string, s Strategy, account Account) *Runner {
	r := &Runner{
		engine:   e,
		strategy: s,
		name:     name,
		account:  account,
		lookback: DefaultLookback,
		history:  make(map[string]*History),
	}
	if lb, ok := s.(Lookbacker); ok && lb.Lookback() > 0 {
		r.lookback = lb.Lookback()
	}
	if tf, ok := s.(Timeframer); ok {
		r.setTimeframes(tf.Timeframes())
		r.onCoarse, _ = s.(CoarseBarer)
	}
	r.ctx.r = r
	r.decide = r.onBars // bound once: deferring it allocates nothing
	r.deferrer = e.Deferrer(name)
	// The subscription has a name of its own: it only schedules the
	// strategy, and must not be the trial that closes the strategy's
	// half-open circuit breaker.
	engine.Subscribe(e.Bus(), name+"/schedule", func(m *engine.MarketEvent) error {
		r.market = m
		r.deferrer.Defer(engine.PhaseStrategy, r.decide)
		return nil
	})
	return r
}

// onBars calls the strategy for every bar of the current timestamp. A bar
// whose call fails does not keep the others from being seen.
func (r *Runner) onBars() error {
	var errs []error
	if r.tfErr != nil {
		errs, r.tfErr = append(errs, r.tfErr), nil
	}
	r.ctx.last = r.market.Last
	for i := range r.market.Bars {
		b := &r.market.Bars[i]
		h := r.byIndex.Get(b)
		if h == nil {
			if h = r.history[b.Symbol]; h == nil {
				h = newHistory(r.lookback)
				r.history[b.Symbol] = h
			}
			r.byIndex.Put(b, h)
		}
		h.push(b)
		if len(r.timeframes) > 0 {
			if err := r.pushCoarse(b); err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", b.Symbol, b.Time.Format("2006-01-02T15:04:05Z07:00"), err))
			}
		}
		if err := r.call(b); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", b.Symbol, b.Time.Format("2006-01-02T15:04:05Z07:00"), err))
		}
	}
	return errors.Join(errs...)
}

func (r *Runner) call(b *engine.Bar) (err error) {
	defer engine.Recover(&err)
	return r.strategy.OnBar(&r.ctx, *b)
}
