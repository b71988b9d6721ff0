package fixed

import "github.com/shopspring/decimal"

// Calc does a chain of Dec operations and remembers whether any of them
// could not be done exactly in int64 arithmetic. A formula is then
// straight code with one check at the end:
//
//	var c fixed.Calc
//	x := c.Add(c.Mul(c.Of(qty), c.Of(price)), c.Of(value))
//	if c.Overflow() {
//		// do it in decimal
//	}
//
// After the first operation that overflows (or an Of that does not fit)
// Overflow reports true, and every result from then on, that one
// included, is the zero Dec and means nothing. Each operation gives what
// the Dec method of the same name gives when it succeeds. The zero value
// is ready to use; a Calc allocates nothing.
type Calc struct {
	over bool
}

// Overflow reports whether an operation since the Calc was made could
// not be done in int64 arithmetic.
func (c *Calc) Overflow() bool { return c.over }

// keep returns d when ok, and otherwise records the overflow.
func (c *Calc) keep(d Dec, ok bool) Dec {
	if !ok {
		c.over = true
		return Dec{}
	}
	return d
}

// Of returns d as a Dec, as the function Of.
func (c *Calc) Of(d decimal.Decimal) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(Of(d))
}

// Use returns d, read from a decimal by Of beforehand with the result ok,
// as Of would return it: when ok is false the calculation overflows.
func (c *Calc) Use(d Dec, ok bool) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(d, ok)
}

// Add returns a + b.
func (c *Calc) Add(a, b Dec) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(a.Add(b))
}

// Sub returns a - b.
func (c *Calc) Sub(a, b Dec) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(a.Sub(b))
}

// Mul returns a × b.
func (c *Calc) Mul(a, b Dec) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(a.Mul(b))
}

// Neg returns -a.
func (c *Calc) Neg(a Dec) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(a.Neg())
}

// Abs returns |a|.
func (c *Calc) Abs(a Dec) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(a.Abs())
}

// QuoInt returns a / b rounded toward zero to an integer, as Dec.QuoInt.
func (c *Calc) QuoInt(a, b Dec) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(a.QuoInt(b))
}

// DivRound returns a / b rounded half away from zero to places decimal
// places, as Dec.DivRound.
func (c *Calc) DivRound(a, b Dec, places int32) Dec {
	if c.over {
		return Dec{}
	}
	return c.keep(a.DivRound(b, places))
}

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b,
// and 0 when it cannot tell (which counts as an overflow).
func (c *Calc) Cmp(a, b Dec) int {
	if c.over {
		return 0
	}
	r, ok := a.Cmp(b)
	if !ok {
		c.over = true
		return 0
	}
	return r
}

// Int returns a as an int64, as Dec.Int; a fraction counts as an
// overflow.
func (c *Calc) Int(a Dec) int64 {
	if c.over {
		return 0
	}
	return c.keepInt(a.Int())
}

// AddInt64 returns a + b, as the function AddInt64.
func (c *Calc) AddInt64(a, b int64) int64 {
	if c.over {
		return 0
	}
	return c.keepInt(AddInt64(a, b))
}

// MulInt64 returns a × b, as the function MulInt64.
func (c *Calc) MulInt64(a, b int64) int64 {
	if c.over {
		return 0
	}
	return c.keepInt(MulInt64(a, b))
}

// keepInt is keep for an int64.
func (c *Calc) keepInt(n int64, ok bool) int64 {
	if !ok {
		c.over = true
		return 0
	}
	return n
}
