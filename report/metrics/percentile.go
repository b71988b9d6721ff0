package metrics

import (
	"math"
	"slices"
)

// Percentile returns the q-th percentile (0 <= q <= 100) of v using numpy's
// default "linear" rule (Hyndman–Fan type 7), reproducing numpy.percentile
// bit for bit for finite input (METRICS.md §1.6): with the values sorted,
// pos = (m-1)·(q/100), lo = ⌊pos⌋ and t = pos-lo, the result is
// v[lo] + (v[lo+1]-v[lo])·t for t < 0.5 and v[lo+1] - (v[lo+1]-v[lo])·(1-t)
// for t >= 0.5. It returns NaN if v is empty, if v contains a NaN (numpy
// propagates NaN) or if q is outside [0, 100] or NaN. v is not modified.
func Percentile(v []float64, q float64) float64 {
	if len(v) == 0 || !(q >= 0 && q <= 100) || hasNaN(v) {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return percentileSorted(s, q)
}

// percentileSorted is Percentile on sorted, NaN-free, non-empty values.
func percentileSorted(s []float64, q float64) float64 {
	m := len(s)
	// numpy divides q by 100 first, then multiplies by (m-1). The explicit
	// conversion rounds pos before t = pos - lo is taken (no FMA).
	pos := float64(float64(m-1) * (q / 100))
	lo := math.Floor(pos)
	i := int(lo)
	if i >= m-1 {
		return s[m-1]
	}
	t := pos - lo
	a, b := s[i], s[i+1]
	diff := b - a
	// numpy's _lerp switches to the upper form at t >= 0.5. The explicit
	// conversions round the products, preventing FMA fusion, as numpy does.
	if t >= 0.5 {
		return b - float64(diff*(1-t))
	}
	return a + float64(diff*t)
}
