package portfolio

import (
	"testing"

	"github.com/quantloop/quantloop/engine"
)

// TestMarks: Marks gives what Equity, Gross and MarketUnits give, to the
// bit, flat, long and short, with several positions, with a fractional
// quantity (not exact, units 0) and past int64 (not exact), and by hand
// for a long and a short: cash 1000, 3 A bought at 12.5 and marked at 12,
// 2 B sold short at 4 and marked at 5.
func TestMarks(t *testing.T) {
	b := newBook(t, "1000")
	same := func(when string) Marks {
		t.Helper()
		m := b.p.Marks()
		units, ok := b.p.MarketUnits()
		want := Marks{Equity: b.p.Equity(), Gross: b.p.Gross(), Units: units, UnitsExact: ok}
		if m != want {
			t.Fatalf("%s: Marks %+v, want %+v", when, m, want)
		}
		return m
	}
	same("no positions")
	b.mark("A", "12.5")
	b.fill("A", engine.Buy, "3", "12.5", "0")
	b.mark("B", "4")
	b.fill("B", engine.Sell, "2", "4", "0")
	b.mark("A", "12")
	b.mark("B", "5")
	m := same("a long and a short")
	// cash 1000 - 37.5 + 8 = 970.5; A 3 × 12 = 36; B -2 × 5 = -10.
	if want := (Marks{Equity: 996.5, Gross: 46, Units: 26 * engine.PriceScale, UnitsExact: true}); m != want {
		t.Errorf("by hand: Marks %+v, want %+v", m, want)
	}
	b.fill("A", engine.Sell, "3", "12", "0")
	same("A flat")
	b.fill("A", engine.Buy, "0.5", "12", "0")
	if m := same("a fractional quantity"); m.UnitsExact || m.Units != 0 {
		t.Errorf("a fractional quantity: units %d, exact %v", m.Units, m.UnitsExact)
	}
	b.fill("A", engine.Sell, "0.5", "12", "0")
	b.mark("C", "90000000")
	b.fill("C", engine.Buy, "2000000000", "90000000", "0")
	if m := same("past int64"); m.UnitsExact {
		t.Error("past int64: exact")
	}
}
