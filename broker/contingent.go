package broker

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// parent returns the order id, working or done, as a bracket child's
// parent: a done one as a stand-in with the fields a child reads. An
// error reading the store aborts the run, and the order is not found.
func (b *Broker) parent(id uint64) (*order, bool) {
	if w, ok := b.all[id]; ok {
		return w, true
	}
	e, ok, err := b.ended.get(id)
	if err != nil {
		b.fail(err)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	return &order{o: engine.Order{ID: id, Symbol: b.seen[e.sym].symbol, Side: e.side, Label: e.label},
		filled: e.filled, done: true}, true
}

// endChildren cancels the bracket children of an entry that is done: all
// of them when it never filled, else those with nothing left to fill.
func (b *Broker) endChildren(w *order, why string) {
	for _, ch := range w.children {
		if ch.done {
			continue
		}
		if !w.filled.IsPositive() {
			b.cancel(ch, b.engine.Now(), why+" unfilled")
		} else if ch.remaining().IsZero() {
			b.cancel(ch, b.engine.Now(), fmt.Sprintf("%s after filling %s", why, w.filled))
		}
	}
}

// cutSiblings takes qty, just filled by w, off the other working orders
// of w's OCO group, and cancels those with nothing left open.
func (b *Broker) cutSiblings(w *order, qty decimal.Decimal, t time.Time) {
	for _, s := range b.oco[w.o.OCO] {
		if s == w || s.done {
			continue
		}
		s.cut = s.cut.Add(qty)
		if s.open().IsZero() {
			b.cancel(s, t, "OCO: "+label(&w.o)+" filled")
		}
	}
}

// forgetGroup forgets the OCO group g when all its orders are done.
func (b *Broker) forgetGroup(g string) {
	for _, s := range b.oco[g] {
		if !s.done {
			return
		}
	}
	delete(b.oco, g)
}
