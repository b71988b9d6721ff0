// Package broker simulates execution: it accepts or refuses orders and
// fills them against later bars, with commission and slippage.
package broker

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// Guard checks an order before the broker accepts it. A non-nil error
// refuses the order; its text is the rejection reason.
type Guard interface {
	Check(o engine.Order) error
}

// Options configure a Broker.
type Options struct {
	Commission Commission
	Slippage   Slippage
	// Guard, if set, is asked about every order before it is accepted.
	Guard Guard
}

// Broker is the simulated broker of one run.
//
// A market order is accepted at the end of the timestamp that made it and
// fills, whole, at the open of its symbol's next bar, whatever the gap.
// An order made on the data's last bar never fills and stays working. A
// market-on-close order (used by close-at-end) fills at once at its
// symbol's most recent close: opt-in same-bar execution.
type Broker struct {
	engine  *engine.Engine
	opts    Options
	resting map[string][]engine.Order // working market orders by symbol, oldest first
	last    map[string]engine.Bar
	mocUsed bool
}

// New returns a broker subscribed to e's market events and order commands.
func New(e *engine.Engine, opts Options) *Broker {
	b := &Broker{
		engine:  e,
		opts:    opts,
		resting: make(map[string][]engine.Order),
		last:    make(map[string]engine.Bar),
	}
	engine.Subscribe(e.Bus(), "broker", b.onMarket)
	engine.Subscribe(e.Bus(), "broker", b.onSubmit)
	engine.Subscribe(e.Bus(), "broker", b.onCancel)
	return b
}

// UsedMarketOnClose reports whether any order filled on the bar that made
// it (market-on-close).
func (b *Broker) UsedMarketOnClose() bool { return b.mocUsed }

// Working returns the orders still working, by ID.
func (b *Broker) Working() []engine.Order {
	var out []engine.Order
	for _, os := range b.resting {
		out = append(out, os...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (b *Broker) onMarket(m *engine.MarketEvent) error {
	for i := range m.Bars {
		bar := &m.Bars[i]
		b.last[bar.Symbol] = *bar
		orders := b.resting[bar.Symbol]
		if len(orders) == 0 {
			continue
		}
		open := bar.Open.Decimal()
		for _, o := range orders {
			b.fill(o, open, bar.Time)
		}
		b.resting[bar.Symbol] = orders[:0]
	}
	return nil
}

func (b *Broker) fill(o engine.Order, price decimal.Decimal, t time.Time) {
	px := b.opts.Slippage.Apply(price, o.Side == engine.Buy)
	b.engine.Emit(&engine.FillEvent{
		Time:       t,
		OrderID:    o.ID,
		Symbol:     o.Symbol,
		Side:       o.Side,
		Quantity:   o.Quantity,
		Price:      px,
		Commission: b.opts.Commission.For(o.Quantity, px),
	})
}

func (b *Broker) onSubmit(c *engine.SubmitOrder) error {
	o := c.Order
	if reason := b.refuse(o); reason != "" {
		b.engine.Emit(&engine.OrderRejected{Time: b.engine.Now(), Order: o, Reason: reason})
		return nil
	}
	b.engine.Emit(&engine.OrderAccepted{Time: b.engine.Now(), Order: o})
	switch o.Type {
	case engine.Market:
		b.resting[o.Symbol] = append(b.resting[o.Symbol], o)
	case engine.MarketOnClose:
		b.mocUsed = true
		b.fill(o, b.last[o.Symbol].Close.Decimal(), b.engine.Now())
	}
	return nil
}

// refuse returns why o cannot be accepted, or "".
func (b *Broker) refuse(o engine.Order) string {
	switch {
	case !o.Quantity.IsPositive():
		return fmt.Sprintf("quantity %s is not positive", o.Quantity)
	case o.Side != engine.Buy && o.Side != engine.Sell:
		return fmt.Sprintf("unknown side %v", o.Side)
	case o.Type != engine.Market && o.Type != engine.MarketOnClose:
		return fmt.Sprintf("order type %v is not supported", o.Type)
	}
	if _, ok := b.last[o.Symbol]; !ok {
		return fmt.Sprintf("unknown symbol %q", o.Symbol)
	}
	if b.opts.Guard != nil {
		if err := b.opts.Guard.Check(o); err != nil {
			return err.Error()
		}
	}
	return ""
}

func (b *Broker) onCancel(c *engine.CancelOrder) error {
	for sym, orders := range b.resting {
		for i, o := range orders {
			if o.ID == c.OrderID {
				b.resting[sym] = append(orders[:i:i], orders[i+1:]...)
				b.engine.Emit(&engine.OrderCanceled{Time: b.engine.Now(), Order: o, Reason: c.Reason})
				return nil
			}
		}
	}
	return fmt.Errorf("cancel: no working order %d", c.OrderID)
}

// CancelAll cancels every working order, oldest first, publishing an
// OrderCanceled with reason for each, and returns how many there were.
// The kill switch uses it.
func (b *Broker) CancelAll(reason string) int {
	orders := b.Working()
	for _, o := range orders {
		b.engine.Emit(&engine.OrderCanceled{Time: b.engine.Now(), Order: o, Reason: reason})
	}
	for sym := range b.resting {
		delete(b.resting, sym)
	}
	return len(orders)
}
