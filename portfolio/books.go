package portfolio

import (
	"iter"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// Holdings yields every symbol seen, in order of its first bar, with the
// signed quantity held in it (zero when flat).
func (p *Portfolio) Holdings() iter.Seq2[string, decimal.Decimal] {
	return func(yield func(string, decimal.Decimal) bool) {
		for _, pos := range p.order {
			if !yield(pos.Symbol, pos.Quantity) {
				return
			}
		}
	}
}

// Mark returns symbol's last close, the price its position is marked at;
// zero before the symbol's first bar.
func (p *Portfolio) Mark(symbol string) engine.Price {
	if pos, ok := p.positions[symbol]; ok {
		return pos.Last
	}
	return 0
}

// Outstanding returns the signed quantity of symbol in every order not
// yet done other than the one with ID except (0 leaves none out), each
// at its full quantity: unlike Working, it counts contingent orders and
// the parts of an order already filled. The risk guard measures an order
// against it.
func (p *Portfolio) Outstanding(symbol string, except uint64) decimal.Decimal {
	w := decimal.Zero
	for id, o := range p.working {
		if o.Symbol == symbol && id != except {
			w = w.Add(o.Quantity.Mul(decimal.NewFromInt(int64(o.Side))))
		}
	}
	return w
}

// Track counts o as not yet done from now on, before the bus delivers its
// SubmitOrder, so that what is sized or checked in the meantime sees it.
// A component that makes an order for which a decision may come before
// its delivery (the kill switch's closing orders) tracks it when it sends
// it. Tracking an order already tracked does nothing.
func (p *Portfolio) Track(o engine.Order) { p.track(&o) }

// Untrack stops counting the order with ID id as not yet done, before the
// bus delivers the event that ends it: the risk guard untracks an order
// it refuses, so that the next orders of the same bar time are not
// measured against it.
func (p *Portfolio) Untrack(id uint64) { delete(p.working, id) }
