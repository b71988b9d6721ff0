package broker

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// order is a working order and its progress.
type order struct {
	o         engine.Order
	filled    decimal.Decimal
	cut       decimal.Decimal // taken off by fills of OCO siblings
	value     decimal.Decimal // Σ quantity × price of its fills
	paid      decimal.Decimal // commission paid
	bk        *book           // its symbol's
	parent    *order
	children  []*order
	triggered bool
	done      bool
	tried     bool      // it has been matched against a bar
	day       time.Time // a Day order's session (midnight of its date)
	best      engine.Price
	stop      engine.Price // effective stop (a trailing stop's current one)
	// fillEvent is where the order's next fill is reported, when it has
	// not been used yet; nil: each fill makes its own.
	fillEvent *engine.FillEvent
}

// accepted is a working order, the event that reported its acceptance
// and the event of its first fill, made in one allocation: most orders
// fill once.
type accepted struct {
	w    order
	ev   engine.OrderAccepted
	fill engine.FillEvent
}

// target is the quantity the order may fill in total: a bracket child's is
// limited to what its entry has filled.
func (w *order) target() decimal.Decimal {
	if w.parent != nil {
		return decimal.Min(w.o.Quantity, w.parent.filled)
	}
	return w.o.Quantity
}

// remaining is what may fill now.
func (w *order) remaining() decimal.Decimal {
	r := fixed.Sub(fixed.Sub(w.target(), w.filled), w.cut)
	if r.IsNegative() {
		return decimal.Zero
	}
	return r
}

// open is what is left of the order: of its own quantity, or, for a
// bracket exit whose entry is done, of what the entry filled.
func (w *order) open() decimal.Decimal {
	q := w.o.Quantity
	if w.parent != nil && w.parent.done {
		q = decimal.Min(q, w.parent.filled)
	}
	r := fixed.Sub(fixed.Sub(q, w.filled), w.cut)
	if r.IsNegative() {
		return decimal.Zero
	}
	return r
}

// finish marks w done. It stays in its symbol's list until compacted;
// the map of orders by ID forgets it, and the store of ended orders keeps
// what a later bracket child needs of it (see endedStore), so that a long
// run's memory does not grow by the order. An OCO group whose orders are
// all done is forgotten.
func (b *Broker) finish(w *order) {
	w.done = true
	delete(b.all, w.o.ID)
	if err := b.ended.put(w.o.ID, w.bk.index, w.o.Side, w.o.Label, w.filled); err != nil {
		b.fail(err)
	}
	if w.o.OCO != "" {
		b.forgetGroup(w.o.OCO)
	}
}

// fail aborts the run on err: an error of the store of ended orders,
// after which the broker could no longer answer for the orders that
// ended, or a fill price that is not positive.
func (b *Broker) fail(err error) {
	if b.err == nil {
		b.err = err
	}
	b.engine.Abort(err)
}

// cancel ends w with an OrderCanceled event, and ends its children if it
// is an entry that never filled.
func (b *Broker) cancel(w *order, t time.Time, reason string) {
	b.finish(w)
	b.engine.Emit(&engine.OrderCanceled{Time: t, Order: w.o, Reason: reason})
	b.endChildren(w, "entry canceled")
}

// cancelAfterFill ends w, just partly filled (IOC, or short of cash), at
// once, and publishes its OrderCanceled (and ends its children) once the
// fill is booked, so that those who record the order see the fill before
// the cancel.
func (b *Broker) cancelAfterFill(w *order, t time.Time, reason string) {
	b.finish(w)
	b.deferrer.Defer(engine.PhaseFill, func() error {
		b.engine.Emit(&engine.OrderCanceled{Time: t, Order: w.o, Reason: reason})
		b.endChildren(w, "entry canceled")
		return nil
	})
}
