// Package audit finds look-ahead: decisions of a run that depend on data
// after the bar at which they were made.
//
// The audit runs the configured backtest once on all its data (the full
// run), then again on the data truncated at cut points: bar times of the
// full run drawn at random (seeded), the last one excluded. A truncated
// run ends at its cut exactly as if the data files ended there
// (backtest.Options.Until): the same data.from warm-up, the same bars up
// to the cut, nothing after it. Every decision sent at or before the cut
// (an order submitted, modified or canceled, by the strategy, the sizer,
// the risk components or the broker) must then be the same, in the same
// order, as the full run's: a decision made at bar t from data up to t
// cannot tell the two runs apart. The first decision that differs names
// the bar where a decision depended on later data.
//
// Knowing that a bar is the last one (strategy.Context.IsLastBar, an
// Ender's OnEnd, a LastBarOf schedule firing at the end of the data) is
// knowledge of the future in this sense: live, no bar is known to be the
// last. A decision that uses it differs at a cut and is reported like any
// other. The truncated runs are made with execution.close_at_end off:
// closing at the end is the user's declared action at the end of the
// data, not a decision, and it would otherwise differ at every cut where
// a position is open. The full run keeps the setting; its closing orders
// come at the last bar, after every cut.
package audit

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// DefaultCuts is the number of cut points of Options.Cuts by default.
const DefaultCuts = 20

// Options set the cut points and how many runs are made at once.
type Options struct {
	// Cuts is the number of cut points drawn from the full run's bar
	// times (all but the last); 0 is DefaultCuts. When the run has fewer
	// bar times, every one but the last is a cut.
	Cuts int
	// Seed seeds the draw of the cut points: PCG(Seed, 0), Floyd's
	// algorithm for a sample without repeats.
	Seed uint64
	// At, if not empty, are the cut points, instead of a draw: each must
	// be a bar time of the full run.
	At []time.Time
	// Jobs is the number of truncated runs made at once; 0 is
	// runtime.GOMAXPROCS. It changes no result.
	Jobs int
}

// Decision is one order command a run sent.
type Decision struct {
	// Time is the simulated time at which it was sent.
	Time time.Time `json:"time"`
	// Symbol is the order's symbol ("" for a cancel of all orders, and
	// for a cancel or modify of an order the run did not send).
	Symbol string `json:"symbol,omitempty"`
	// Text describes the command and every field of it.
	Text string `json:"text"`
}

// Cut is the result of one truncated run.
type Cut struct {
	// Time is the cut: the truncated run's last bar time.
	Time time.Time `json:"time"`
	// Compared is the number of the full run's decisions sent at or
	// before Time.
	Compared int `json:"compared"`
	// Finding is the first difference, nil when none.
	Finding *Finding `json:"finding,omitempty"`
}

// Finding is a decision sent at or before a cut that the truncated run
// did not send the same.
type Finding struct {
	// Cut is the truncated run's last bar time.
	Cut time.Time `json:"cut"`
	// Bar is the time of the first differing decision: the bar at which
	// a decision depended on data after Cut.
	Bar time.Time `json:"bar"`
	// Symbol is the symbol of the differing decision (the full run's,
	// else the truncated run's).
	Symbol string `json:"symbol,omitempty"`
	// Full and Truncated are the differing decisions' texts; "(none)"
	// where that run sent no decision there.
	Full      string `json:"full"`
	Truncated string `json:"truncated"`
	// Index is the position of the decision among the run's decisions,
	// from 0.
	Index int `json:"index"`
}

// Report is the audit's result.
type Report struct {
	// Timestamps is the number of bar times of the full run; Decisions
	// the number of decisions it sent.
	Timestamps int `json:"timestamps"`
	Decisions  int `json:"decisions"`
	// Cuts are the truncated runs, in the order of their times.
	Cuts []Cut `json:"cuts"`
	// First is the finding with the earliest Bar (the earliest cut on a
	// tie); nil when the run is clean.
	First *Finding `json:"first,omitempty"`
}

// Clean reports whether no decision depends on later data at any cut.
func (r *Report) Clean() bool { return r.First == nil }

// ErrRun is wrapped by Run's error when the full run or a truncated run
// fails: the audit needs complete runs.
var ErrRun = errors.New("run failed")

