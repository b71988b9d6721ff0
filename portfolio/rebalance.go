package portfolio

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// Holding is a position at the decision bar of a rebalance.
type Holding struct {
	Symbol string
	// Quantity is signed: negative for a short.
	Quantity decimal.Decimal
	// Price is the symbol's price at the decision bar (its close): the
	// position is valued and its order sized at it.
	Price engine.Price
}

// TargetWeight is the fraction of equity one symbol should hold after a
// rebalance.
type TargetWeight struct {
	Symbol string
	// Weight is a fraction of equity: 0.25 is a quarter, negative is a
	// short. It converts to a decimal with FromFloat.
	Weight float64
	// Price is the symbol's price at the decision bar; for a symbol also
	// held it must equal the holding's Price.
	Price engine.Price
}

// Rebalance is the input of a move to target weights at one decision bar.
// Its Plan is a pure function of it.
type Rebalance struct {
	// Equity is the exact equity at the decision bar; it must be positive.
	Equity decimal.Decimal
	// Cash is the cash at the decision bar.
	Cash decimal.Decimal
	// CashAccount sizes the buys to the cash there is (see Plan) and
	// refuses short targets. Otherwise (a margin account) cash may go
	// negative and nothing is scaled.
	CashAccount bool
	// Holdings are the current positions, Targets the weights wanted. Each
	// lists a symbol at most once; the order does not matter.
	Holdings []Holding
	Targets  []TargetWeight
	// KeepUntargeted leaves a held symbol without a target as it is. By
	// default it is closed (its target is weight zero).
	KeepUntargeted bool
	// Places is the number of decimal places a quantity keeps: 0 trades
	// whole units. Target quantities are rounded toward zero.
	Places int32
	// MinTrade is the smallest order value, |quantity| × price, worth
	// sending; smaller orders are dropped, except orders that close a
	// position (target weight zero). Zero sends every order.
	MinTrade decimal.Decimal
	// Band is the tolerance band, in weight: a symbol whose current weight
	// is within Band of its target (|w − target| ≤ Band) is not traded,
	// except to close it (target weight zero). Zero trades every drift.
	Band float64
	// Commission, when not nil, is the commission of an order of quantity
	// (positive) at price, such as broker.Commission.For. It must not fall
	// as the quantity grows. A cash account reserves it (see Plan).
	Commission func(quantity, price decimal.Decimal) decimal.Decimal
}

// RebalanceOrder is one order of a RebalancePlan.
type RebalanceOrder struct {
	Symbol   string
	Side     engine.Side
	Quantity decimal.Decimal // positive
	// Price is the decision price the order was sized at.
	Price engine.Price
	// Position is the signed quantity held once the order has filled.
	Position decimal.Decimal
}

// Order returns o as a market order with the given id, time and source.
func (o RebalanceOrder) Order(id uint64, t time.Time, source string) engine.Order {
	return engine.Order{ID: id, Time: t, Symbol: o.Symbol, Side: o.Side, Type: engine.Market, Quantity: o.Quantity, Source: source}
}

// RebalancePlan is the result of Rebalance.Plan.
type RebalancePlan struct {
	// Orders are in the order to send them: sells, then buys that cover a
	// short, then the other buys, each group by symbol name.
	Orders []RebalanceOrder
	// Cash is the cash once every order has filled at its decision price,
	// commissions paid.
	Cash decimal.Decimal
	// Scaled reports that a cash account's buys were cut to fit the cash.
	Scaled bool
}

// Plan returns the orders that move the holdings to the target weights.
//
// For each symbol, the target quantity is
//
//	q* = weight × Equity / price
//
// rounded toward zero to Places decimal places, and the order is
// q* − q for the held quantity q: a sell when negative, a buy when
// positive. A symbol is not traded when its current weight q × price /
// Equity is within Band of its weight, or when the order's value is
// below MinTrade, unless its weight is zero: a position to close is
// always closed.
//
// The sells (and, in a margin account, the short sales) come first, then
// the buys that cover shorts, then the other buys. In a cash account the
// buys must be paid from the cash at the decision bar plus the sells'
// proceeds at the decision price:
//
//	available = Cash + Σ_sells (q × p − commission) − Σ_buys commission
//	need      = Σ_buys q × p
//
// with commissions at the buys' full size, which reserves at least what the
// cut buys pay. When need exceeds available every buy is cut pro rata,
// q' = q × available / need, rounded toward zero to Places, so that
// Σ q' × p ≤ available: the cash never goes negative at the decision
// prices (a buy cut below MinTrade, or to zero, is dropped). The fills
// come at later prices, so the caller re-checks the cash at each fill.
//
// Errors: a missing or non-positive price, a symbol listed twice, a price
// that differs between a holding and a target, a weight that is not a
// finite number, a short target in a cash account, Equity not positive,
// or a negative Band, MinTrade or Places.
func (r Rebalance) Plan() (RebalancePlan, error) {
	lines, err := r.lines()
	if err != nil {
		return RebalancePlan{}, err
	}
	band, err := FromFloat(r.Band)
	if err != nil {
		return RebalancePlan{}, fmt.Errorf("rebalance: band %w", err)
	}
	var sells, covers, buys []RebalanceOrder
	for _, l := range lines {
		o, ok := r.order(l, band)
		switch {
		case !ok:
		case o.Side == engine.Sell:
			sells = append(sells, o)
		case l.qty.IsNegative():
			covers = append(covers, o)
		default:
			buys = append(buys, o)
		}
	}
	plan := RebalancePlan{Cash: r.Cash}
	for _, o := range sells {
		plan.Cash = plan.Cash.Add(o.value()).Sub(r.commission(o))
	}
	buys = append(covers, buys...)
	if r.CashAccount {
		buys, plan.Scaled = r.fit(buys, plan.Cash)
	}
	for _, o := range buys {
		plan.Cash = plan.Cash.Sub(o.value()).Sub(r.commission(o))
	}
	if r.CashAccount && len(buys) > 0 && plan.Cash.IsNegative() {
		return RebalancePlan{}, fmt.Errorf("rebalance: cash after the orders is %s: the commission falls as the quantity grows", plan.Cash)
	}
	plan.Orders = append(sells, buys...)
	return plan, nil
}

