package portfolio

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// randomAmount returns a positive decimal of one of the shapes the fast
// paths meet: whole, fractional, long fractions, and too long for an
// int64 coefficient (where they must give way to decimal).
func randomAmount(r *rand.Rand) decimal.Decimal {
	switch r.IntN(6) {
	case 0:
		return decimal.NewFromInt(1 + r.Int64N(1000))
	case 1:
		return decimal.New(1+r.Int64N(1e10), -8) // a price
	case 2:
		return decimal.New(1+r.Int64N(1e6), -int32(r.IntN(5))) // a fractional size
	case 3:
		return decimal.New(1+r.Int64N(1e17), -12) // a commission share
	case 4:
		return decimal.RequireFromString("12345678901234567890123.25") // beyond int64
	}
	return decimal.New(1+r.Int64N(1e17), int32(r.IntN(3))) // big whole values that overflow products
}

func randomSigned(r *rand.Rand) decimal.Decimal {
	d := randomAmount(r)
	if r.IntN(2) == 0 {
		return d.Neg()
	}
	return d
}

// TestFixedPathsMatchDecimal: the ledger's int64 paths give the values
// the decimal formulas give, on many values, fractional and overflowing
// ones included.
func TestFixedPathsMatchDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		f := &engine.FillEvent{Side: engine.Buy, Quantity: randomAmount(r), Price: randomAmount(r), Commission: randomAmount(r)}
		if r.IntN(2) == 0 {
			f.Side = engine.Sell
		}
		if r.IntN(4) == 0 {
			f.Commission = decimal.Zero
		}
		cash := randomSigned(r)
		value := f.Quantity.Mul(f.Price)
		want := cash.Add(value)
		if f.Side == engine.Buy {
			want = cash.Sub(value)
		}
		want = want.Sub(f.Commission)
		got, gotF := cashAfter(cash, f.Side, valuesOf(f))
		if !got.Equal(want) {
			t.Fatalf("cashAfter(%s, %s × %s %v, commission %s) = %s, want %s", cash, f.Quantity, f.Price, f.Side, f.Commission, got, want)
		}
		if wantF := want.InexactFloat64(); gotF != wantF {
			t.Fatalf("cashAfter(%s, %s × %s %v, commission %s) float = %v, want %v", cash, f.Quantity, f.Price, f.Side, f.Commission, gotF, wantF)
		}

		qty, held := randomAmount(r), randomSigned(r)
		part := minAbs(valueOf(qty), held)
		checkValue(t, part)
		if want := decimal.Min(qty, held.Abs()); !part.d.Equal(want) {
			t.Fatalf("minAbs(%s, %s) = %s, want %s", qty, held, part.d, want)
		}
		if got, want := shareOf(valueOf(f.Commission), part, valueOf(qty)).Decimal(), f.Commission.Mul(part.d).DivRound(qty, divPrecision); !got.Equal(want) {
			t.Fatalf("shareOf(%s, %s, %s) = %s, want %s", f.Commission, part.d, qty, got, want)
		}
		rest := subValue(valueOf(qty), part)
		checkValue(t, rest)
		if want := fixed.Sub(qty, part.d); rest.d.String() != want.String() || rest.d.Exponent() != want.Exponent() {
			t.Fatalf("subValue(%s, %s) = %s (exponent %d), want %s (%d)", qty, part.d, rest.d, rest.d.Exponent(), want, want.Exponent())
		}
		price := randomAmount(r).Shift(-int32(r.IntN(12)))
		if got, want := meanPrice(false, decimal.Zero, qty, price), qty.Mul(price).DivRound(qty, divPrecision); !got.Equal(want) {
			t.Fatalf("meanPrice of one fill of %s at %s = %s, want %s", qty, price, got, want)
		}
		if got, want := meanPrice(true, value, f.Quantity, decimal.Zero), value.DivRound(f.Quantity, divPrecision); !got.Equal(want) {
			t.Fatalf("meanPrice(%s / %s) = %s, want %s", value, f.Quantity, got, want)
		}
	}
}

