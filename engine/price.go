package engine

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/shopspring/decimal"
)

// PriceDecimals is the number of decimal places a Price holds.
const PriceDecimals = 8

// PriceScale is the number of Price units in 1.0.
const PriceScale = 100_000_000

// Price is an exact fixed-point price in units of 1e-8.
//
// Prices come from CSV text with finitely many decimals. Holding them as
// integers keeps equal prices equal, lets a moving-average window sum stay
// exact at O(1) per bar, and converts to a decimal.Decimal without rounding
// when an order fills. The largest representable price is about 9.2e10.
type Price int64

// Errors returned by ParsePrice. They are wrapped with the offending text.
var (
	ErrPriceSyntax = errors.New("not a number")
	ErrPriceRange  = errors.New("out of range")
)

// maxPriceUnits bounds parsed prices well inside int64 so that sums of a few
// thousand prices (moving-average windows) cannot overflow.
const maxPriceUnits = math.MaxInt64 / 1024

// ParsePrice parses decimal text such as "12.5", "-0.03" or "1e3" into a
// Price. Digits beyond the 8th decimal place are rounded half to even.
// NaN, infinities and values whose magnitude exceeds about 9e15 units
// (9e7 in price terms) are rejected.
func ParsePrice(s string) (Price, error) {
	if p, ok := parsePlain(s); ok {
		return p, nil
	}
	// Slow path: exponents and over-long inputs go through decimal, which
	// is exact, then round to 8 places.
	d, err := decimal.NewFromString(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, ErrPriceSyntax)
	}
	d = d.Shift(PriceDecimals).RoundBank(0)
	if !d.IsInteger() || d.Abs().GreaterThan(decimal.NewFromInt(maxPriceUnits)) {
		return 0, fmt.Errorf("%q: %w", s, ErrPriceRange)
	}
	return Price(d.IntPart()), nil
}

// parsePlain handles [sign]digits[.digits] with at most 18 significant
// digits, which covers every price a CSV file normally holds, without
// allocating. It reports false when the slow path must decide.
func parsePlain(s string) (Price, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var units uint64
	digits, frac := 0, -1
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if frac >= 0 {
				if frac == PriceDecimals {
					return 0, false // more decimals than we hold: round on the slow path
				}
				frac++
			}
			if units == 0 && c == '0' {
				if frac < 0 {
					digits++ // a leading zero counts as seen, adds nothing
					continue
				}
			}
			units = units*10 + uint64(c-'0')
			digits++
			if digits > 18 {
				return 0, false
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	if frac < 0 {
		frac = 0
	}
	for ; frac < PriceDecimals; frac++ {
		if units > maxPriceUnits/10 {
			return 0, false
		}
		units *= 10
	}
	if units > maxPriceUnits {
		return 0, false
	}
	if neg {
		return -Price(units), true
	}
	return Price(units), true
}

// PriceFromFloat converts f to the nearest Price. It is meant for tests and
// generated data; prices read from files should go through ParsePrice.
func PriceFromFloat(f float64) Price {
	return Price(math.Round(f * PriceScale))
}

// Float64 returns p as a float64, for observation and analytics.
func (p Price) Float64() float64 {
	return float64(p) / PriceScale
}

// Decimal returns p as an exact decimal.Decimal.
func (p Price) Decimal() decimal.Decimal {
	return decimal.New(int64(p), -PriceDecimals)
}

// String formats p exactly, with trailing zeros removed ("12.5", "3").
func (p Price) String() string {
	var buf [32]byte
	return string(p.Append(buf[:0]))
}

// Append appends the exact text of p to b, like String, without allocating
// when b has room.
func (p Price) Append(b []byte) []byte {
	u := uint64(p)
	if p < 0 {
		b = append(b, '-')
		u = uint64(-p)
	}
	b = strconv.AppendUint(b, u/PriceScale, 10)
	frac := u % PriceScale
	if frac == 0 {
		return b
	}
	var digits [PriceDecimals]byte
	for i := PriceDecimals - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := PriceDecimals
	for digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}
