package report

import (
	"math"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/internal/equity"
	"github.com/quantloop/quantloop/internal/ftoa"
)

// floatText writes float64s as strconv.AppendFloat(b, x, 'g', -1, 64)
// does, the shortest text that reads back to x, by ftoa.AppendFloat64
// (the same bytes in less time), and keeps the text of the last value it
// wrote: a column whose value repeats from one row to the next (the
// drawdown while the equity stays at its peak or does not move, the
// benchmark on days it does not trade) copies the bytes instead of
// formatting again. The text depends only on x's bits, so the copy is
// exact.
type floatText struct {
	bits uint64
	text []byte
	set  bool
}

// append appends the text of x to b.
func (f *floatText) append(b []byte, x float64) []byte {
	bits := math.Float64bits(x)
	if !f.set || bits != f.bits {
		f.text = ftoa.AppendFloat64(f.text[:0], x)
		f.bits, f.set = bits, true
	}
	return append(b, f.text...)
}

// cashText writes the cash of equity points as equity.AppendCash does,
// and keeps the text of the last cash exact in Price units: the cash
// stays the same from one row to the next until a trade, so the row
// copies the bytes instead of formatting again. The text of an exact
// cash depends only on its units, so the copy is exact.
type cashText struct {
	units int64
	text  []byte
	set   bool
}

// append appends the text of p's cash to b.
func (c *cashText) append(b []byte, p *backtest.EquityPoint) []byte {
	u, exact := equity.CashUnits(p)
	if !exact {
		return equity.AppendCash(b, p)
	}
	if !c.set || u != c.units {
		c.text = equity.AppendCash(c.text[:0], p)
		c.units, c.set = u, true
	}
	return append(b, c.text...)
}
