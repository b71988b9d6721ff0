package engine

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
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

// MaxPrice is the largest magnitude of a parsed Price, about 9.007e7.
const MaxPrice = Price(maxPriceUnits)

// ParsePrice parses decimal text such as "12.5", "-0.03" or "1e3" into a
// Price. Digits beyond the 8th decimal place are rounded half to even.
// NaN, infinities and values whose magnitude exceeds about 9e15 units
// (9e7 in price terms) are rejected.
func ParsePrice(s string) (Price, error) {
	if p, ok := parsePlain(s); ok {
		return p, nil
	}
	return parseDecimal(s)
}

// parseDecimal is ParsePrice's slow path: exponents and over-long inputs
// go through decimal, which is exact, then round to 8 places.
func parseDecimal(s string) (Price, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, ErrPriceSyntax)
	}
	p, err := PriceFromDecimal(d)
	if err != nil {
		return 0, fmt.Errorf("%q: %w: a price's magnitude is at most %s", s, ErrPriceRange, MaxPrice)
	}
	return p, nil
}

// PriceFromDecimal converts d to a Price, rounding half to even to
// PriceDecimals decimal places, as ParsePrice does. A value whose
// magnitude exceeds about 9e7 is an error wrapping ErrPriceRange.
func PriceFromDecimal(d decimal.Decimal) (Price, error) {
	u := d.Shift(PriceDecimals).RoundBank(0)
	if !u.IsInteger() || u.Abs().GreaterThan(decimal.NewFromInt(maxPriceUnits)) {
		return 0, fmt.Errorf("price %s: %w", d, ErrPriceRange)
	}
	return Price(u.IntPart()), nil
}

// pow10 holds the powers of ten up to 10^PriceDecimals.
var pow10 = [PriceDecimals + 1]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}

// parsePlain handles [sign]digits[.digits] with at most 18 digits and at
// most PriceDecimals of them after the point, which covers every price a
// CSV file normally holds, without allocating. It reports false when the
// slow path must decide.
func parsePlain(s string) (Price, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var units uint64
	start := i
	for ; i < len(s) && s[i]-'0' <= 9; i++ {
		units = units*10 + uint64(s[i]-'0')
	}
	digits, frac := i-start, 0
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for ; i < len(s) && s[i]-'0' <= 9; i++ {
			units = units*10 + uint64(s[i]-'0')
		}
		frac = i - fs
		digits += frac
	}
	// 18 digits cannot overflow a uint64; more decimals than a Price
	// holds are rounded on the slow path.
	if i != len(s) || digits == 0 || digits > 18 || frac > PriceDecimals {
		return 0, false
	}
	// A multiply and a compare: dividing the bound by the scale instead
	// was a third of the function's time.
	hi, units := bits.Mul64(units, pow10[PriceDecimals-frac])
	if hi != 0 || units > maxPriceUnits {
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

// DivRound returns p / r rounded half to even to PriceDecimals places,
// computed exactly: a price after a split of ratio r. r must be positive;
// a result beyond MaxPrice is an error wrapping ErrPriceRange.
func (p Price) DivRound(r decimal.Decimal) (Price, error) {
	if !r.IsPositive() {
		return 0, fmt.Errorf("price %s / %s: the divisor must be positive", p, r)
	}
	// p / r = units × 10^-exp / coef for r = coef × 10^exp.
	num := big.NewInt(int64(p))
	den := new(big.Int).Set(r.Coefficient())
	ten := big.NewInt(10)
	if e := r.Exponent(); e < 0 {
		num.Mul(num, new(big.Int).Exp(ten, big.NewInt(int64(-e)), nil))
	} else if e > 0 {
		den.Mul(den, new(big.Int).Exp(ten, big.NewInt(int64(e)), nil))
	}
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	// Round half to even on |m|: q is truncated toward zero.
	m.Abs(m).Lsh(m, 1)
	if c := m.Cmp(den); c > 0 || c == 0 && q.Bit(0) == 1 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() || q.Int64() > int64(MaxPrice) || q.Int64() < -int64(MaxPrice) {
		return 0, fmt.Errorf("price %s / %s: %w", p, r, ErrPriceRange)
	}
	return Price(q.Int64()), nil
}
