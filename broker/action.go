package broker

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// OrderAdjustment is what a split did to a working order: its row in the
// ledger of corporate actions.
type OrderAdjustment struct {
	Time   time.Time
	Symbol string
	// Ratio is the split's ratio.
	Ratio decimal.Decimal
	// Order is the order after the split; its Quantity is the whole
	// order's, filled part included.
	Order engine.Order
	// Before and After are the quantity left to fill before and after.
	Before, After decimal.Decimal
	// Seq is the split's place in its list (engine.ActionEvent.Seq).
	Seq int
}

// Adjustments returns what splits did to working orders, in the order
// they happened.
func (b *Broker) Adjustments() []OrderAdjustment { return b.adjusted }

// onAction applies a split to the symbol's working orders and position:
// quantities (the order's, what has filled and what OCO fills cut) are
// multiplied by the ratio; the limit, stop and trailing amount, and a
// trailing stop's best price and current stop, are divided by it, rounded
// half to even to the price scale (8 decimals). Each order changed is
// published as OrderModified. A dividend changes no order.
func (b *Broker) onAction(a *engine.ActionEvent) error {
	if a.Split.IsZero() {
		return nil
	}
	bk := b.books[a.Symbol]
	if bk == nil {
		return nil
	}
	r := a.Split
	bk.pos = bk.pos.Mul(r)
	div := func(p engine.Price) (engine.Price, error) {
		if p == 0 {
			return 0, nil
		}
		return p.DivRound(r)
	}
	last := &bk.last
	for _, px := range []*engine.Price{&last.Open, &last.High, &last.Low, &last.Close} {
		v, err := div(*px)
		if err != nil {
			return fmt.Errorf("split of %s: %w", a.Symbol, err)
		}
		*px = v
	}
	// Parents first scaled once: a bracket child reads its entry's filled
	// quantity.
	scaled := map[*order]bool{}
	scale := func(w *order) {
		if !scaled[w] {
			scaled[w] = true
			w.o.Quantity, w.filled, w.cut = w.o.Quantity.Mul(r), w.filled.Mul(r), w.cut.Mul(r)
		}
	}
	var ws []*order
	var befores []decimal.Decimal
	for _, w := range bk.resting {
		if !w.done {
			ws, befores = append(ws, w), append(befores, w.open())
		}
	}
	for i, w := range ws {
		before := befores[i]
		if w.parent != nil {
			scale(w.parent)
		}
		scale(w)
		o := &w.o
		for _, px := range []*engine.Price{&o.Limit, &o.Stop, &o.TrailAmount, &w.best, &w.stop} {
			v, err := div(*px)
			if err != nil {
				return fmt.Errorf("split of %s: order %d: %w", a.Symbol, o.ID, err)
			}
			*px = v
		}
		b.adjusted = append(b.adjusted, OrderAdjustment{Time: a.Time, Symbol: a.Symbol, Ratio: r, Order: *o,
			Before: before, After: w.open(), Seq: a.Seq})
		b.engine.Emit(&engine.OrderModified{Time: a.Time, Order: *o})
	}
	return nil
}
