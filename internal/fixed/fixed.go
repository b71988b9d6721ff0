// Package fixed does exact decimal arithmetic on int64 coefficients. It is
// the fast path for decimal.Decimal values that fit: every operation
// reports whether its result is exact, so that a caller falls back to
// decimal when it is not. A result, turned back into a decimal.Decimal,
// has the value and the exponent that decimal's own operation gives.
package fixed

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/internal/digits"
)

// Dec is the exact decimal C × 10^E.
type Dec struct {
	C int64
	E int32
}

// maxShift is the largest power of ten an int64 holds.
const maxShift = 18

// pow10 holds the powers of ten up to 10^maxShift.
var pow10 = [maxShift + 1]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// Of returns d as a Dec with d's exponent, and false when d's coefficient
// does not fit in an int64. It allocates nothing when it does.
func Of(d decimal.Decimal) (Dec, bool) {
	if d.NumDigits() > maxShift {
		return Dec{}, false
	}
	// At most 18 digits: the coefficient is its own int64.
	return Dec{C: d.CoefficientInt64(), E: d.Exponent()}, true
}

// Int returns the integer n as a Dec.
func Int(n int64) Dec { return Dec{C: n} }

// Decimal returns a as a decimal.Decimal. An integer of at most
// smallInts in magnitude at exponent 0 (a quantity of shares, most
// often) comes from a table made once, without allocating: a
// decimal.Decimal is never changed in place, so the table's values are
// shared safely.
func (a Dec) Decimal() decimal.Decimal {
	if a.E == 0 && a.C >= -smallInts && a.C <= smallInts {
		return smallDecimals[a.C+smallInts]
	}
	return decimal.New(a.C, a.E)
}

// smallInts bounds the integers of smallDecimals.
const smallInts = 1024

// smallDecimals holds the decimals -smallInts to smallInts at exponent 0.
var smallDecimals = func() (t [2*smallInts + 1]decimal.Decimal) {
	for i := range t {
		t[i] = decimal.New(int64(i-smallInts), 0)
	}
	return t
}()

// Sign returns -1, 0 or +1, the sign of a.
func (a Dec) Sign() int {
	switch {
	case a.C < 0:
		return -1
	case a.C > 0:
		return 1
	}
	return 0
}

// IsZero reports whether a is zero.
func (a Dec) IsZero() bool { return a.C == 0 }

// at returns a's coefficient at exponent e, at most a.E, and whether it
// fits in an int64.
func (a Dec) at(e int32) (int64, bool) {
	d := int64(a.E) - int64(e)
	if a.C == 0 || d == 0 {
		return a.C, true
	}
	if d > maxShift {
		return 0, false
	}
	return MulInt64(a.C, pow10[d])
}

// align returns the coefficients of a and b at the smaller of their
// exponents, the exponent of decimal's sum and difference.
func align(a, b Dec) (x, y int64, e int32, ok bool) {
	e = min(a.E, b.E)
	x, ok = a.at(e)
	if !ok {
		return 0, 0, 0, false
	}
	y, ok = b.at(e)
	return x, y, e, ok
}

// Add returns a + b.
func (a Dec) Add(b Dec) (Dec, bool) {
	x, y, e, ok := align(a, b)
	if !ok {
		return Dec{}, false
	}
	c, ok := AddInt64(x, y)
	return Dec{C: c, E: e}, ok
}

// Sub returns a - b.
func (a Dec) Sub(b Dec) (Dec, bool) {
	if b.C == math.MinInt64 {
		return Dec{}, false
	}
	return a.Add(Dec{C: -b.C, E: b.E})
}

