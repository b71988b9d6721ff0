package portfolio

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestAmount checks sums and differences of amounts against decimal's,
// in value and in text, across the int64 limits: coefficients near
// ±2^63, exponents far apart, and chains that leave int64 arithmetic
// and stay in decimal.
func TestAmount(t *testing.T) {
	values := []decimal.Decimal{
		decimal.Zero, decimal.New(0, -8), decimal.New(1, 0), decimal.New(-1, 0),
		decimal.New(25, -4), decimal.New(-123456789, -8),
		decimal.New(math.MaxInt64, 0), decimal.New(math.MinInt64, 0),
		decimal.New(math.MaxInt64, -12), decimal.New(math.MinInt64+1, -12),
		decimal.New(999_999_999_999_999_999, -2), decimal.New(1, 30), decimal.New(7, -30),
		decimal.RequireFromString("123456789012345678901234567890.5"), // beyond int64 from the start
	}
	check := func(a, b decimal.Decimal) {
		t.Helper()
		x, y := amountOf(a), amountOf(b)
		for _, op := range []struct {
			name      string
			got, want decimal.Decimal
		}{
			{"+", x.add(y).Decimal(), a.Add(b)},
			{"-", x.sub(y).Decimal(), a.Sub(b)},
		} {
			if !op.got.Equal(op.want) || op.got.String() != op.want.String() {
				t.Fatalf("%s %s %s = %s, want %s", a, op.name, b, op.got, op.want)
			}
		}
	}
	for _, a := range values {
		for _, b := range values {
			check(a, b)
		}
	}
	// A running sum that overflows int64 part way and goes on in decimal.
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		sum, want := amount{}, decimal.Zero
		for range 20 {
			d := decimal.New(r.Int64N(math.MaxInt64/4)-math.MaxInt64/8, int32(r.IntN(8)-4))
			if r.IntN(2) == 0 {
				sum, want = sum.add(amountOf(d)), want.Add(d)
			} else {
				sum, want = sum.sub(amountOf(d)), want.Sub(d)
			}
			if got := sum.Decimal(); !got.Equal(want) {
				t.Fatalf("running sum %s, want %s", got, want)
			}
		}
	}
}

// TestTradeOverflow books a round trip whose commissions and P&L do not
// fit in int64 arithmetic and checks the trade's figures against the
// same sums in decimal.
func TestTradeOverflow(t *testing.T) {
	var tr Trade
	qty := decimal.New(4, 0)
	entry, exit := decimal.New(math.MaxInt64/2, -2), decimal.New(math.MaxInt64/2+12345, -2)
	c1, c2 := decimal.New(math.MaxInt64, -30), decimal.New(3, 6)
	tr.addEntry(qty, entry, entry.InexactFloat64(), amountOf(c1))
	gross := exit.Sub(entry).Mul(qty)
	tr.addExit(qty, exit, exit.InexactFloat64(), amountOf(gross), amountOf(c2))
	tr.addExit(qty, exit, exit.InexactFloat64(), amountOf(decimal.New(math.MaxInt64, 0)), amountOf(c2))
	tr.settle()
	wantComm := c1.Add(c2).Add(c2)
	wantGross := gross.Add(decimal.New(math.MaxInt64, 0))
	if !tr.Commission.Equal(wantComm) || !tr.PnLGross.Equal(wantGross) || !tr.PnLNet.Equal(wantGross.Sub(wantComm)) {
		t.Fatalf("commission %s, gross %s, net %s; want %s, %s, %s",
			tr.Commission, tr.PnLGross, tr.PnLNet, wantComm, wantGross, wantGross.Sub(wantComm))
	}
}

// TestAmountAllocs: amounts that fit allocate nothing, kept where a
// trade keeps them.
func TestAmountAllocs(t *testing.T) {
	a, b := decimal.New(12345, -12), decimal.New(-7, -8)
	tr := new(Trade)
	if n := testing.AllocsPerRun(100, func() {
		tr.commission = amountOf(a).add(amountOf(b))
		tr.gross = tr.gross.sub(amountOf(a))
	}); n != 0 {
		t.Fatalf("%v allocations, want 0", n)
	}
}
