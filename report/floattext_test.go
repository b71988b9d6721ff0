package report

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/equity"
)

// TestFloatText: floatText writes strconv's shortest text of every value
// of series whose values repeat, change sign, are zero of either sign or
// infinite, are whole, and of random bits.
func TestFloatText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	random := make([]float64, 10000)
	for i := range random {
		switch i % 4 {
		case 0:
			random[i] = math.Float64frombits(rng.Uint64())
		case 1:
			random[i] = random[i-1] // a repeat
		default:
			random[i] = rng.NormFloat64() * 0.01
		}
	}
	var whole []float64 // whole numbers of every size to 1e15 and beyond, round ones among them
	for e := range 17 {
		p := math.Pow(10, float64(e))
		for range 300 {
			x := math.Trunc(rng.Float64() * 10 * p)
			whole = append(whole, x, -x, math.Trunc(x/1000)*1000, p, -p, p+1, p-1, math.Nextafter(x, math.Inf(1)))
		}
	}
	whole = append(whole, 1e15, math.Nextafter(1e15, 2e15), 1<<53, 1<<53-1, 999999, 1e6, 1000001, 1e21)
	for _, tc := range []struct {
		name string
		xs   []float64
	}{
		{"whole", whole},
		{"repeats", []float64{0, 0, -0.1, -0.1, -0.1, 0, 0}},
		{"signed zeros", []float64{0, math.Copysign(0, -1), math.Copysign(0, -1), 0}},
		{"infinities", []float64{math.Inf(1), math.Inf(1), math.Inf(-1), 1e308, 5e-324}},
		{"close values", []float64{0.1, math.Nextafter(0.1, 1), 0.1, math.Nextafter(0.1, 0)}},
		{"random", random},
	} {
		var f floatText
		var got []byte
		for i, x := range tc.xs {
			got = f.append(got[:0], x)
			if want := strconv.FormatFloat(x, 'g', -1, 64); string(got) != want {
				t.Fatalf("%s: value %d (%b): %q, want %q", tc.name, i, math.Float64bits(x), got, want)
			}
		}
	}
}

// TestCashText: cashText writes equity.AppendCash's text of points whose
// cash repeats, changes, is exact in Price units or not (an inexact cash
// after an exact one of the same units left in place), and negative.
func TestCashText(t *testing.T) {
	point := func(cash string, exact bool) *backtest.EquityPoint {
		p := &backtest.EquityPoint{Cash: decimal.RequireFromString(cash)}
		u, ok := equity.PriceUnits(p.Cash)
		if exact != ok {
			t.Fatalf("%s: exact %v", cash, ok)
		}
		if !ok {
			u = 1000000 * engine.PriceScale // the units of the cash before it, left in place
		}
		equity.SetUnits(p, equity.Units{Cash: u, CashExact: ok, MarketExact: true})
		return p
	}
	points := []*backtest.EquityPoint{
		point("1000000", true), point("1000000", true), point("999123.4567", true), point("999123.4567", true),
		point("0.00000001", true), point("0", true), point("-12.5", true), point("-12.5", true),
		point("1000000.000000001", false), point("1000000", true), point("123456789012.5", false), point("123456789012.5", false),
		point("999123.4567", true),
	}
	var c cashText
	var got []byte
	for i, p := range points {
		got = c.append(got[:0], p)
		if want := equity.AppendCash(nil, p); string(got) != string(want) {
			t.Fatalf("point %d: %q, want %q", i, got, want)
		}
		if want := p.Cash.String(); string(got) != want {
			t.Fatalf("point %d: %q, want the decimal's %q", i, got, want)
		}
	}
}
