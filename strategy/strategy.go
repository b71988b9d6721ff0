// Package strategy is where trading decisions are made: the Strategy
// interface and its optional parts (OnBars once per timestamp, OnStart,
// OnEnd, order feedback), the Context a strategy sees and acts through
// (histories, orders, schedules, the universe, target-weight
// rebalancing), the registry of strategies by name with their params,
// streaming indicators, and the built-in strategies. docs/strategies.md
// is the guide.
package strategy

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// Strategy decides, bar by bar, what to hold.
//
// OnBar is called once for every bar, in time order and, within one
// timestamp, in the feed's symbol order. It runs after the fills made at
// that bar's open have been applied, so ctx reports positions, cash and
// equity as they stand at the bar's close. Orders and signals it makes
// fill no earlier than the symbol's next bar. A returned error or a panic
// is reported as an error event and the run goes on.
//
// A strategy may implement more: BarsHandler, Starter, Ender,
// OrderObserver, Lookbacker, Warmer, Describer and Parameterized. Runner
// gives the order of all the calls.
type Strategy interface {
	OnBar(ctx *Context, bar engine.Bar) error
}

// Parameterized is implemented by strategies that can report their
// effective params, defaults included, for the saved configuration.
type Parameterized interface {
	Params() Params
}

// Backlogged is implemented by strategies that hold orders they have not
// yet submitted, as Replay does: Pending returns how many there are, and
// a run reports the number left at its end.
type Backlogged interface {
	Pending() int
}

// Account is what a strategy may read of the portfolio.
type Account interface {
	// Position returns the signed quantity held in symbol (negative when
	// short), zero when flat.
	Position(symbol string) decimal.Decimal
	// Cash returns the cash balance.
	Cash() decimal.Decimal
	// Equity returns cash plus positions marked at their last close.
	Equity() float64
}

// Context is a strategy's view of the run at the current bar, and its way
// to act. It is valid only during the call that received it (OnBar,
// OnBars, OnStart, OnEnd, OnOrder, a scheduled function, or Warm, where
// it may only be read: see Warmer).
type Context struct {
	r       *Runner
	last    bool
	warming bool      // a Warm call's Context: acting panics
	now     time.Time // the warm-up bar's time, when warming
}

// Time returns the current bar's time.
func (c *Context) Time() time.Time {
	if c.warming {
		return c.now
	}
	return c.r.engine.Now()
}

// WarmingUp reports whether c is the Context of a warm-up call (Warmer's
// Warm, or a Timeframer's OnCoarseBar during warm-up), in which the
// strategy may read but not act.
func (c *Context) WarmingUp() bool { return c.warming }

// act panics, naming what was asked, when c is a warm-up Context: a
// warm-up bar is history, and nothing may be sent at it.
func (c *Context) act(what string) {
	if c.warming {
		panic(fmt.Sprintf("strategy: Context.%s during warm-up (%s): a warm-up call may read but not act", what, c.now.Format(timeFormat)))
	}
}

// IsLastBar reports whether the current bar belongs to the final timestamp
// of the data: an order made now will never fill at a later open.
func (c *Context) IsLastBar() bool { return c.last }

// History returns the recent bars of symbol, the current one included.
func (c *Context) History(symbol string) *History {
	if h, ok := c.r.history[symbol]; ok {
		return h
	}
	return &History{}
}

// Position returns the signed quantity held in symbol.
func (c *Context) Position(symbol string) decimal.Decimal { return c.r.account.Position(symbol) }

// Cash returns the cash balance.
func (c *Context) Cash() decimal.Decimal { return c.r.account.Cash() }

// Equity returns cash plus positions marked at their last close.
func (c *Context) Equity() float64 { return c.r.account.Equity() }

// Signal asks for the position in symbol to become long, short or flat.
// The sizer decides the quantity.
func (c *Context) Signal(symbol string, target engine.Target) {
	c.act("Signal")
	c.r.engine.Emit(&engine.SignalEvent{
		Time: c.Time(), Strategy: c.r.name, Symbol: symbol, Target: target,
	})
}

// SignalWeight asks for a position in symbol worth weight times equity
// (negative for short).
func (c *Context) SignalWeight(symbol string, weight float64) {
	c.act("SignalWeight")
	c.r.engine.Emit(&engine.SignalEvent{
		Time: c.Time(), Strategy: c.r.name, Symbol: symbol, Target: engine.TargetWeight, Weight: weight,
	})
}

// Submit sends a market order for quantity units of symbol, bypassing the
// sizer, and returns its ID. The broker may still refuse it.
func (c *Context) Submit(symbol string, side engine.Side, quantity decimal.Decimal) uint64 {
	c.act("Submit")
	o := engine.Order{
		ID:       c.r.engine.NextOrderID(),
		Time:     c.Time(),
		Symbol:   symbol,
		Side:     side,
		Type:     engine.Market,
		Quantity: quantity,
		Source:   c.r.name,
	}
	c.r.engine.Emit(&engine.SubmitOrder{Order: o})
	c.r.orders.placed(o)
	return o.ID
}

