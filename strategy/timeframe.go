package strategy

import (
	"fmt"
	"slices"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

// Timeframer is implemented by strategies that also watch their symbols at
// coarser timeframes, built from the bars of the run (see
// [data.Resampler]). For each symbol and each timeframe the Runner keeps a
// History of completed coarser bars (Context.HistoryAt) and, if the
// strategy is a CoarseBarer, calls OnCoarseBar with each one.
//
// A coarser bar completes, and becomes visible, on the first bar of its
// symbol that falls in a later period, before OnBar is called with that
// bar. So at a bar the strategy sees coarser bars of periods that have
// ended, never the one in progress: a daily strategy sees a week's bar on
// the first day of a later week, not on the week's last day. The last,
// unfinished period of the data is never seen. The bars before data.from
// feed the coarser timeframes only of a Timeframer that is a Warmer
// (see Warmer).
type Timeframer interface {
	Timeframes() []data.Timeframe
}

// CoarseBarer is implemented by Timeframers that want each completed
// coarser bar as it completes, to feed indicators of that timeframe: an
// indicator fed here updates once per coarser bar.
type CoarseBarer interface {
	// OnCoarseBar is called with each completed bar of tf, before OnBar
	// with the bar that completed it. ctx is the current bar's (a
	// warm-up Context, on which nothing may be done, when that bar is a
	// warm-up bar of a Warmer: see Context.WarmingUp). A returned
	// error or a panic is reported as an error event and the run goes on.
	OnCoarseBar(ctx *Context, tf data.Timeframe, bar engine.Bar) error
}

// coarse is one symbol's resamplers and histories, one per timeframe of
// the strategy, in its order.
type coarse struct {
	rs   []*data.Resampler
	hist []*History
}

// setTimeframes keeps the valid timeframes of list, each once, and
// remembers an error naming the first invalid one.
func (r *Runner) setTimeframes(list []data.Timeframe) {
	r.coarse = make(map[string]*coarse)
	for _, tf := range list {
		if err := tf.Check(); err != nil {
			if r.tfErr == nil {
				r.tfErr = fmt.Errorf("strategy %s: timeframe %+v: %w", r.name, tf, err)
			}
			continue
		}
		if !slices.Contains(r.timeframes, tf) {
			r.timeframes = append(r.timeframes, tf)
		}
	}
}

// HistoryAt returns the completed bars of symbol at timeframe tf, the most
// recent first (Ago(0)), as many as the strategy's Lookback (or
// DefaultLookback). The History is empty when the strategy does not list
// tf in Timeframes or no bar of tf has completed.
func (c *Context) HistoryAt(symbol string, tf data.Timeframe) *History {
	if cs := c.r.coarse[symbol]; cs != nil {
		for i, t := range c.r.timeframes {
			if t == tf {
				return cs.hist[i]
			}
		}
	}
	return &History{}
}

// pushCoarse feeds b to its symbol's resamplers and reports each
// completed coarser bar, with ctx.
func (r *Runner) pushCoarse(ctx *Context, b *engine.Bar) error {
	cs := r.coarseBy.Get(b)
	if cs == nil {
		if cs = r.coarse[b.Symbol]; cs == nil {
			cs = &coarse{}
			for _, tf := range r.timeframes {
				cs.rs = append(cs.rs, data.NewResampler(tf))
				cs.hist = append(cs.hist, newHistory(r.lookback))
			}
			r.coarse[b.Symbol] = cs
		}
		r.coarseBy.Put(b, cs)
	}
	var first error
	for i, rs := range cs.rs {
		done, ok := rs.Push(*b)
		if !ok {
			continue
		}
		cs.hist[i].push(&done)
		if r.onCoarse == nil {
			continue
		}
		if err := r.callCoarse(ctx, r.timeframes[i], done); err != nil && first == nil {
			first = fmt.Errorf("%s bar of %s: %w", r.timeframes[i], done.Time.Format("2006-01-02T15:04:05Z07:00"), err)
		}
	}
	return first
}

func (r *Runner) callCoarse(ctx *Context, tf data.Timeframe, b engine.Bar) (err error) {
	defer engine.Recover(&err)
	return r.onCoarse.OnCoarseBar(ctx, tf, b)
}
