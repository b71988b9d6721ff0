package strategy

import (
	"errors"
	"fmt"
	"slices"
	"time"

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
// open have been applied, then calls, in this order:
//
//  1. OnStart (a Starter), at the data's first timestamp only;
//  2. for each bar of the timestamp, in the feed's symbol order: the bar
//     is added to its symbol's History and fed to the coarser timeframes
//     of a Timeframer (OnCoarseBar with each coarser bar it completes),
//     then OnBar is called, so that OnBar of the first symbol sees the
//     other symbols' histories without their bar of this time;
//  3. OnBars (a BarsHandler), once, every bar of the time now in History;
//  4. the scheduled functions whose rule fires at this time, in the order
//     they were registered (Context.Schedule);
//  5. OnEnd (an Ender), at the data's last timestamp only.
//
// Before the first timestamp, the bars before the run's data.from come
// through Warm: into the Histories and, for a Warmer, to its Warm.
//
// Reports on the strategy's own orders (an OrderObserver) come outside
// these calls, as the broker makes them: triggers and expiries while the
// bars are matched, then fills once booked, all before step 1 of the
// same timestamp; acceptances and rejections of orders made in steps 1 to
// 5 after step 5. Orders and signals made in any call fill no earlier than
// the next timestamp.
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
	warmCtx  Context // the Context of warm-up calls (see Warmer)
	warmer   Warmer  // nil when the strategy is not one
	warmErr  []error // errors of warm-up before the first timestamp

	// coarser timeframes (see Timeframer); empty when none
	timeframes []data.Timeframe
	onCoarse   CoarseBarer
	coarse     map[string]*coarse
	coarseBy   engine.SymbolCache[coarse]
	tfErr      error // a bad timeframe, reported at the first bar

	bars      BarsHandler // the strategy's optional parts, nil when absent
	starter   Starter
	ender     Ender
	trading   Trading
	n         int       // timestamps seen
	prev      time.Time // the previous timestamp
	schedules []*scheduled
	universe  Universe
	symbols   []string // symbols with a History, sorted
	orders    orderBook
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
	r.warmCtx = Context{r: r, warming: true}
	r.warmer, _ = s.(Warmer)
	r.bars, _ = s.(BarsHandler)
	r.starter, _ = s.(Starter)
	r.ender, _ = s.(Ender)
	r.watchOrders()
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
	if r.warmErr != nil {
		errs, r.warmErr = append(errs, r.warmErr...), nil
	}
	r.ctx.last = r.market.Last
	if r.n == 0 && r.starter != nil {
		errs = r.try(errs, "start", r.starter.OnStart)
	}
	for i := range r.market.Bars {
		b := &r.market.Bars[i]
		h := r.byIndex.Get(b)
		if h == nil {
			if h = r.history[b.Symbol]; h == nil {
				h = r.newSymbol(b.Symbol)
			}
			r.byIndex.Put(b, h)
		}
		h.push(b)
		if len(r.timeframes) > 0 {
			if err := r.pushCoarse(&r.ctx, b); err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", b.Symbol, b.Time.Format(timeFormat), err))
			}
		}
		if err := r.call(b); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", b.Symbol, b.Time.Format(timeFormat), err))
		}
	}
	if r.bars != nil || len(r.schedules) > 0 || r.ender != nil {
		errs = r.afterBars(errs)
	}
	r.n++
	r.prev = r.market.Time
	return errors.Join(errs...)
}

// timeFormat is how an error names the time of a call that failed.
const timeFormat = "2006-01-02T15:04:05Z07:00"

func (r *Runner) call(b *engine.Bar) (err error) {
	defer engine.Recover(&err)
	return r.strategy.OnBar(&r.ctx, *b)
}

// Symbols returns the symbols that have had a bar so far, sorted.
func (r *Runner) Symbols() []string { return slices.Clone(r.symbols) }

// newSymbol makes the History of a symbol met for the first time.
func (r *Runner) newSymbol(symbol string) *History {
	h := newHistory(r.lookback)
	r.history[symbol] = h
	i, _ := slices.BinarySearch(r.symbols, symbol)
	r.symbols = slices.Insert(r.symbols, i, symbol)
	return h
}

// afterBars makes the calls that follow the OnBar calls of a timestamp:
// OnBars, the scheduled functions, and OnEnd at the last timestamp.
func (r *Runner) afterBars(errs []error) []error {
	if r.bars != nil {
		errs = r.try(errs, "bars", func(c *Context) error { return r.bars.OnBars(c, r.market.Bars) })
	}
	t := r.market.Time
	for _, s := range r.schedules[:len(r.schedules):len(r.schedules)] {
		if s.fires(t, r.prev, r.n, r.market.Last) {
			errs = r.try(errs, s.rule.String(), s.fn)
		}
	}
	if r.market.Last && r.ender != nil {
		errs = r.try(errs, "end", r.ender.OnEnd)
	}
	return errs
}

// try calls fn with the runner's Context, a panic recovered as an error,
// and appends its error, naming what was called, to errs.
func (r *Runner) try(errs []error, what string, fn func(*Context) error) []error {
	err := func() (err error) {
		defer engine.Recover(&err)
		return fn(&r.ctx)
	}()
	if err != nil {
		errs = append(errs, fmt.Errorf("%s %s: %w", what, r.market.Time.Format(timeFormat), err))
	}
	return errs
}
