package risk

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// The names of the guard's rules, as used in rejection reasons and in the
// refusal counts.
const (
	RuleKillSwitch       = "kill-switch"
	RuleRestricted       = "restricted"
	RuleLongOnly         = "long-only"
	RuleMaxOrderValue    = "max-order-value"
	RuleMaxPosition      = "max-position"
	RuleMaxPositionValue = "max-position-value"
	RuleMaxLeverage      = "max-leverage"
	RuleMaxOrdersPerBar  = "max-orders-per-bar"
	RuleMaxOrdersPerDay  = "max-orders-per-day"
)

// Limits are the pre-trade rules of a Guard. Each is off at its zero
// value.
//
// Values are measured at the symbol's last close: an order's value is its
// quantity × the last close (what a market order is expected to cost at
// the next open), and a position's value is |quantity| × the last close.
// "After the order" means the position plus every working order in the
// symbol plus this one, as if they all filled.
type Limits struct {
	// MaxPosition caps |position| after the order, in units.
	MaxPosition decimal.Decimal
	// MaxPositionValue caps |position| × last close after the order.
	MaxPositionValue decimal.Decimal
	// MaxOrderValue caps one order's quantity × last close.
	MaxOrderValue decimal.Decimal
	// MaxLeverage caps gross exposure after the order (Σ over symbols of
	// |position| × last close) as a multiple of equity.
	MaxLeverage decimal.Decimal
	// MaxOrdersPerBar caps the orders accepted at one bar time.
	MaxOrdersPerBar int
	// MaxOrdersPerDay caps the orders accepted in one calendar day, in the
	// zone of the bar times.
	MaxOrdersPerDay int
	// LongOnly refuses an order that would leave a short position.
	LongOnly bool
	// Restricted symbols may not be traded at all.
	Restricted []string
}

// Validate reports negative limits.
func (l Limits) Validate() error {
	for _, c := range []struct {
		name string
		v    decimal.Decimal
	}{
		{RuleMaxPosition, l.MaxPosition}, {RuleMaxPositionValue, l.MaxPositionValue},
		{RuleMaxOrderValue, l.MaxOrderValue}, {RuleMaxLeverage, l.MaxLeverage},
	} {
		if c.v.IsNegative() {
			return fmt.Errorf("risk limit %s: %s is negative", c.name, c.v)
		}
	}
	if l.MaxOrdersPerBar < 0 {
		return fmt.Errorf("risk limit %s: %d is negative", RuleMaxOrdersPerBar, l.MaxOrdersPerBar)
	}
	if l.MaxOrdersPerDay < 0 {
		return fmt.Errorf("risk limit %s: %d is negative", RuleMaxOrdersPerDay, l.MaxOrdersPerDay)
	}
	return nil
}

// RuleError is the refusal of an order by one of the guard's rules. Its
// text is the rejection reason.
type RuleError struct {
	Rule string // one of the Rule constants
	Msg  string // the rejection reason, naming the rule and its numbers
}

// Error returns the rejection reason.
func (e *RuleError) Error() string { return e.Msg }

func refuse(rule, format string, args ...any) *RuleError {
	return &RuleError{Rule: rule, Msg: rule + ": " + fmt.Sprintf(format, args...)}
}

// Guard is the pre-trade risk check in front of the broker: it
// implements the broker's Guard interface. It checks, in this order: the
// kill switch, restricted symbols, long-only, the order's value, the
// position's quantity and value, leverage, and the order counts per bar
// and per day. The first rule that fails refuses the order; refusals are
// counted per rule. The orders the guard's kill switch sends to flatten
// positions reduce risk and pass every rule.
//
// Guard reads positions, orders not yet done and prices from its Books,
// so the books must see each SubmitOrder before the broker does: subscribe
// them to the bus first (create the Portfolio before the broker). It
// untracks an order it refuses at once, so that the next orders of the
// same bar time are not measured against it.
type Guard struct {
	engine *engine.Engine
	books  Books
	limits Limits
	kill   *KillSwitch

	restricted map[string]bool
	refusals   map[string]int
	active     bool // some limit is set

	barTime  time.Time
	barCount int
	day      civilDay
	dayCount int
}

// NewGuard returns a guard enforcing limits on orders measured against
// books, and kill's state when kill is not nil.
func NewGuard(e *engine.Engine, books Books, limits Limits, kill *KillSwitch) *Guard {
	g := &Guard{
		engine:     e,
		books:      books,
		limits:     limits,
		kill:       kill,
		restricted: make(map[string]bool, len(limits.Restricted)),
		refusals:   make(map[string]int),
	}
	for _, s := range limits.Restricted {
		g.restricted[s] = true
	}
	l := &limits
	g.active = l.MaxPosition.IsPositive() || l.MaxPositionValue.IsPositive() || l.MaxOrderValue.IsPositive() ||
		l.MaxLeverage.IsPositive() || l.MaxOrdersPerBar > 0 || l.MaxOrdersPerDay > 0 || l.LongOnly || len(l.Restricted) > 0
	return g
}

// Refusals returns how many orders each rule refused. Rules that refused
// nothing are absent.
func (g *Guard) Refusals() map[string]int {
	out := make(map[string]int, len(g.refusals))
	for k, v := range g.refusals {
		out[k] = v
	}
	return out
}

