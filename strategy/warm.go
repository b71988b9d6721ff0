package strategy

import (
	"fmt"

	"github.com/quantloop/quantloop/engine"
)

// Warmer is implemented by strategies that keep state of their own (the
// averages of SMACross, the RSI of RSIReversion) and want it built from
// the bars before they trade, exactly as if they had seen those bars in
// OnBar. Warm is called with every warm-up bar, once, in time order and,
// within one timestamp, in the feed's symbol order, after the bar has
// been added to its symbol's History (ctx.History(bar.Symbol).Ago(0) is
// bar). The warm-up bars are:
//
//   - the bars before a run's data.from (see backtest.Config), at the
//     start of the run (Runner.Warm);
//   - for each step of a parameter schedule (Scheduled), every bar of the
//     run before the step begins: the step's instance gets Warm with them
//     while earlier steps trade, and OnBar from the step's first bar.
//
// So at its first OnBar a Warmer holds what it would hold had it run
// from the first bar of the data, and its first decision is the one a
// run from the start would make there, given the same position. Only
// bars already in the data are ever passed: warm-up is history, never
// the future.
//
// ctx is a warm-up Context (WarmingUp reports true): Time is bar's time,
// History, HistoryAt, Symbols, Universe, Orders, Position, Cash and
// Equity may be read (the account is the run's as it stands: empty before
// data.from, the earlier steps' under a schedule), and nothing may be
// done: Signal, SignalWeight, Submit, SubmitOrder, Place, Bracket,
// Rebalance, Modify, Cancel, Kill, ResetKillSwitch, Log, Schedule and
// SetUniverse panic. A returned error or a panic is reported as an error
// event (those of the bars before data.from at the run's first
// timestamp) and the warm-up goes on. No other method of the strategy is
// called for a warm-up bar (no OnBar, OnBars, OnStart or scheduled
// function), and the bars before data.from are not counted as the run's
// timestamps.
//
// A Warmer that is a Timeframer also has the bars before data.from fed to
// its coarser timeframes: the coarser bars they complete go into
// HistoryAt and, for a CoarseBarer, to OnCoarseBar with the warm-up
// Context, before Warm with the bar that completed them. A strategy that
// is not a Warmer sees none of this: before data.from its Histories are
// filled and nothing else.
type Warmer interface {
	Warm(ctx *Context, bar engine.Bar) error
}

// Warm adds bars to their symbols' Histories before the run's first
// timestamp, as warm-up: a History keeps the strategy's Lookback bars, so
// warming with more keeps the last of them. For a Warmer each bar then
// goes to its coarser timeframes, if it has any, and to Warm (see
// Warmer); errors are reported at the first timestamp. For any other
// strategy nothing else sees the bars.
func (r *Runner) Warm(bars []engine.Bar) {
	for i := range bars {
		b := &bars[i]
		h := r.history[b.Symbol]
		if h == nil {
			h = r.newSymbol(b.Symbol)
		}
		h.push(b)
		if r.warmer == nil {
			continue
		}
		r.warmCtx.now = b.Time
		if len(r.timeframes) > 0 {
			if err := r.pushCoarse(&r.warmCtx, b); err != nil {
				r.warmErr = append(r.warmErr, fmt.Errorf("warm-up %s %s: %w", b.Symbol, b.Time.Format(timeFormat), err))
			}
		}
		if err := warm(r.warmer, &r.warmCtx, b); err != nil {
			r.warmErr = append(r.warmErr, fmt.Errorf("warm-up %s %s: %w", b.Symbol, b.Time.Format(timeFormat), err))
		}
	}
}

// warm calls w.Warm, a panic recovered as an error.
func warm(w Warmer, ctx *Context, b *engine.Bar) (err error) {
	defer engine.Recover(&err)
	return w.Warm(ctx, *b)
}

// warmUp returns the warm-up Context of c's run at c's time.
func (c *Context) warmUp() *Context {
	w := &c.r.warmCtx
	w.now = c.Time()
	return w
}
