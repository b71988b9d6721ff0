package portfolio

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// ActionEntry is what a corporate action did to a position: the ledger's
// row of a split or a dividend.
type ActionEntry struct {
	Time   time.Time
	Symbol string
	// Kind is "split" or "dividend".
	Kind string
	// Value is the split ratio or the dividend per share.
	Value decimal.Decimal
	// Before and After are the signed quantity held before and after.
	Before, After decimal.Decimal
	// Cash is what the action paid into cash: quantity × dividend for a
	// dividend (negative for a short, which pays it), zero for a split.
	Cash decimal.Decimal
	// Seq is the action's place in its list (engine.ActionEvent.Seq).
	Seq int
}

// Action kinds of ActionEntry.
const (
	ActionSplit    = "split"
	ActionDividend = "dividend"
)

// Actions returns what corporate actions did to the positions, in the
// order they happened. An action of a symbol not held makes no entry.
func (p *Portfolio) Actions() []ActionEntry { return p.actions }

// onAction applies a corporate action to the books. A split of ratio r
// multiplies the position, its lots and its open trade's quantities by r
// and divides their prices by r; a dividend pays quantity × dividend into
// cash. See applySplit for the rounding.
func (p *Portfolio) onAction(a *engine.ActionEvent) error {
	pos := p.positions[a.Symbol]
	if !a.Split.IsZero() {
		return p.applySplit(a, pos)
	}
	if pos == nil || pos.Quantity.IsZero() || !a.Dividend.IsPositive() {
		return nil
	}
	amount := pos.Quantity.Mul(a.Dividend)
	p.cash = p.cash.Add(amount)
	p.cashF = fixed.Float64(p.cash)
	p.actions = append(p.actions, ActionEntry{Time: a.Time, Symbol: a.Symbol, Kind: ActionDividend, Value: a.Dividend,
		Before: pos.Quantity, After: pos.Quantity, Cash: amount, Seq: a.Seq})
	return nil
}

// applySplit applies a split of ratio a.Split to pos (nil when the symbol
// has had no bar) and to the books' working orders of the symbol.
// Quantities are multiplied exactly, fractional shares included (no cash
// in lieu). The lots' prices are divided by the ratio rounded to 16
// decimal places (exact for ratios such as 2, 4, 0.5 or 0.1 and prices
// of at most 8 decimals, which the 16 places hold); the open trade's mean
// prices are worked out again from its unchanged values (Σ quantity ×
// price); the mark (the last close) is divided rounded half to even to
// the price scale, 8 decimals, as the broker divides order prices.
func (p *Portfolio) applySplit(a *engine.ActionEvent, pos *Position) error {
	r := a.Split
	if !r.IsPositive() {
		return fmt.Errorf("split of %s: ratio %s is not positive", a.Symbol, r)
	}
	for id, w := range p.working {
		if w.Symbol == a.Symbol {
			w.Quantity, w.filled = w.Quantity.Mul(r), w.filled.Mul(r)
			p.working[id] = w
		}
	}
	if pos == nil {
		return nil
	}
	last, err := pos.Last.DivRound(r)
	if err != nil {
		return fmt.Errorf("split of %s: %w", a.Symbol, err)
	}
	pos.Last = last
	rf := r.InexactFloat64()
	pos.barLo, pos.barHi = pos.barLo/rf, pos.barHi/rf
	if pos.Quantity.IsZero() {
		return nil
	}
	before := pos.Quantity
	pos.Quantity = pos.Quantity.Mul(r)
	for i := range pos.lots {
		l := &pos.lots[i]
		l.qty, l.price = valueOf(l.qty.d.Mul(r)), valueOf(l.price.d.DivRound(r, divPrecision))
	}
	if t := pos.trade; t != nil {
		t.split(r, rf)
	}
	pos.syncQty()
	p.actions = append(p.actions, ActionEntry{Time: a.Time, Symbol: a.Symbol, Kind: ActionSplit, Value: r,
		Before: before, After: pos.Quantity, Cash: decimal.Zero, Seq: a.Seq})
	return nil
}

// split restates an open trade after a split of ratio r (rf in float64):
// its quantities times r, its mean prices the unchanged entry and exit
// values over the new quantities, its price range divided by r. P&L and
// commission are unchanged.
func (t *Trade) split(r decimal.Decimal, rf float64) {
	if !t.entrySum {
		t.entryValue, t.entrySum = t.Quantity.Mul(t.EntryPrice), true
	}
	t.Quantity = t.Quantity.Mul(r)
	if !t.exitQty.IsZero() {
		if !t.exitSum {
			t.exitValue, t.exitSum = t.exitQty.Mul(t.ExitPrice), true
		}
		t.exitQty = t.exitQty.Mul(r)
	}
	t.dirty = true
	t.MinPrice, t.MaxPrice = t.MinPrice/rf, t.MaxPrice/rf
}