// line is one symbol of a rebalance: its held quantity, its price and its
// target weight.
type line struct {
	symbol string
	qty    decimal.Decimal
	price  engine.Price
	weight decimal.Decimal
}

// lines validates the input and returns one line per symbol to trade, by
// symbol name.
func (r Rebalance) lines() ([]line, error) {
	if !r.Equity.IsPositive() {
		return nil, fmt.Errorf("rebalance: equity %s is not positive", r.Equity)
	}
	switch {
	case r.Places < 0:
		return nil, fmt.Errorf("rebalance: %d decimal places", r.Places)
	case r.MinTrade.IsNegative():
		return nil, fmt.Errorf("rebalance: minimum trade %s is negative", r.MinTrade)
	case !(r.Band >= 0):
		return nil, fmt.Errorf("rebalance: band %v is not a non-negative number", r.Band)
	}
	lines := make([]line, 0, len(r.Targets)+len(r.Holdings))
	for _, t := range r.Targets {
		w, err := FromFloat(t.Weight)
		if err != nil {
			return nil, fmt.Errorf("rebalance: %s: weight %w", t.Symbol, err)
		}
		if r.CashAccount && w.IsNegative() {
			return nil, fmt.Errorf("rebalance: %s: weight %v is a short, which a cash account cannot hold", t.Symbol, t.Weight)
		}
		lines = append(lines, line{symbol: t.Symbol, price: t.Price, weight: w})
	}
	bySymbol := func(a, b line) int { return cmp.Compare(a.symbol, b.symbol) }
	slices.SortFunc(lines, bySymbol)
	held := make([]line, 0, len(r.Holdings))
	for _, h := range r.Holdings {
		held = append(held, line{symbol: h.Symbol, qty: h.Quantity, price: h.Price})
	}
	slices.SortFunc(held, bySymbol)
	for _, group := range [][]line{lines, held} {
		for i := 1; i < len(group); i++ {
			if group[i-1].symbol == group[i].symbol {
				return nil, fmt.Errorf("rebalance: %s is listed twice", group[i].symbol)
			}
		}
	}
	targeted := len(lines)
	for _, h := range held {
		i, found := slices.BinarySearchFunc(lines[:targeted], h.symbol, func(l line, s string) int { return cmp.Compare(l.symbol, s) })
		switch {
		case found && h.price != lines[i].price:
			return nil, fmt.Errorf("rebalance: %s: the holding's price %s differs from the target's %s", h.symbol, h.price, lines[i].price)
		case found:
			lines[i].qty = h.qty
		case !r.KeepUntargeted && !h.qty.IsZero():
			lines = append(lines, h)
		}
	}
	slices.SortFunc(lines, bySymbol)
	for _, l := range lines {
		if l.price <= 0 {
			return nil, fmt.Errorf("rebalance: %s: price %s is not positive", l.symbol, l.price)
		}
	}
	return lines, nil
}

// order returns the order of one line, and false when it is not traded.
func (r Rebalance) order(l line, band decimal.Decimal) (RebalanceOrder, bool) {
	p := l.price.Decimal()
	target := truncUnits(r.Equity.Mul(l.weight), p, r.Places)
	delta := target.Sub(l.qty)
	if delta.IsZero() {
		return RebalanceOrder{}, false
	}
	if !l.weight.IsZero() {
		current := l.qty.Mul(p).Div(r.Equity)
		if current.Sub(l.weight).Abs().LessThanOrEqual(band) || delta.Abs().Mul(p).LessThan(r.MinTrade) {
			return RebalanceOrder{}, false
		}
	}
	o := RebalanceOrder{Symbol: l.symbol, Side: engine.Buy, Quantity: delta.Abs(), Price: l.price, Position: target}
	if delta.IsNegative() {
		o.Side = engine.Sell
	}
	return o, true
}

// fit cuts the buys pro rata to the cash available after the sells, as
// Plan describes, and reports whether it did.
func (r Rebalance) fit(buys []RebalanceOrder, cash decimal.Decimal) ([]RebalanceOrder, bool) {
	available, need := cash, decimal.Zero
	for _, o := range buys {
		available = available.Sub(r.commission(o))
		need = need.Add(o.value())
	}
	if need.LessThanOrEqual(available) {
		return buys, false
	}
	if !available.IsPositive() {
		return nil, true
	}
	kept := buys[:0]
	for _, o := range buys {
		q := truncUnits(o.Quantity.Mul(available), need, r.Places)
		if q.IsZero() || q.Mul(o.Price.Decimal()).LessThan(r.MinTrade) {
			continue
		}
		o.Position = o.Position.Sub(o.Quantity).Add(q)
		o.Quantity = q
		kept = append(kept, o)
	}
	return kept, true
}

// value returns the order's quantity times its decision price.
func (o RebalanceOrder) value() decimal.Decimal {
	return o.Quantity.Mul(o.Price.Decimal())
}

// commission returns the order's commission, zero without a model.
func (r Rebalance) commission(o RebalanceOrder) decimal.Decimal {
	if r.Commission == nil {
		return decimal.Zero
	}
	return r.Commission(o.Quantity, o.Price.Decimal())
}
