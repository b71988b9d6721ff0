package report

import (
	"math"
	"strconv"
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
		f.text = strconv.AppendFloat(f.text[:0], x, 'g', -1, 64)
		f.bits, f.set = bits, true
	}
	return append(b, f.text...)
}