// TestCloseLotsMatchesDecimal: taking a quantity off lots first in,
// first out in int64 leaves the lots and gives the gross P&L that the
// decimal loop does; when it declines, it leaves the lots alone.
func TestCloseLotsMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	fast := 0
	for range 20000 {
		n := 1 + r.IntN(4)
		var lots []lot
		total := decimal.Zero
		for range n {
			l := lot{qty: valueOf(randomAmount(r)), price: valueOf(randomAmount(r))}
			lots = append(lots, l)
			total = total.Add(l.qty.d)
		}
		// Up to the whole position: a part of a lot, whole lots, all.
		qty := total
		if k := r.IntN(3); k == 0 {
			qty = lots[0].qty.d.Mul(decimal.New(int64(1+r.IntN(9)), -1))
		} else if k == 1 && n > 1 {
			qty = total.Sub(lots[n-1].qty.d).Add(lots[n-1].qty.d.Mul(decimal.New(5, -1)))
		}
		price, short := randomAmount(r), r.IntN(2) == 0
		a := &Position{lots: append([]lot(nil), lots...)}
		b := &Position{lots: append([]lot(nil), lots...)}
		want := closeLotsDecimal(b, qty, price, short)
		g, ok := closeLots(a, valueOf(qty), valueOf(price), short)
		got := g.Decimal()
		if !ok {
			if len(a.lots) != len(lots) || !a.lots[0].qty.d.Equal(lots[0].qty.d) {
				t.Fatalf("closeLots declined but changed the lots")
			}
			continue
		}
		fast++
		if !got.Equal(want) {
			t.Fatalf("closeLots(%v, %s at %s, short %v) = %s, want %s", lots, qty, price, short, got, want)
		}
		if len(a.lots) != len(b.lots) {
			t.Fatalf("closeLots left %d lots, want %d", len(a.lots), len(b.lots))
		}
		for i := range a.lots {
			checkValue(t, a.lots[i].qty)
			checkValue(t, b.lots[i].qty)
			if !a.lots[i].qty.d.Equal(b.lots[i].qty.d) || !a.lots[i].price.d.Equal(b.lots[i].price.d) {
				t.Fatalf("lot %d: %v, want %v", i, a.lots[i], b.lots[i])
			}
		}
	}
	if fast < 1000 {
		t.Errorf("the int64 path took only %d of 20000 cases", fast)
	}
}

// TestTargetFixedMatchesTarget: the sizer's int64 path gives Target's
// quantity for fixed and percent sizes, long, short and flat.
func TestTargetFixedMatchesTarget(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	fast := 0
	for range 20000 {
		var s Sizer
		if r.IntN(2) == 0 {
			s.Quantity = randomAmount(r)
		} else {
			s.Percent = randomAmount(r).Shift(-int32(r.IntN(3)))
		}
		equity := randomSigned(r)
		price := engine.Price(1 + r.Int64N(1e12))
		sig := &engine.SignalEvent{Target: engine.Target(r.IntN(3)), Symbol: "A"}
		want, err := s.Target(sig, equity, price)
		if err != nil {
			t.Fatal(err)
		}
		eq, ok := fixed.Of(equity)
		if !ok {
			continue
		}
		got, ok := s.targetFixed(sig.Target, eq, price)
		if !ok {
			continue
		}
		fast++
		if !got.Decimal().Equal(want) {
			t.Fatalf("%+v: equity %s, price %s, target %v: %s, want %s", s, equity, price, sig.Target, got.Decimal(), want)
		}
	}
	if fast < 10000 {
		t.Errorf("the int64 path took only %d of 20000 cases", fast)
	}
	if _, ok := (Sizer{Percent: decimal.NewFromInt(1)}).targetFixed(engine.TargetWeight, fixed.Int(100), 1); ok {
		t.Error("a weight target took the int64 path")
	}
	if _, ok := (Sizer{Percent: decimal.NewFromInt(1), Places: 2}).targetFixed(engine.TargetLong, fixed.Int(100), 1); ok {
		t.Error("a percent sized to decimal places took the int64 path, which sizes whole units")
	}
}

