package broker

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// Account is what the broker reads of the books for the account checks.
type Account interface {
	Cash() decimal.Decimal
	Equity() float64
	EquityDecimal() decimal.Decimal
}

// AccountType is the kind of trading account.
type AccountType uint8

// The account types.
const (
	// MarginAccount allows cash to go negative and short sales, up to
	// MaxLeverage (unlimited when zero: the default, and the engine's
	// behaviour before accounts existed).
	MarginAccount AccountType = iota
	// CashAccount refuses a buy that needs more cash than is free, and
	// short sales. Free cash is the cash, less the working buys (other
	// than bracket exits and reduce-only orders) at their reference
	// price, plus the working market and market-on-open sells (other than
	// bracket exits) at theirs: those sells fill at the next open, so a
	// rebalance's buys may spend what its sells will bring. The reference
	// price is an order's limit, a buy stop's stop when above the last
	// close, else the last close.
	CashAccount
)

// String returns "margin" or "cash".
func (a AccountType) String() string {
	if a == CashAccount {
		return "cash"
	}
	return "margin"
}

// ParseAccountType returns the account type named s ("" is margin).
func ParseAccountType(s string) (AccountType, error) {
	switch s {
	case "", "margin":
		return MarginAccount, nil
	case "cash":
		return CashAccount, nil
	}
	return 0, fmt.Errorf("account %q: want cash or margin", s)
}

// sellLeavesShort returns pos - working - qty, the position a sell of qty
// leaves after the sells already working, and whether it is negative.
// The position is made as a decimal only when it is.
func sellLeavesShort(pos, working, qty decimal.Decimal) (decimal.Decimal, bool) {
	var c fixed.Calc
	a := c.Sub(c.Sub(c.Of(pos), c.Of(working)), c.Of(qty))
	if !c.Overflow() {
		if a.Sign() >= 0 {
			return decimal.Decimal{}, false
		}
		return a.Decimal(), true
	}
	after := pos.Sub(working).Sub(qty)
	return after, after.IsNegative()
}

// refPrice is the price the account checks assume an order fills at: its
// limit, a buy stop's stop when above the last close, else the last close.
func (b *Broker) refPrice(o *engine.Order) decimal.Decimal {
	last := b.books[o.Symbol].last.Close
	switch {
	case o.Limit > 0:
		return o.Limit.Decimal()
	case o.Stop > 0 && o.Side == engine.Buy:
		return max(o.Stop, last).Decimal()
	}
	return last.Decimal()
}

// workingQty is the unfilled quantity of the symbol's working orders on
// side, bracket exits and reduce-only orders left out.
func (bk *book) workingQty(side engine.Side) decimal.Decimal {
	q := decimal.Zero
	for _, w := range bk.resting {
		if !w.done && w.o.Side == side && w.parent == nil && !w.o.ReduceOnly {
			q = fixed.Add(q, w.open())
		}
	}
	return q
}

// sellsAtOpen reports whether a working sell of type t fills at the next
// bar's open whatever the price: its proceeds count as free cash in a
// cash account.
func sellsAtOpen(t engine.OrderType) bool {
	return t == engine.Market || t == engine.MarketOnOpen
}

// refuseAccount applies the cash account's and the margin account's
// checks to a new order.
func (b *Broker) refuseAccount(o *engine.Order) string {
	if b.opts.AccountType == CashAccount {
		if o.Side != engine.Buy {
			return ""
		}
		reserved, proceeds := decimal.Zero, decimal.Zero
		for _, bk := range b.seen {
			for _, w := range bk.resting {
				switch {
				case w.done || w.parent != nil:
				case w.o.Side == engine.Buy && !w.o.ReduceOnly:
					reserved = reserved.Add(w.open().Mul(b.refPrice(&w.o)))
				case w.o.Side == engine.Sell && sellsAtOpen(w.o.Type):
					proceeds = proceeds.Add(w.open().Mul(b.refPrice(&w.o)))
				}
			}
		}
		need := o.Quantity.Mul(b.refPrice(o))
		free := b.opts.Account.Cash().Sub(reserved).Add(proceeds)
		if need.GreaterThan(free) {
			return fmt.Sprintf("cash account: the order needs %s, only %s is free", need, free)
		}
		return ""
	}
	if !b.opts.MaxLeverage.IsPositive() {
		return ""
	}
	gross := decimal.Zero
	for _, bk := range b.seen {
		q := bk.pos.Add(bk.workingQty(engine.Buy)).Sub(bk.workingQty(engine.Sell))
		if bk.symbol == o.Symbol {
			q = q.Add(o.Quantity.Mul(decimal.NewFromInt(int64(o.Side))))
		}
		gross = gross.Add(q.Abs().Mul(bk.last.Close.Decimal()))
	}
	equity := b.opts.Account.EquityDecimal()
	if limit := equity.Mul(b.opts.MaxLeverage); gross.GreaterThan(limit) {
		return fmt.Sprintf("margin: the order would take gross exposure to %s, above max leverage %s × equity %s",
			gross, b.opts.MaxLeverage, equity)
	}
	return ""
}

// checkAccount runs after the strategies at each bar time: at zero equity
// it stops trading, and below the maintenance margin it makes a margin
// call. Both cancel the working orders and flatten every position with
// market orders, which fill at the next open.
func (b *Broker) checkAccount() error {
	acct := b.opts.Account
	if acct.Equity() <= 0 && !acct.EquityDecimal().IsPositive() {
		b.stopped = true
		b.liquidate(SourceZeroEquity, "equity reached zero: trading stopped")
		return nil
	}
	if !b.opts.MaintenanceMargin.IsPositive() {
		return nil
	}
	gross := decimal.Zero
	for _, bk := range b.seen {
		if q := bk.pos; !q.IsZero() {
			gross = gross.Add(q.Abs().Mul(bk.last.Close.Decimal()))
		}
	}
	if gross.IsZero() {
		return nil
	}
	equity := acct.EquityDecimal()
	if need := gross.Mul(b.opts.MaintenanceMargin); equity.LessThan(need) {
		b.callTime = b.engine.Now()
		b.liquidate(SourceMarginCall, fmt.Sprintf("margin call: equity %s is below maintenance %s × gross exposure %s",
			equity, b.opts.MaintenanceMargin, gross))
	}
	return nil
}

// liquidate cancels every working order and sends market orders that
// flatten every position.
func (b *Broker) liquidate(source, reason string) {
	b.marginCalls++
	now := b.engine.Now()
	b.engine.Emit(&engine.LogEvent{Time: now, Source: "broker", Message: reason})
	for _, bk := range b.seen {
		for _, w := range bk.resting {
			if !w.done {
				b.cancel(w, now, reason)
			}
		}
		bk.compact()
	}
	for _, bk := range b.seen {
		q := bk.pos
		if q.IsZero() {
			continue
		}
		side := engine.Sell
		if q.IsNegative() {
			side = engine.Buy
		}
		b.engine.Emit(&engine.SubmitOrder{Order: engine.Order{
			ID: b.engine.NextOrderID(), Time: now, Symbol: bk.symbol, Side: side,
			Type: engine.Market, Quantity: q.Abs(), Source: source,
		}})
	}
}
