package portfolio

import (
	"math"

	"github.com/quantloop/quantloop/internal/fixed"
)

// Marks is what a Portfolio's positions come to at their last closes:
// Equity, Gross and MarketUnits of one moment, computed together.
type Marks struct {
	Equity float64 // as Portfolio.Equity
	Gross  float64 // as Portfolio.Gross
	// Units and UnitsExact are Portfolio.MarketUnits.
	Units      int64
	UnitsExact bool
}

// Marks returns Equity, Gross and MarketUnits, each bit for bit what its
// method returns, from one pass over the positions instead of three. It
// allocates nothing.
func (p *Portfolio) Marks() Marks {
	m := Marks{Equity: p.cashF}
	var c fixed.Calc
	unitsOK := true
	for _, pos := range p.order {
		if pos.qtyF == 0 {
			continue
		}
		// The expressions of Equity and Gross, so that they round alike.
		m.Equity += pos.qtyF * pos.Last.Float64()
		m.Gross += math.Abs(pos.qtyF * pos.Last.Float64())
		if !unitsOK {
			continue
		}
		if !pos.qtyOK {
			unitsOK, m.Units = false, 0
			continue
		}
		m.Units = c.AddInt64(m.Units, c.MulInt64(pos.qtyI, int64(pos.Last)))
	}
	m.UnitsExact = unitsOK && !c.Overflow()
	return m
}
