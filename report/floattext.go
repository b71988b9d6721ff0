package report

import (
	"math"
	"strconv"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/internal/equity"
)

// floatText writes float64s as strconv.AppendFloat(b, x, 'g', -1, 64)
// does, the shortest text that reads back to x, and keeps the text of the
// last value it wrote: a column whose value repeats from one row to the
// next (the drawdown while the equity stays at its peak or does not move,
// the benchmark on days it does not trade) copies the bytes instead of
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
		var ok bool
		if f.text, ok = appendWhole(f.text[:0], x); !ok {
			f.text = strconv.AppendFloat(f.text[:0], x, 'g', -1, 64)
		}
		f.bits, f.set = bits, true
	}
	return append(b, f.text...)
}

// appendWhole appends strconv.AppendFloat(b, x, 'g', -1, 64) for a whole
// number x, 0 < |x| ≤ 1e15 (a benchmark's value on a round price), and
// reports whether x was one. Such an x is an integer below 2^53, exact in
// float64, and the shortest digits that read back to it are its own
// without the trailing zeros: a number with fewer digits differs from x
// by at least 1, and within 2^53 an ulp is at most 1, so it reads back
// to another float64, and so does another number of as many digits. As
// strconv does for the shortest digits of 'g', the text is the integer
// when its exponent is below 6, else the digits as d.ddde+XX.
func appendWhole(b []byte, x float64) ([]byte, bool) {
	if !(x >= -1e15 && x <= 1e15) || x == 0 || x != math.Trunc(x) {
		return b, false
	}
	if x < 0 {
		b = append(b, '-')
		x = -x
	}
	var d [16]byte
	i := len(d)
	for n := uint64(x); n > 0; n /= 10 {
		i--
		d[i] = byte('0' + n%10)
	}
	digits := d[i:]
	exp := len(digits) - 1
	if exp < 6 {
		return append(b, digits...), true
	}
	nd := len(digits)
	for digits[nd-1] == '0' {
		nd--
	}
	b = append(b, digits[0])
	if nd > 1 {
		b = append(b, '.')
		b = append(b, digits[1:nd]...)
	}
	return append(b, 'e', '+', byte('0'+exp/10), byte('0'+exp%10)), true
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
