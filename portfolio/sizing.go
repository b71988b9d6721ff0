package portfolio

import (
	"errors"
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// FromFloat returns f as a decimal: the shortest decimal that converts
// back to f exactly (decimal.NewFromFloat), so that a weight written as
// 0.1 is 0.1. NaN and infinities are errors.
//
// Weights, fractions and analytics are float64; money and quantities are
// decimal.Decimal; prices are engine.Price. These are the conversions,
// each the one way to make it:
//
//	float64 → Decimal       FromFloat: shortest round-tripping decimal;
//	                        NaN and ±Inf are errors
//	Decimal → float64       ToFloat: the nearest float64, ties to even
//	engine.Price → Decimal  Price.Decimal: exact
//	engine.Price → float64  Price.Float64: the nearest float64
//	Decimal → engine.Price  engine.PriceFromDecimal: half to even at 8
//	                        decimal places; out of range is an error
//	float64 → engine.Price  FromFloat, then engine.PriceFromDecimal
//
// Quantities are cut to a number of decimal places, places, with 0 for
// whole units: the quantity helpers (QuantityForValue, QuantityForFraction,
// QuantityForRisk) round toward zero, so that a quantity never costs more
// than the amount it was sized from.
func FromFloat(f float64) (decimal.Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return decimal.Zero, fmt.Errorf("%v is not a finite number", f)
	}
	return decimal.NewFromFloat(f), nil
}

// ToFloat returns d as the nearest float64 (ties to even), for
// observation and analytics.
func ToFloat(d decimal.Decimal) float64 {
	return d.InexactFloat64()
}

// QuantityForValue returns how many units of a symbol at price an amount
// of cash buys: value / price, rounded toward zero to places decimal
// places (0 for whole units). The sign follows value. The price must be
// positive and places not negative.
func QuantityForValue(value decimal.Decimal, price engine.Price, places int32) (decimal.Decimal, error) {
	if price <= 0 {
		return decimal.Zero, fmt.Errorf("quantity for %s: price %s is not positive", value, price)
	}
	if places < 0 {
		return decimal.Zero, fmt.Errorf("quantity for %s: %d decimal places", value, places)
	}
	return truncUnits(value, price.Decimal(), places), nil
}

// QuantityForFraction returns the quantity that puts fraction of equity
// into a symbol at price: equity × fraction / price, rounded toward zero
// to places decimal places. fraction converts with FromFloat; a negative
// fraction gives a negative quantity (a short).
func QuantityForFraction(equity decimal.Decimal, fraction float64, price engine.Price, places int32) (decimal.Decimal, error) {
	f, err := FromFloat(fraction)
	if err != nil {
		return decimal.Zero, fmt.Errorf("quantity for a fraction of equity: fraction %w", err)
	}
	return QuantityForValue(equity.Mul(f), price, places)
}

// ErrNoRisk is returned by QuantityForRisk when the stop is at the entry.
var ErrNoRisk = errors.New("stop at the entry price")

// QuantityForRisk returns the quantity that loses risk if the price
// moves from entry to stop:
//
//	quantity = risk / |entry − stop|
//
// rounded toward zero to places decimal places; positive (a long) when
// the stop is below the entry, negative (a short) when it is above. Risk
// is a cash amount, for example equity × 1 %, and must be positive;
// commissions and gaps through the stop are not counted. Entry and stop
// must be positive.
func QuantityForRisk(risk decimal.Decimal, entry, stop engine.Price, places int32) (decimal.Decimal, error) {
	switch {
	case !risk.IsPositive():
		return decimal.Zero, fmt.Errorf("quantity for risk %s: the risk must be positive", risk)
	case entry <= 0 || stop <= 0:
		return decimal.Zero, fmt.Errorf("quantity for risk %s: entry %s and stop %s must be positive", risk, entry, stop)
	case entry == stop:
		return decimal.Zero, fmt.Errorf("quantity for risk %s: entry %s: %w", risk, entry, ErrNoRisk)
	case places < 0:
		return decimal.Zero, fmt.Errorf("quantity for risk %s: %d decimal places", risk, places)
	}
	if stop > entry {
		risk = risk.Neg()
	}
	return truncUnits(risk, (entry - stop).Decimal().Abs(), places), nil
}

// truncUnits returns value / divisor rounded toward zero to places
// decimal places, exactly.
func truncUnits(value, divisor decimal.Decimal, places int32) decimal.Decimal {
	q, _ := value.QuoRem(divisor, places)
	return q
}
