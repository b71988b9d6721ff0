package portfolio

import (
	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/internal/fixed"
)

// amount is an exact decimal kept in int64 arithmetic while it fits: a
// fixed.Dec, or, once a value does not fit, a decimal.Decimal that big
// points to. A trade sums its commissions and P&L as amounts and makes
// decimals of them once, when it settles, instead of one for every
// fill. The zero value is zero.
type amount struct {
	f   fixed.Dec
	big *decimal.Decimal // the value, when not nil
}

// amountOf returns d as an amount.
func amountOf(d decimal.Decimal) amount {
	if f, ok := fixed.Of(d); ok {
		return amount{f: f}
	}
	return bigAmount(d)
}

// bigAmount returns d as an amount that stays in decimal arithmetic.
// Only it allocates, and only for a value that does not fit.
func bigAmount(d decimal.Decimal) amount {
	p := new(decimal.Decimal)
	*p = d
	return amount{big: p}
}

// isZero reports whether a is zero.
func (a amount) isZero() bool {
	if a.big != nil {
		return a.big.IsZero()
	}
	return a.f.IsZero()
}

// Decimal returns a as a decimal.Decimal: the value, and the exponent,
// that fixed.Add and fixed.Sub give for the same operations on decimals;
// decimal.Zero for zero.
func (a amount) Decimal() decimal.Decimal {
	switch {
	case a.big != nil:
		return *a.big
	case a.f.IsZero():
		return decimal.Zero
	}
	return a.f.Decimal()
}

// add returns a + b. Like fixed.Add, a zero operand gives the other one
// as it is.
func (a amount) add(b amount) amount {
	switch {
	case b.isZero():
		return a
	case a.isZero():
		return b
	}
	if a.big == nil && b.big == nil {
		if z, ok := a.f.Add(b.f); ok {
			return amount{f: z}
		}
	}
	return bigAmount(a.Decimal().Add(b.Decimal()))
}

// sub returns a - b, like fixed.Sub.
func (a amount) sub(b amount) amount {
	if b.isZero() {
		return a
	}
	if a.big == nil && b.big == nil {
		if z, ok := a.f.Sub(b.f); ok {
			return amount{f: z}
		}
	}
	return bigAmount(a.Decimal().Sub(b.Decimal()))
}
