package strategy

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/portfolio"
)

// Trading are the account's rules that Context.Rebalance sizes its
// orders by. A run sets them with Runner.SetTrading, from its config
// (account.type, sizing.places and the costs); the zero value is a margin
// account trading whole units without commission.
type Trading struct {
	// CashAccount makes Rebalance fit the buys to the cash there is after
	// the sells (see portfolio.Rebalance.Plan).
	CashAccount bool
	// Places is the number of decimal places of a quantity; 0 trades
	// whole units.
	Places int32
	// Commission, when not nil, is the commission of one order of
	// quantity at price, reserved from the cash of a cash account.
	Commission func(quantity, price decimal.Decimal) decimal.Decimal
}

// SetTrading sets the account rules of the runner's Context.Rebalance.
func (r *Runner) SetTrading(t Trading) { r.trading = t }

// RebalanceOptions change how Context.RebalanceWith trades. The zero
// value is Context.Rebalance's behaviour.
type RebalanceOptions struct {
	// KeepOthers leaves the universe's symbols without a weight as they
	// are, instead of closing them.
	KeepOthers bool
	// MinTrade is the smallest order value worth sending, and Band the
	// tolerance band in weight (see portfolio.Rebalance); positions to
	// close are closed all the same.
	MinTrade decimal.Decimal
	Band     float64
}

// Rebalance moves the portfolio to weights, fractions of equity by
// symbol (0.25 is a quarter, negative a short), and closes every other
// symbol of the universe. It returns the IDs of the market orders it
// sent, in the order sent.
//
// The orders are those of portfolio.Rebalance.Plan at the decision bar:
// equity and cash as they stand now, each symbol priced at the close of
// its latest bar, quantities rounded toward zero to the configured
// places. They are sent in the plan's order, sells first, then the buys
// that cover shorts, then the other buys; all fill at the next bar's open
// of their symbol. In a cash account the buys are cut so that their cost
// at the decision prices fits the cash after the sells and the
// commissions, and the broker counts the proceeds of the working market
// sells as free cash (at the latest close) when it checks a buy, so that
// no buy is refused for lack of the sells' proceeds. The fills come at
// the next open, not at the decision close: when a price rose overnight,
// the broker fills as much of a buy as the cash pays for at the open and
// cancels the rest (see broker.CashAccount), so the cash never goes below
// zero.
//
// Working orders are not counted: an order of an earlier rebalance that
// has not filled is traded again. A symbol with no bar yet, or listed
// with a weight that is not a finite number, is an error, and nothing is
// sent.
func (c *Context) Rebalance(weights map[string]float64) ([]uint64, error) {
	return c.RebalanceWith(weights, RebalanceOptions{})
}

// RebalanceWith is Rebalance with options.
func (c *Context) RebalanceWith(weights map[string]float64, o RebalanceOptions) ([]uint64, error) {
	plan, err := c.planRebalance(weights, o)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, 0, len(plan.Orders))
	for _, po := range plan.Orders {
		id, err := c.Place(po.Order(0, c.Time(), ""))
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// planRebalance builds the portfolio.Rebalance of weights at this bar and
// returns its plan.
func (c *Context) planRebalance(weights map[string]float64, o RebalanceOptions) (portfolio.RebalancePlan, error) {
	r := c.r
	in := portfolio.Rebalance{
		Equity:         c.equity(),
		Cash:           c.Cash(),
		CashAccount:    r.trading.CashAccount,
		KeepUntargeted: true, // the symbols to close are given weight zero below
		Places:         r.trading.Places,
		MinTrade:       o.MinTrade,
		Band:           o.Band,
		Commission:     r.trading.Commission,
	}
	symbols := make([]string, 0, len(weights))
	for s := range weights {
		symbols = append(symbols, s)
	}
	if !o.KeepOthers {
		for _, s := range c.Universe() {
			if _, ok := weights[s]; !ok {
				symbols = append(symbols, s)
			}
		}
	}
	slices.Sort(symbols)
	for _, s := range symbols {
		h, ok := r.history[s]
		if !ok {
			return portfolio.RebalancePlan{}, fmt.Errorf("rebalance: %s has no bar yet", s)
		}
		price := h.Ago(0).Close
		in.Targets = append(in.Targets, portfolio.TargetWeight{Symbol: s, Weight: weights[s], Price: price})
		if q := c.Position(s); !q.IsZero() {
			in.Holdings = append(in.Holdings, portfolio.Holding{Symbol: s, Quantity: q, Price: price})
		}
	}
	return in.Plan()
}

// equity returns the account's exact equity when it can tell it (as the
// run's portfolio can), else its float64 equity as a decimal.
func (c *Context) equity() decimal.Decimal {
	if a, ok := c.r.account.(interface{ EquityDecimal() decimal.Decimal }); ok {
		return a.EquityDecimal()
	}
	return decimal.NewFromFloat(c.Equity())
}