// Mul returns a × b.
func (a Dec) Mul(b Dec) (Dec, bool) {
	c, ok := MulInt64(a.C, b.C)
	e := int64(a.E) + int64(b.E)
	if !ok || e > math.MaxInt32 || e < math.MinInt32 {
		return Dec{}, false
	}
	return Dec{C: c, E: int32(e)}, true
}

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b;
// ok is false when it cannot tell in int64 arithmetic.
func (a Dec) Cmp(b Dec) (c int, ok bool) {
	if sa, sb := a.Sign(), b.Sign(); sa != sb || sa == 0 {
		switch {
		case sa < sb:
			return -1, true
		case sa > sb:
			return 1, true
		}
		return 0, true
	}
	x, y, _, ok := align(a, b)
	if !ok {
		return 0, false
	}
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// QuoInt returns a / b rounded toward zero to an integer (exponent 0),
// the quotient of decimal's a.QuoRem(b, 0); ok is false when b is zero
// or the division does not fit in 128-bit arithmetic.
func (a Dec) QuoInt(b Dec) (Dec, bool) { return a.quo(b, 0, false) }

// DivRound returns a / b rounded half away from zero to places decimal
// places (exponent -places), as decimal's a.DivRound(b, places); ok is
// false as for QuoInt.
func (a Dec) DivRound(b Dec, places int32) (Dec, bool) { return a.quo(b, places, true) }

// quo returns a / b at exponent -places, truncated or rounded half away
// from zero.
func (a Dec) quo(b Dec, places int32, round bool) (Dec, bool) {
	if b.C == 0 || a.C == math.MinInt64 || b.C == math.MinInt64 {
		return Dec{}, false
	}
	// a/b × 10^places = (a.C × 10^d) / b.C with d = a.E - b.E + places,
	// or a.C / (b.C × 10^-d).
	neg := (a.C < 0) != (b.C < 0)
	num, den := uint64(abs(a.C)), uint64(abs(b.C))
	var hi, lo uint64
	switch d := int64(a.E) - int64(b.E) + int64(places); {
	case d >= 0:
		if d > maxShift {
			return Dec{}, false
		}
		hi, lo = bits.Mul64(num, uint64(pow10[d]))
	default:
		if -d > maxShift {
			return Dec{}, false
		}
		var over uint64
		over, den = bits.Mul64(den, uint64(pow10[-d]))
		if over != 0 {
			// The divisor exceeds twice the 63-bit numerator: the
			// quotient is 0 and rounds to 0.
			return Dec{E: -places}, true
		}
		lo = num
	}
	if hi >= den {
		return Dec{}, false
	}
	q, r := bits.Div64(hi, lo, den)
	if round && r >= den-r {
		q++
	}
	if q > math.MaxInt64 {
		return Dec{}, false
	}
	if neg {
		return Dec{C: -int64(q), E: -places}, true
	}
	return Dec{C: int64(q), E: -places}, true
}

// Trim returns a without the trailing zeros of its coefficient: the same
// value, with the largest exponent that keeps it exact (0 for zero). A
// value kept across many operations, such as a running sum of amounts of
// different exponents, stays small enough for int64 arithmetic when it is
// trimmed. Its text and float64 are those of a.
func (a Dec) Trim() Dec {
	if a.C == 0 {
		return Dec{}
	}
	u := uint64(a.C)
	if a.C < 0 {
		u = -u
	}
	u, n := stripZeros(u, math.MaxInt32-int64(a.E))
	if n == 0 {
		return a
	}
	if a.C < 0 {
		return Dec{C: -int64(u), E: a.E + int32(n)}
	}
	return Dec{C: int64(u), E: a.E + int32(n)}
}

// stripZeros returns u, not zero, without its trailing decimal zeros, at
// most limit of them, and how many it took off. It divides by 10^8, 10^4,
// 10^2 and 10 rather than by 10 for every zero: a commission's
// coefficient carries a dozen.
func stripZeros(u uint64, limit int64) (uint64, int64) {
	n := int64(0)
	for limit-n >= 8 && u%1e8 == 0 {
		u /= 1e8
		n += 8
	}
	if limit-n >= 4 && u%1e4 == 0 {
		u /= 1e4
		n += 4
	}
	if limit-n >= 2 && u%100 == 0 {
		u /= 100
		n += 2
	}
	if limit-n >= 1 && u%10 == 0 {
		u /= 10
		n++
	}
	return u, n
}

// Abs returns |a|.
func (a Dec) Abs() (Dec, bool) {
	if a.C < 0 {
		return a.Neg()
	}
	return a, true
}

// Int returns a as an int64, and false when a is not an integer or does
// not fit.
func (a Dec) Int() (int64, bool) {
	switch {
	case a.E >= 0:
		return a.at(0)
	case a.C == 0:
		return 0, true
	case -a.E > maxShift:
		return 0, false // |C| < 10^18 <= 10^-E: a fraction
	}
	p := pow10[-a.E]
	if a.C%p != 0 {
		return 0, false
	}
	return a.C / p, true
}

// Neg returns -a.
func (a Dec) Neg() (Dec, bool) {
	if a.C == math.MinInt64 {
		return Dec{}, false
	}
	return Dec{C: -a.C, E: a.E}, true
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// MulInt64 returns a × b and whether it did not overflow.
func MulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

// AddInt64 returns a + b and whether it did not overflow.
func AddInt64(a, b int64) (int64, bool) {
	c := a + b
	if (c > a) != (b > 0) {
		return 0, false
	}
	return c, true
}

// Add returns a + b: the value of a.Add(b), computed in int64 when a
// and b fit, and without allocating when either is zero. The exponent of
// the result may differ from decimal's; its value, text and float do not.
func Add(a, b decimal.Decimal) decimal.Decimal {
	switch {
	case b.IsZero():
		return a
	case a.IsZero():
		return b
	}
	if x, ok := Of(a); ok {
		if y, ok := Of(b); ok {
			if z, ok := x.Add(y); ok {
				if z.C == 0 {
					return decimal.Zero
				}
				return z.Decimal()
			}
		}
	}
	return a.Add(b)
}

// Sub returns a - b, like Add: decimal.Zero, without allocating, when
// a equals b.
func Sub(a, b decimal.Decimal) decimal.Decimal {
	if b.IsZero() {
		return a
	}
	if x, ok := Of(a); ok {
		if y, ok := Of(b); ok {
			if z, ok := x.Sub(y); ok {
				if z.C == 0 {
					return decimal.Zero
				}
				return z.Decimal()
			}
		}
	}
	return a.Sub(b)
}

// Mul returns a × b, like Add.
func Mul(a, b decimal.Decimal) decimal.Decimal {
	if x, ok := Of(a); ok {
		if y, ok := Of(b); ok {
			if z, ok := x.Mul(y); ok {
				return z.Decimal()
			}
		}
	}
	return a.Mul(b)
}

// DivRound returns a.DivRound(b, places), in int64 arithmetic when the
// values fit. b must not be zero.
func DivRound(a, b decimal.Decimal, places int32) decimal.Decimal {
	if x, ok := Of(a); ok {
		if y, ok := Of(b); ok {
			if z, ok := x.DivRound(y, places); ok {
				return z.Decimal()
			}
		}
	}
	return a.DivRound(b, places)
}

// Append appends the text of d to b, the text d.String() gives, without
// allocating when d's coefficient fits in an int64 and b has room.
func Append(b []byte, d decimal.Decimal) []byte {
	if a, ok := Of(d); ok {
		if out, ok := a.Append(b); ok {
			return out
		}
	}
	return append(b, d.String()...)
}

// Append appends the text of a, as decimal's String writes it: no
// exponent, and no trailing zeros after the point. ok is false, and b is
// returned as it is, when a's integer form does not fit in an int64.
func (a Dec) Append(b []byte) ([]byte, bool) {
	if a.E >= 0 {
		c, ok := a.at(0)
		if !ok {
			return b, false
		}
		return strconv.AppendInt(b, c, 10), true
	}
	if a.C == 0 {
		return append(b, '0'), true
	}
	u := uint64(a.C)
	if a.C < 0 {
		u = -u
	}
	frac := -int64(a.E) // digits after the point, trailing zeros included
	u, zeros := stripZeros(u, frac)
	frac -= zeros
	// The text is written from its end: at most maxFrac digits after
	// the point, the point, the 20 digits of a uint64 and the sign.
	const maxFrac = 40
	if frac > maxFrac {
		return a.appendLong(b), true
	}
	var buf [maxFrac + 22]byte
	i := len(buf)
	if frac > 0 {
		i -= int(frac)
		u = digits.Put(buf[i:i+int(frac)], u)
		i--
		buf[i] = '.'
	}
	n := digits.Len(u)
	i -= n
	digits.Put(buf[i:i+n], u)
	if a.C < 0 {
		i--
		buf[i] = '-'
	}
	return append(b, buf[i:]...), true
}

// appendLong appends the text of a, as append does, when a.E < 0 and
// a.C is not zero: for any number of digits after the point.
func (a Dec) appendLong(b []byte) []byte {
	u := uint64(a.C)
	if a.C < 0 {
		b = append(b, '-')
		u = -u
	}
	var buf [20]byte // room for the digits of u
	digits := strconv.AppendUint(buf[:0], u, 10)
	point := len(digits) + int(a.E) // digits before the point; may be <= 0
	end := len(digits)
	for end > 0 && end > point && digits[end-1] == '0' {
		end--
	}
	if point > 0 {
		b = append(b, digits[:point]...)
	} else {
		b = append(b, '0')
	}
	if end <= max(point, 0) {
		return b
	}
	b = append(b, '.')
	for range -point {
		b = append(b, '0')
	}
	return append(b, digits[max(point, 0):end]...)
}

// float64Pow10 holds the powers of ten that a float64 holds exactly.
var float64Pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// Float64 returns d rounded to the nearest float64, the value of
// d.InexactFloat64(), without allocating when d's coefficient fits in an
// int64.
func Float64(d decimal.Decimal) float64 {
	if a, ok := Of(d); ok {
		if f, ok := a.Float64(); ok {
			return f
		}
	}
	return d.InexactFloat64()
}

// Float64 returns a rounded to the nearest float64, as decimal's
// InexactFloat64, and false when it cannot tell without decimal.
func (a Dec) Float64() (float64, bool) {
	if a.C < -1<<53 || a.C > 1<<53 {
		// A sum of commissions shared to 16 places has a long
		// coefficient with many trailing zeros: without them, the same
		// value may take the exact path.
		a = a.Trim()
	}
	if a.C >= -1<<53 && a.C <= 1<<53 && a.E >= -22 && a.E <= 22 {
		// Both operands are exact, so the result is rounded once.
		if a.E < 0 {
			return float64(a.C) / float64Pow10[-a.E], true
		}
		return float64(a.C) * float64Pow10[a.E], true
	}
	// strconv reads decimal text rounded correctly, as Rat's Float64.
	var buf [48]byte
	b, ok := a.Append(buf[:0])
	if !ok || len(b) > len(buf) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, false // out of range: decimal decides
	}
	return f, true
}
