package portfolio

import (
	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/internal/fixed"
)

// value is a decimal with its fixed.Dec, read from it once: the steps of
// a fill that use a quantity or a price several times, and the lots that
// keep them until they close, read the Dec held beside the decimal
// rather than the decimal's big.Int, somewhere else on the heap. ok is
// false when the decimal's coefficient does not fit (fixed.Of), and the
// steps then take their decimal paths as before.
type value struct {
	d  decimal.Decimal
	f  fixed.Dec
	ok bool
}

// zeroValue is decimal.Zero.
var zeroValue = value{d: decimal.Zero, ok: true}

// valueOf returns d with its Dec.
func valueOf(d decimal.Decimal) value {
	f, ok := fixed.Of(d)
	return value{d: d, f: f, ok: ok}
}

// decValue returns f with its decimal, and ok as fixed.Of gives it for
// that decimal: for a coefficient of at most 18 digits.
func decValue(f fixed.Dec) value {
	return value{d: f.Decimal(), f: f, ok: f.C > -1e18 && f.C < 1e18}
}

// use returns v's Dec to the calculation c, which overflows when v does
// not fit, as c.Of(v.d) does.
func (v value) use(c *fixed.Calc) fixed.Dec { return c.Use(v.f, v.ok) }

// sign returns -1, 0 or +1, the sign of v.
func (v value) sign() int {
	if v.ok {
		return v.f.Sign()
	}
	return v.d.Sign()
}

// float returns v rounded to the nearest float64, as fixed.Float64(v.d).
func (v value) float() float64 {
	if v.ok {
		if x, ok := v.f.Float64(); ok {
			return x
		}
	}
	return fixed.Float64(v.d)
}

// subValue returns a - b, as fixed.Sub(a.d, b.d) gives it.
func subValue(a, b value) value {
	if b.sign() == 0 {
		return a
	}
	if a.ok && b.ok {
		if z, ok := a.f.Sub(b.f); ok {
			if z.C == 0 {
				return zeroValue
			}
			return decValue(z)
		}
	}
	return valueOf(a.d.Sub(b.d))
}
