package broker

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestPercentOfMatchesDecimal: the commission's int64 path gives
// (value + qty × price) × pct / 100 exactly, for whole, fractional and
// overflowing values.
func TestPercentOfMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	shapes := []func() decimal.Decimal{
		func() decimal.Decimal { return decimal.New(r.Int64N(1e12), -8) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e6), -int32(r.IntN(4))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e18), 0) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e18), -30) },
		func() decimal.Decimal { return decimal.RequireFromString("98765432109876543210.0123") },
	}
	shape := func() decimal.Decimal { return shapes[r.IntN(len(shapes))]() }
	for range 20000 {
		v, q, px, pct := shape(), shape(), shape(), shape()
		if r.IntN(3) == 0 {
			v = decimal.Zero
		}
		if got, want := percentOf(v, q, px, pct), v.Add(q.Mul(px)).Mul(pct).Shift(-2); !got.Equal(want) {
			t.Fatalf("percentOf(%s, %s, %s, %s) = %s, want %s", v, q, px, pct, got, want)
		}
	}
}

// TestSellLeavesShortMatchesDecimal: the short check's int64 path tells
// a sell that leaves a short, and by how much, as decimal does.
func TestSellLeavesShortMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	shapes := []func() decimal.Decimal{
		func() decimal.Decimal { return decimal.NewFromInt(r.Int64N(200) - 100) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e6)-5e5, -int32(r.IntN(4))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e18), 1) },
		func() decimal.Decimal { return decimal.RequireFromString("-98765432109876543210.5") },
		func() decimal.Decimal { return decimal.Zero },
	}
	shape := func() decimal.Decimal { return shapes[r.IntN(len(shapes))]() }
	for range 20000 {
		pos, w, q := shape(), shape().Abs(), shape().Abs()
		want := pos.Sub(w).Sub(q)
		got, short := sellLeavesShort(pos, w, q)
		if short != want.IsNegative() || (short && !got.Equal(want)) {
			t.Fatalf("sellLeavesShort(%s, %s, %s) = %s, %v; want %s", pos, w, q, got, short, want)
		}
	}
}

// TestSlippageApplyMatchesDecimal: the int64 path of fixed slippage gives
// price × (10000 ± bps) / 10000 exactly.
func TestSlippageApplyMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	shapes := []func() decimal.Decimal{
		func() decimal.Decimal { return decimal.New(1+r.Int64N(1e12), -8) },
		func() decimal.Decimal { return decimal.New(1+r.Int64N(1e5), -int32(r.IntN(6))) },
		func() decimal.Decimal { return decimal.New(1+r.Int64N(1e18), -2) },
		func() decimal.Decimal { return decimal.RequireFromString("12345678901234567890.123") },
	}
	shape := func() decimal.Decimal { return shapes[r.IntN(len(shapes))]() }
	for range 20000 {
		price, bps, buy := shape(), shape(), r.IntN(2) == 0
		f := decimal.NewFromInt(10000).Add(bps)
		if !buy {
			f = decimal.NewFromInt(10000).Sub(bps)
		}
		want := price.Mul(f).Shift(-4)
		if got := (Slippage{BPS: bps}).Apply(price, buy); !got.Equal(want) {
			t.Fatalf("Apply(%s, %s bps, buy %v) = %s, want %s", price, bps, buy, got, want)
		}
	}
}