// TestDeltaFixedMatchesDecimal: a signal's order quantity from the int64
// path equals target - position - working in decimal, with positions and
// working orders, filled in part, on both sides.
func TestDeltaFixedMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	fast := 0
	for i := range 2000 {
		bk := newBook(t, "100000.5")
		bk.p.sizer = Sizer{Percent: decimal.New(int64(1+r.IntN(100)), -int32(r.IntN(2)))}
		bk.mark("A", "101.25")
		bk.mark("B", "7.5")
		for j := range r.IntN(3) {
			side := engine.Side(1 - 2*r.IntN(2))
			bk.p.onFill(&engine.FillEvent{Symbol: []string{"A", "B"}[j%2], Side: side,
				Quantity: decimal.New(1+r.Int64N(500), -int32(r.IntN(2))), Price: decimal.RequireFromString("99.75")})
		}
		for j := range r.IntN(4) {
			o := engine.Order{ID: uint64(i*10 + j + 1), Symbol: []string{"A", "B"}[r.IntN(2)], Side: engine.Side(1 - 2*r.IntN(2)),
				Quantity: decimal.New(1+r.Int64N(300), -int32(r.IntN(2)))}
			if r.IntN(5) == 0 {
				o.OCO = "g"
			}
			bk.p.track(&o)
			w := bk.p.working[o.ID]
			w.filled = o.Quantity.Mul(decimal.New(int64(5*r.IntN(2)), -1))
			bk.p.working[o.ID] = w
		}
		pos := bk.p.positions["A"]
		sig := &engine.SignalEvent{Symbol: "A", Target: engine.Target(r.IntN(3))}
		target, err := bk.p.sizer.Target(sig, bk.p.EquityDecimal(), pos.Last)
		if err != nil {
			t.Fatal(err)
		}
		want := target.Sub(pos.Quantity).Sub(bk.p.Working("A"))
		got, ok := bk.p.deltaFixed(sig, pos)
		if !ok {
			// Only a fractional position (no exact market value in
			// int64) sends a percent size to decimal here.
			if _, whole := bk.p.marketUnits(); whole {
				t.Fatalf("case %d: deltaFixed declined", i)
			}
			continue
		}
		fast++
		if !got.Decimal().Equal(want) {
			t.Fatalf("case %d: deltaFixed = %s, want %s", i, got.Decimal(), want)
		}
	}
	if fast < 500 {
		t.Errorf("the int64 path took only %d of 2000 cases", fast)
	}
}

// TestLotsReused: a position that goes flat keeps its array of lots, and
// the next opening, long or short, after a partial or a whole close,
// writes into it; the lots taken are the right ones.
func TestLotsReused(t *testing.T) {
	bk := newBook(t, "100000")
	bk.mark("A", "100")
	bk.fill("A", engine.Buy, "10", "100", "0")
	bk.fill("A", engine.Buy, "5", "101", "0")
	pos := bk.p.position("A")
	first := &pos.lots[:1][0]
	bk.fill("A", engine.Sell, "12", "102", "0") // the first lot and 2 of the second
	if len(pos.lots) != 1 || !pos.lots[0].qty.d.Equal(decimal.NewFromInt(3)) || !pos.lots[0].price.d.Equal(decimal.NewFromInt(101)) {
		t.Fatalf("after a partial close, lots = %v, want 3 at 101", pos.lots)
	}
	bk.fill("A", engine.Sell, "7", "103", "0") // flat, then short 4
	if len(pos.lots) != 1 || &pos.lots[0] != first {
		t.Fatalf("after going short, lots = %v at %p, want one lot at %p", pos.lots, &pos.lots[0], first)
	}
	if !pos.lots[0].qty.d.Equal(decimal.NewFromInt(4)) || !pos.lots[0].price.d.Equal(decimal.NewFromInt(103)) {
		t.Fatalf("short lot = %v, want 4 at 103", pos.lots[0])
	}
	// 10×2 + 2×1 + 3×2 = 28 on the long trade.
	if got := bk.p.trades[0].PnLGross; len(bk.p.trades) < 1 || !got.Equal(decimal.NewFromInt(28)) {
		t.Fatalf("long trade gross P&L = %s, want 28", got)
	}
}

// checkValue fails t unless v's Dec is what fixed.Of reads from its
// decimal.
func checkValue(t *testing.T, v value) {
	t.Helper()
	f, ok := fixed.Of(v.d)
	if ok != v.ok || (ok && f != v.f) {
		t.Fatalf("value %s holds %+v (ok %v), fixed.Of gives %+v (ok %v)", v.d, v.f, v.ok, f, ok)
	}
}
