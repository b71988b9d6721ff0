package data

import (
	"math"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// appendBars implements batchSource. Rows already decoded into the
// cursors' buffers are converted a run at a time by appendRun when the
// columns are plain (see plainColumns); every other row, and the first
// row that fails a check, goes through Next, which reports it.
func (r *ParquetReader) appendBars(dst []engine.Bar, n int) ([]engine.Bar, error) {
	for n > 0 {
		if r.plain && r.err == nil && r.i < r.n {
			start := len(dst)
			dst = r.appendRun(dst, min(n, r.n-r.i))
			n -= len(dst) - start
			if n == 0 {
				break
			}
		}
		bar, err := r.Next()
		if err != nil {
			return dst, err
		}
		dst = append(dst, bar)
		n--
	}
	return dst, nil
}

// plainColumns reports whether every column read holds a value in every
// row and converts without text: a TIMESTAMP adjusted to UTC, DECIMAL or
// whole-number prices, and a DOUBLE, FLOAT or whole-number volume or
// none. appendRun converts the rows of such columns.
func (r *ParquetReader) plainColumns() bool {
	if r.split {
		return false
	}
	if c := r.cols[fTime]; c.index < 0 || c.optional || c.kind != pqTimestamp || !c.utc {
		return false
	}
	for _, f := range []field{fOpen, fHigh, fLow, fClose} {
		if c := r.cols[f]; c.index < 0 || c.optional || (c.kind != pqDecimal && c.kind != pqInt) {
			return false
		}
	}
	if c := r.cols[fVolume]; c.index >= 0 && (c.optional || (c.kind != pqFloat && c.kind != pqInt)) {
		return false
	}
	return true
}

// appendRun converts up to k rows from the cursors' buffers, as Next
// does one by one, and appends their bars to dst. It stops before the
// first row that fails a check, which it leaves for Next to report. The
// columns must be plain (see plainColumns).
func (r *ParquetReader) appendRun(dst []engine.Bar, k int) []engine.Bar {
	tc := &r.cols[fTime]
	unit := int64(tc.unit)
	times := r.cur[fTime].ints
	var prices [4][]int64
	var scales [4]int32
	for j, f := range []field{fOpen, fHigh, fLow, fClose} {
		prices[j] = r.cur[f].ints
		if r.cols[f].kind == pqDecimal {
			scales[j] = r.cols[f].scale
		}
	}
	vc := &r.cols[fVolume]
	for end := r.i + k; r.i < end; r.i++ {
		i := r.i
		n := times[i]
		if n > math.MaxInt64/unit || n < math.MinInt64/unit {
			break
		}
		t := r.inZone(i, time.Unix(0, n*unit))
		var p [4]engine.Price
		ok := true
		for j := range p {
			v, exact := scaleInt(prices[j][i], scales[j])
			if !exact || v <= 0 || v > int64(engine.MaxPrice) {
				ok = false
				break
			}
			p[j] = engine.Price(v)
		}
		if !ok {
			break
		}
		var vol float64
		if vc.index >= 0 {
			if vc.kind == pqInt {
				vol = float64(r.cur[fVolume].ints[i])
			} else {
				vol = r.cur[fVolume].floats[i]
			}
			if math.IsNaN(vol) || math.IsInf(vol, 0) || vol < 0 {
				break
			}
		}
		o, h, l, c := p[0], p[1], p[2], p[3]
		if _, err := checkOHLC(o, h, l, c); err != nil {
			break
		}
		if r.hasPrev && !t.After(r.prev) {
			break
		}
		r.row++
		r.bars++
		r.hasPrev, r.prev, r.prevRow = true, t, r.row
		dst = append(dst, engine.Bar{Symbol: r.symbol, Time: t, Open: o, High: h, Low: l, Close: c, Volume: vol})
	}
	return dst
}