// Check refuses o with a *RuleError, or accepts it and counts it toward
// the per-bar and per-day limits.
func (g *Guard) Check(o engine.Order) error {
	if (g.kill != nil && g.kill.sent[o.ID]) || (!g.active && (g.kill == nil || !g.kill.tripped)) {
		return nil // nothing to check: keep decimal arithmetic off the order path
	}
	if err := g.check(o); err != nil {
		g.refusals[err.Rule]++
		// The order no longer works; drop it now, not when the rejection
		// event comes, so that the next orders of this bar time are not
		// measured against it.
		g.books.Untrack(o.ID)
		return err
	}
	g.barCount++
	g.dayCount++
	return nil
}

func (g *Guard) check(o engine.Order) *RuleError {
	now := g.engine.Now()
	if !now.Equal(g.barTime) {
		g.barTime, g.barCount = now, 0
	}
	if d := dayOf(now); d != g.day {
		g.day, g.dayCount = d, 0
	}
	signed := o.Quantity
	if o.Side == engine.Sell {
		signed = signed.Neg()
	}
	held := g.books.Position(o.Symbol)
	after := held.Add(g.books.Outstanding(o.Symbol, o.ID)).Add(signed)

	if g.kill != nil && g.kill.tripped {
		if g.kill.opts.Action == KillHalt || !reduces(held, after, signed) {
			return &RuleError{Rule: RuleKillSwitch, Msg: "kill switch tripped: " + g.kill.reason}
		}
		return nil // a position-reducing order, allowed while tripped
	}
	l := &g.limits
	if g.restricted[o.Symbol] {
		return refuse(RuleRestricted, "%s is a restricted symbol", o.Symbol)
	}
	if l.LongOnly && after.IsNegative() {
		return refuse(RuleLongOnly, "the order would leave %s at %s", o.Symbol, after)
	}
	last := g.books.Mark(o.Symbol).Decimal()
	if v := o.Quantity.Mul(last); l.MaxOrderValue.IsPositive() && v.GreaterThan(l.MaxOrderValue) {
		return refuse(RuleMaxOrderValue, "order value %s > max %s", v, l.MaxOrderValue)
	}
	if q := after.Abs(); l.MaxPosition.IsPositive() && q.GreaterThan(l.MaxPosition) {
		return refuse(RuleMaxPosition, "position %s in %s > max %s", q, o.Symbol, l.MaxPosition)
	}
	if v := after.Abs().Mul(last); l.MaxPositionValue.IsPositive() && v.GreaterThan(l.MaxPositionValue) {
		return refuse(RuleMaxPositionValue, "position value %s in %s > max %s", v, o.Symbol, l.MaxPositionValue)
	}
	if l.MaxLeverage.IsPositive() {
		gross := g.grossExposure(o.Symbol, after)
		eq := g.books.EquityDecimal()
		if !eq.IsPositive() {
			if gross.IsPositive() {
				return refuse(RuleMaxLeverage, "gross exposure %s with equity %s", gross, eq)
			}
		} else if gross.GreaterThan(l.MaxLeverage.Mul(eq)) {
			return refuse(RuleMaxLeverage, "gross exposure %s = %s × equity %s > max %s",
				gross, gross.DivRound(eq, 4), eq, l.MaxLeverage)
		}
	}
	if l.MaxOrdersPerBar > 0 && g.barCount >= l.MaxOrdersPerBar {
		return refuse(RuleMaxOrdersPerBar, "order %d at %s > max %d", g.barCount+1, now.Format(time.RFC3339), l.MaxOrdersPerBar)
	}
	if l.MaxOrdersPerDay > 0 && g.dayCount >= l.MaxOrdersPerDay {
		return refuse(RuleMaxOrdersPerDay, "order %d on %s > max %d", g.dayCount+1, g.day, l.MaxOrdersPerDay)
	}
	return nil
}

// reduces reports whether an order of signed quantity, leaving the
// position at after once every working order has filled, only reduces the
// position held: it trades against it and neither grows nor flips it.
func reduces(held, after, signed decimal.Decimal) bool {
	if held.IsZero() || held.Sign() == signed.Sign() {
		return false
	}
	return after.Sign()*held.Sign() >= 0 && after.Abs().LessThanOrEqual(held.Abs())
}

// grossExposure returns Σ |position + outstanding orders| × last close
// over every symbol seen, with symbol's quantity replaced by qty.
func (g *Guard) grossExposure(symbol string, qty decimal.Decimal) decimal.Decimal {
	gross := qty.Abs().Mul(g.books.Mark(symbol).Decimal())
	for sym, held := range g.books.Holdings() {
		if sym == symbol {
			continue
		}
		q := held.Add(g.books.Outstanding(sym, 0))
		if !q.IsZero() {
			gross = gross.Add(q.Abs().Mul(g.books.Mark(sym).Decimal()))
		}
	}
	return gross
}

// civilDay is a calendar date.
type civilDay struct {
	y int
	m time.Month
	d int
}

func dayOf(t time.Time) civilDay {
	y, m, d := t.Date()
	return civilDay{y, m, d}
}

// String returns the date as YYYY-MM-DD.
func (d civilDay) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

// RefusalCounts formats refusal counts as "rule=n" pairs sorted by rule.
func RefusalCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
