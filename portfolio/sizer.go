package portfolio

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// Sizer turns a signal's target into a signed quantity.
//
// With Quantity set, long and short targets are +Quantity and -Quantity.
// With Percent set instead, they are Percent % of equity divided by the
// signal bar's close, rounded toward zero to Places decimal places (0:
// whole units). A weight target is always Weight × equity / close,
// rounded toward zero the same way. Flat is zero. Equity is the exact
// equity at the signal bar's close.
type Sizer struct {
	Quantity decimal.Decimal
	Percent  decimal.Decimal
	Places   int32
}

// Validate reports a sizer with both or neither size set, or a negative
// size or number of places.
func (s Sizer) Validate() error {
	switch {
	case s.Quantity.IsZero() == s.Percent.IsZero():
		return errors.New("sizing: set exactly one of a fixed size and a percent of equity")
	case s.Quantity.IsNegative():
		return fmt.Errorf("sizing: size %s is negative", s.Quantity)
	case s.Percent.IsNegative():
		return fmt.Errorf("sizing: percent %s is negative", s.Percent)
	case s.Places < 0:
		return fmt.Errorf("sizing: places %d is negative", s.Places)
	}
	return nil
}

// Target returns the signed quantity the signal asks for.
func (s Sizer) Target(sig *engine.SignalEvent, equity decimal.Decimal, price engine.Price) (decimal.Decimal, error) {
	var sign int64
	switch sig.Target {
	case engine.TargetFlat:
		return decimal.Zero, nil
	case engine.TargetLong:
		sign = 1
	case engine.TargetShort:
		sign = -1
	case engine.TargetWeight:
		w := decimal.NewFromFloat(sig.Weight)
		return truncUnits(equity.Mul(w), price.Decimal(), s.Places), nil
	default:
		return decimal.Zero, fmt.Errorf("signal for %s: unknown target %v", sig.Symbol, sig.Target)
	}
	if !s.Quantity.IsZero() {
		return s.Quantity.Mul(decimal.NewFromInt(sign)), nil
	}
	value := equity.Mul(s.Percent).Mul(decimal.NewFromInt(sign))
	return truncUnits(value, price.Decimal().Mul(decimal.NewFromInt(100)), s.Places), nil
}

// targetFixed is Target for long, short and flat targets in int64
// arithmetic: ok is false when a value does not fit, for a weight target,
// or for a percent sized to decimal places, and Target must decide.
func (s Sizer) targetFixed(target engine.Target, equity fixed.Dec, price engine.Price) (fixed.Dec, bool) {
	var sign int64
	switch target {
	case engine.TargetFlat:
		return fixed.Dec{}, true
	case engine.TargetLong:
		sign = 1
	case engine.TargetShort:
		sign = -1
	default:
		return fixed.Dec{}, false
	}
	var c fixed.Calc
	if !s.Quantity.IsZero() {
		q := c.Mul(c.Of(s.Quantity), fixed.Int(sign))
		return q, !c.Overflow()
	}
	if s.Places != 0 {
		return fixed.Dec{}, false
	}
	value := c.Mul(c.Mul(equity, c.Of(s.Percent)), fixed.Int(sign))
	// price × 100, in Price units: the divisor of Target.
	q := c.QuoInt(value, fixed.Dec{C: int64(price), E: -engine.PriceDecimals + 2})
	return q, !c.Overflow()
}
