package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// priceText parses a price written as text s (already trimmed) and checks
// that it is positive. The error is the message that a source wraps in
// an *Error naming the field.
func priceText(s string) (engine.Price, error) {
	p, err := engine.ParsePrice(s)
	if errors.Is(err, engine.ErrPriceRange) {
		return 0, fmt.Errorf("price %w", err)
	}
	if err != nil {
		return 0, fmt.Errorf("invalid price %w; expected a decimal number such as 12.34", err)
	}
	if p <= 0 {
		if d, err := decimal.NewFromString(s); err == nil && d.IsPositive() {
			// Prices are held at PriceDecimals places, rounded half to
			// even (engine.ParsePrice).
			return 0, fmt.Errorf("price %s rounds to 0 at %d decimal places; the smallest price is %s", s, engine.PriceDecimals, engine.Price(1))
		}
		return 0, fmt.Errorf("price %s must be positive", s)
	}
	return p, nil
}

// volumeText parses a volume written as text s (already trimmed): a
// finite number, not negative. The error is the message that a source
// wraps in an *Error naming the field.
func volumeText(s string) (float64, error) {
	if len(s) <= 15 && allDigits(s) {
		return float64(atoi(s)), nil // exact: fewer than 2^53
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("invalid volume %q; expected a finite number", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("volume %s must not be negative", s)
	}
	return v, nil
}

// ValidSymbol reports whether s is a symbol name: letters, digits, '.',
// '_' and '-', at least one.
func ValidSymbol(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}
