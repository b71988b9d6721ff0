package fixed

import (
	"testing"

	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/shopspring/decimal"
)

// checkCalc compares each Calc operation on a and b with the Dec method
// it stands for: the same result when the method succeeds, Overflow
// exactly when it fails, and, on a Calc that has overflowed before, the
// zero Dec and Overflow still true. FuzzOps runs it through check.
func checkCalc(t *testing.T, a, b decimal.Decimal) {
	t.Helper()
	x, okx := Of(a)
	y, oky := Of(b)
	var c Calc
	if got := c.Of(a); c.Overflow() == okx || (okx && got != x) {
		t.Fatalf("Calc.Of(%s) = %v, overflow %v; Of gives %v, %v", a, got, c.Overflow(), x, okx)
	}
	if !okx || !oky {
		return
	}
	ops := []struct {
		name string
		calc func(*Calc) Dec
		dec  func() (Dec, bool)
	}{
		{"Add", func(c *Calc) Dec { return c.Add(x, y) }, func() (Dec, bool) { return x.Add(y) }},
		{"Sub", func(c *Calc) Dec { return c.Sub(x, y) }, func() (Dec, bool) { return x.Sub(y) }},
		{"Mul", func(c *Calc) Dec { return c.Mul(x, y) }, func() (Dec, bool) { return x.Mul(y) }},
		{"Neg", func(c *Calc) Dec { return c.Neg(x) }, x.Neg},
		{"Abs", func(c *Calc) Dec { return c.Abs(x) }, x.Abs},
		{"QuoInt", func(c *Calc) Dec { return c.QuoInt(x, y) }, func() (Dec, bool) { return x.QuoInt(y) }},
		{"DivRound", func(c *Calc) Dec { return c.DivRound(x, y, 8) }, func() (Dec, bool) { return x.DivRound(y, 8) }},
		{"Cmp", func(c *Calc) Dec { return Int(int64(c.Cmp(x, y))) }, func() (Dec, bool) { r, ok := x.Cmp(y); return Int(int64(r)), ok }},
		{"Int", func(c *Calc) Dec { return Int(c.Int(x)) }, func() (Dec, bool) { n, ok := x.Int(); return Int(n), ok }},
		{"AddInt64", func(c *Calc) Dec { return Int(c.AddInt64(x.C, y.C)) }, func() (Dec, bool) { n, ok := AddInt64(x.C, y.C); return Int(n), ok }},
		{"MulInt64", func(c *Calc) Dec { return Int(c.MulInt64(x.C, y.C)) }, func() (Dec, bool) { n, ok := MulInt64(x.C, y.C); return Int(n), ok }},
	}
	for _, op := range ops {
		want, ok := op.dec()
		var c Calc
		got := op.calc(&c)
		if c.Overflow() == ok || (ok && got != want) || (!ok && got != (Dec{})) {
			t.Fatalf("Calc.%s(%v, %v) = %v, overflow %v; the method gives %v, %v", op.name, x, y, got, c.Overflow(), want, ok)
		}
		c = Calc{over: true}
		if got := op.calc(&c); got != (Dec{}) || !c.Overflow() {
			t.Fatalf("Calc.%s after an overflow = %v, overflow %v; want the zero Dec, true", op.name, got, c.Overflow())
		}
	}
}

// TestCalcChains: chains worked out by hand, and the first overflow
// sticks for the rest of the chain even when later steps fit.
func TestCalcChains(t *testing.T) {
	huge := Dec{C: 1 << 62}
	tests := []struct {
		name string
		f    func(c *Calc) Dec
		want string // "" for an overflow
	}{
		{"qty × price + value", func(c *Calc) Dec {
			return c.Add(c.Mul(c.Of(testkit.MustDec("3")), c.Of(testkit.MustDec("2.5"))), Dec{C: 1, E: 1})
		}, "17.5"},
		{"percent of a value", func(c *Calc) Dec {
			return c.Mul(c.Mul(Dec{C: 123400, E: -2}, Dec{C: 1, E: -1}), Dec{C: 1, E: -2})
		}, "1.234"},
		{"sell slippage", func(c *Calc) Dec {
			return c.Mul(c.Mul(Int(100), c.Add(Int(10000), c.Neg(Int(5)))), Dec{C: 1, E: -4})
		}, "99.95"},
		{"position after sells", func(c *Calc) Dec { return c.Sub(c.Sub(Int(10), Int(4)), Int(7)) }, "-1"},
		{"share of a commission", func(c *Calc) Dec { return c.DivRound(c.Mul(Int(1), Int(1)), Int(3), 4) }, "0.3333"},
		{"overflow in the middle", func(c *Calc) Dec { return c.Sub(c.Mul(huge, Int(2)), huge) }, ""},
		{"overflow, then a step that fits", func(c *Calc) Dec {
			c.Add(huge, huge)
			return c.Add(Int(1), Int(2))
		}, ""},
		{"a decimal beyond int64", func(c *Calc) Dec {
			return c.Add(c.Of(testkit.MustDec("99999999999999999999")), Int(1))
		}, ""},
		{"Cmp beyond alignment", func(c *Calc) Dec { return Int(int64(c.Cmp(Dec{C: 1, E: 30}, Int(1)))) }, ""},
		{"a whole quantity", func(c *Calc) Dec { return Int(c.Int(c.Of(testkit.MustDec("12.000")))) }, "12"},
		{"a fraction", func(c *Calc) Dec { return Int(c.Int(c.Of(testkit.MustDec("12.5")))) }, ""},
		{"int64 chain", func(c *Calc) Dec { return Int(c.AddInt64(c.MulInt64(3, 4), 5)) }, "17"},
		{"int64 overflow", func(c *Calc) Dec { return Int(c.AddInt64(c.MulInt64(1<<62, 2), 5)) }, ""},
	}
	for _, tt := range tests {
		var c Calc
		got := tt.f(&c)
		switch {
		case tt.want == "" && !c.Overflow():
			t.Errorf("%s: %s, want an overflow", tt.name, got.Decimal())
		case tt.want != "" && (c.Overflow() || !got.Decimal().Equal(testkit.MustDec(tt.want))):
			t.Errorf("%s: %s (overflow %v), want %s", tt.name, got.Decimal(), c.Overflow(), tt.want)
		}
	}
}

// TestCalcAllocs: a chain allocates nothing.
func TestCalcAllocs(t *testing.T) {
	q, p := testkit.MustDec("12.5"), testkit.MustDec("101.25")
	if n := testing.AllocsPerRun(100, func() {
		var c Calc
		if c.Mul(c.Of(q), c.Of(p)); c.Overflow() {
			t.Fatal("overflow")
		}
	}); n != 0 {
		t.Errorf("a Calc chain allocates %v times", n)
	}
}

// TestCalcUse: a Dec read beforehand goes into a calculation as Of would
// put it there; one that did not fit makes the calculation overflow.
func TestCalcUse(t *testing.T) {
	var c Calc
	if got := c.Add(c.Use(Dec{C: 125, E: -2}, true), c.Of(decimal.New(5, -1))); got != (Dec{C: 175, E: -2}) || c.Overflow() {
		t.Fatalf("1.25 + 0.5 = %+v (overflow %v), want 175e-2", got, c.Overflow())
	}
	if got := c.Use(Dec{C: 7}, false); got != (Dec{}) || !c.Overflow() {
		t.Fatalf("Use of a value that did not fit = %+v (overflow %v), want zero and overflow", got, c.Overflow())
	}
}