// SubmitOrder sends o, bypassing the sizer, and returns its ID. ID, Time
// and Source are filled in; every other field is the caller's: the type,
// prices, time in force, OCO group, parent and reduce-only flag. The
// broker may refuse the order, for its shape, symbol, parent, account or
// risk checks; that comes later as an OrderRejected event. [Context.Place]
// is the same call that also reports a malformed order at once.
func (c *Context) SubmitOrder(o engine.Order) uint64 {
	id, _ := c.Place(o) // a malformed order is rejected on the record
	return id
}

// Place is [Context.SubmitOrder] that reports a malformed order (see
// engine.Order.Validate) at once: the error is an *engine.OrderError.
// The order is sent all the same, and the broker rejects it with the same
// reason, so that the run's record of orders holds it.
func (c *Context) Place(o engine.Order) (uint64, error) {
	c.act("Place")
	o.ID = c.r.engine.NextOrderID()
	o.Time = c.Time()
	o.Source = c.r.name
	c.r.engine.Emit(&engine.SubmitOrder{Order: o})
	c.r.orders.placed(o)
	if err := o.Validate(o.Time); err != nil {
		return o.ID, fmt.Errorf("order %d: %w", o.ID, err)
	}
	return o.ID, nil
}

// Bracket sends entry and, as its bracket, a take-profit limit at
// takeProfit and a stop-loss stop at stopLoss on the other side, in one
// OCO group. The exits work only once the entry has filled, for the
// quantity it filled. A zero price leaves that exit out. It returns the
// three IDs (zero for an exit left out).
func (c *Context) Bracket(entry engine.Order, takeProfit, stopLoss engine.Price) (entryID, tpID, slID uint64) {
	entryID = c.SubmitOrder(entry)
	exit := engine.Order{
		Symbol: entry.Symbol, Side: -entry.Side, Quantity: entry.Quantity,
		Parent: entryID, OCO: fmt.Sprintf("bracket-%d", entryID),
	}
	if takeProfit > 0 {
		tp := exit
		tp.Type, tp.Limit = engine.Limit, takeProfit
		tpID = c.SubmitOrder(tp)
	}
	if stopLoss > 0 {
		sl := exit
		sl.Type, sl.Stop = engine.Stop, stopLoss
		slID = c.SubmitOrder(sl)
	}
	return entryID, tpID, slID
}

// Modify asks the broker to change a working order's quantity, limit or
// stop; zero values leave a field as it is.
func (c *Context) Modify(orderID uint64, quantity decimal.Decimal, limit, stop engine.Price) {
	c.act("Modify")
	c.r.engine.Emit(&engine.ModifyOrder{Time: c.Time(), OrderID: orderID, Quantity: quantity, Limit: limit, Stop: stop})
}

// Cancel asks the broker to cancel the working order with the given ID.
func (c *Context) Cancel(orderID uint64) {
	c.act("Cancel")
	c.r.engine.Emit(&engine.CancelOrder{Time: c.Time(), OrderID: orderID, Reason: c.r.name + " canceled"})
}

// Kill asks the run's kill switch to trip, giving reason. The switch
// cancels every working order and, by default, closes every position at
// the next bar's open; orders that do not reduce a position are refused
// from then on. Without a kill switch the request does nothing.
func (c *Context) Kill(reason string) {
	c.act("Kill")
	c.r.engine.Emit(&engine.KillRequest{Time: c.Time(), Source: c.r.name, Reason: reason})
}

// ResetKillSwitch asks the run's kill switch to reset. The reset happens
// only if authorization equals the one the run was configured with;
// otherwise it is refused and the refusal is recorded as an event.
func (c *Context) ResetKillSwitch(authorization string) {
	c.act("ResetKillSwitch")
	c.r.engine.Emit(&engine.KillRequest{Time: c.Time(), Source: c.r.name, Reset: true, Authorization: authorization})
}

// Log records a message in the run's log, stamped with simulated time.
func (c *Context) Log(format string, args ...any) {
	c.act("Log")
	c.r.engine.Emit(&engine.LogEvent{Time: c.Time(), Source: c.r.name, Message: fmt.Sprintf(format, args...)})
}

// History holds the most recent bars of one symbol in a ring.
type History struct {
	bars  []engine.Bar
	next  int
	count int
	seen  int // bars pushed in all
}

func newHistory(n int) *History { return &History{bars: make([]engine.Bar, n)} }

func (h *History) push(b *engine.Bar) {
	h.seen++
	h.bars[h.next] = *b
	if h.next++; h.next == len(h.bars) {
		h.next = 0
	}
	if h.count < len(h.bars) {
		h.count++
	}
}

// Len returns how many bars are held.
func (h *History) Len() int { return h.count }

// Ago returns the bar i bars before the current one: Ago(0) is the current
// bar. It panics if i >= Len().
func (h *History) Ago(i int) engine.Bar {
	if i < 0 || i >= h.count {
		panic(fmt.Sprintf("strategy: History.Ago(%d) with %d bars held", i, h.count))
	}
	j := h.next - 1 - i
	if j < 0 {
		j += len(h.bars)
	}
	return h.bars[j]
}
