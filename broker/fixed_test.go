package broker

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestPercentOfMatchesDecimal: the commission's int64 path gives
// value × pct / 100 exactly, for whole, fractional and overflowing values.
func TestPercentOfMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	shapes := []func() decimal.Decimal{
		func() decimal.Decimal { return decimal.New(r.Int64N(1e12), -8) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e6), -int32(r.IntN(4))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e18), 0) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e18), -30) },
		func() decimal.Decimal { return decimal.RequireFromString("98765432109876543210.0123") },
	}
	for range 20000 {
		v, p := shapes[r.IntN(len(shapes))](), shapes[r.IntN(len(shapes))]()
		if got, want := percentOf(v, p), v.Mul(p).Shift(-2); !got.Equal(want) {
			t.Fatalf("percentOf(%s, %s) = %s, want %s", v, p, got, want)
		}
	}
}