// Run audits the run cfg describes (see the package documentation).
func Run(ctx context.Context, cfg backtest.Config, opt Options) (*Report, error) {
	if opt.Cuts == 0 {
		opt.Cuts = DefaultCuts
	}
	if opt.Jobs == 0 {
		opt.Jobs = runtime.GOMAXPROCS(0)
	}
	if opt.Cuts < 0 || opt.Jobs < 0 {
		return nil, fmt.Errorf("audit: cuts %d, jobs %d: want at least 1 each", opt.Cuts, opt.Jobs)
	}
	full, times, err := record(ctx, cfg, time.Time{}, true)
	if err != nil {
		return nil, fmt.Errorf("audit: the full run: %w", err)
	}
	cuts, err := cutTimes(times, opt)
	if err != nil {
		return nil, err
	}
	rep := &Report{Timestamps: len(times), Decisions: len(full), Cuts: make([]Cut, len(cuts))}
	truncated := cfg
	truncated.Execution.CloseAtEnd = false
	errs := make([]error, len(cuts))
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(opt.Jobs, len(cuts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(cuts) {
					return
				}
				c := cuts[i]
				got, _, err := record(ctx, truncated, c, false)
				if err != nil {
					errs[i] = fmt.Errorf("audit: the run cut at %s: %w", formatTime(c), err)
					continue
				}
				rep.Cuts[i] = compare(c, full, got)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i := range rep.Cuts {
		f := rep.Cuts[i].Finding
		if f != nil && (rep.First == nil || f.Bar.Before(rep.First.Bar)) {
			rep.First = f
		}
	}
	return rep, nil
}

// cutTimes returns the sorted cut points: opt.At checked against the bar
// times, or a seeded draw of opt.Cuts of them (all but the last).
func cutTimes(times []time.Time, opt Options) ([]time.Time, error) {
	if len(times) < 2 {
		return nil, fmt.Errorf("audit: the run has %d bar times: a cut needs a bar after it", len(times))
	}
	if len(opt.At) > 0 {
		cuts := slices.Clone(opt.At)
		slices.SortFunc(cuts, time.Time.Compare)
		cuts = slices.CompactFunc(cuts, time.Time.Equal)
		for _, c := range cuts {
			i, ok := slices.BinarySearchFunc(times, c, time.Time.Compare)
			if !ok || i == len(times)-1 {
				return nil, fmt.Errorf("audit: cut %s is not a bar time of the run before its last", formatTime(c))
			}
		}
		return cuts, nil
	}
	n := len(times) - 1
	k := min(opt.Cuts, n)
	rng := rand.New(rand.NewPCG(opt.Seed, 0))
	// Floyd's algorithm: k distinct indices of [0, n), each k-subset
	// equally likely.
	chosen := make(map[int]bool, k)
	for j := n - k; j < n; j++ {
		i := rng.IntN(j + 1)
		if chosen[i] {
			i = j
		}
		chosen[i] = true
	}
	cuts := make([]time.Time, 0, k)
	for i := range n {
		if chosen[i] {
			cuts = append(cuts, times[i])
		}
	}
	return cuts, nil
}

// compare returns the Cut of the truncated run cut at c, whose decisions
// are got, against the full run's decisions full.
func compare(c time.Time, full, got []Decision) Cut {
	upTo := func(d []Decision) []Decision {
		i, _ := slices.BinarySearchFunc(d, c, func(d Decision, c time.Time) int {
			if d.Time.After(c) {
				return 1
			}
			return -1
		})
		return d[:i]
	}
	full, got = upTo(full), upTo(got)
	cut := Cut{Time: c, Compared: len(full)}
	for i := range max(len(full), len(got)) {
		var a, b *Decision
		if i < len(full) {
			a = &full[i]
		}
		if i < len(got) {
			b = &got[i]
		}
		if a != nil && b != nil && a.Time.Equal(b.Time) && a.Text == b.Text {
			continue
		}
		f := &Finding{Cut: c, Index: i, Full: "(none)", Truncated: "(none)"}
		if a != nil {
			f.Bar, f.Symbol, f.Full = a.Time, a.Symbol, describe(*a)
		}
		if b != nil {
			f.Truncated = describe(*b)
			if a == nil || b.Time.Before(a.Time) {
				f.Bar, f.Symbol = b.Time, b.Symbol
			}
		}
		cut.Finding = f
		break
	}
	return cut
}

// describe is a decision's text with its time.
func describe(d Decision) string { return formatTime(d.Time) + " " + d.Text }

// formatTime writes t as the run's output files do.
func formatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// record runs cfg, ended at until unless it is zero, and returns the
// decisions it sent, in order, and, if times is true, its bar times.
func record(ctx context.Context, cfg backtest.Config, until time.Time, times bool) ([]Decision, []time.Time, error) {
	var ds []Decision
	var ts []time.Time
	observe := func(e *engine.Engine) {
		bus := e.Bus()
		add := func(symbol, text string) {
			ds = append(ds, Decision{Time: e.Now(), Symbol: symbol, Text: text})
		}
		symbols := map[uint64]string{} // of the orders sent, by ID
		engine.Subscribe(bus, "audit", func(c *engine.SubmitOrder) error {
			symbols[c.Order.ID] = c.Order.Symbol
			add(c.Order.Symbol, orderText(&c.Order))
			return nil
		})
		engine.Subscribe(bus, "audit", func(c *engine.ModifyOrder) error {
			add(symbols[c.OrderID], fmt.Sprintf("modify order %d: quantity %s limit %s stop %s", c.OrderID, c.Quantity, c.Limit, c.Stop))
			return nil
		})
		engine.Subscribe(bus, "audit", func(c *engine.CancelOrder) error {
			add(symbols[c.OrderID], fmt.Sprintf("cancel order %d (%s)", c.OrderID, c.Reason))
			return nil
		})
		engine.Subscribe(bus, "audit", func(c *engine.CancelAllOrders) error {
			add("", fmt.Sprintf("cancel all orders (%s)", c.Reason))
			return nil
		})
		if times {
			engine.Subscribe(bus, "audit", func(m *engine.MarketEvent) error {
				ts = append(ts, m.Time)
				return nil
			})
		}
	}
	res, err := backtest.Options{Sink: discard{}, Until: until, Observe: observe}.Run(ctx, cfg)
	if res != nil {
		defer res.Close()
	}
	if err != nil {
		if res == nil {
			return nil, nil, err // the configuration or the data's headers
		}
		return nil, nil, fmt.Errorf("%w: %w", ErrRun, err)
	}
	if n := len(res.Errors); n > 0 {
		// A handler's failure that did not stop the run changes what it
		// decides in a way the audit cannot attribute.
		e := res.Errors[0]
		return nil, nil, fmt.Errorf("%w: %s failed at %s: %s (and %d more)", ErrRun, e.Component, formatTime(e.Time), e.Message, n-1)
	}
	return ds, ts, nil
}

// orderText describes every field of o that the sender chose.
func orderText(o *engine.Order) string {
	var b strings.Builder
	fmt.Fprintf(&b, "submit order %d: %s %s %s %s", o.ID, o.Side, o.Quantity, o.Symbol, o.Type)
	if o.Limit != 0 {
		fmt.Fprintf(&b, " limit %s", o.Limit)
	}
	if o.Stop != 0 {
		fmt.Fprintf(&b, " stop %s", o.Stop)
	}
	if o.TrailAmount != 0 {
		fmt.Fprintf(&b, " trail %s", o.TrailAmount)
	}
	if !o.TrailPercent.IsZero() {
		fmt.Fprintf(&b, " trail %s%%", o.TrailPercent)
	}
	fmt.Fprintf(&b, " %s", o.TIF)
	if !o.ExpireAt.IsZero() {
		fmt.Fprintf(&b, " until %s", formatTime(o.ExpireAt))
	}
	if o.Parent != 0 {
		fmt.Fprintf(&b, " parent %d", o.Parent)
	}
	if o.OCO != "" {
		fmt.Fprintf(&b, " oco %q", o.OCO)
	}
	if o.ReduceOnly {
		b.WriteString(" reduce-only")
	}
	if o.Label != "" {
		fmt.Fprintf(&b, " label %q", o.Label)
	}
	fmt.Fprintf(&b, " from %s", o.Source)
	return b.String()
}

// discard is a backtest.Sink that keeps nothing: the audit reads the
// decisions from the bus.
type discard struct{}

func (discard) WriteEquity(*backtest.EquityPoint) error   { return nil }
func (discard) WriteFill(*engine.FillEvent, string) error { return nil }
func (discard) WriteTrade(*portfolio.Trade) error         { return nil }
func (discard) WriteOrder(*backtest.OrderRecord) error    { return nil }
