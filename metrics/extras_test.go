package metrics_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

// UpDownCaptureRatio on METRICS.md §8's series. Up rows (b > 0) are 0, 2,
// 4, 5: r wealth 1.02·1.03·1·1.01, b wealth 1.01·1.02·1.002·1.004, each
// raised to 252/4; down rows are 1 and 3: r wealth 0.99·0.98, b wealth
// 0.995·0.99, raised to 252/2. The expected values are those growth rates
// recomputed in Python, row by row.
func TestUpDownCaptureRatio(t *testing.T) {
	r, b := metrics.Slice(exR), metrics.Slice(exB)
	checkClose(t, "up capture", metrics.UpCapture(r, b, 252), 4.815670636840935, tol)
	checkClose(t, "down capture", metrics.DownCapture(r, b, 252), 1.150300078888413, tol)
	checkClose(t, "up/down capture", metrics.UpDownCaptureRatio(r, b, 252), 4.186447280343174, tol)

	tests := []struct {
		name string
		r, b []float64
		want float64
	}{
		// No down rows: the down capture is NaN, and so is the ratio.
		{"no down rows", []float64{0.01, 0.02}, []float64{0.01, 0.01}, nan},
		// A strategy flat in down markets: its down growth rate 0 over the
		// benchmark's negative one is -0, so the ratio is -Inf (IEEE
		// division, as numpy gives for empyrical).
		{"flat in down markets", []float64{0.02, 0, 0.01}, []float64{0.01, -0.01, 0.02}, math.Inf(-1)},
		// A NaN or zero benchmark row is in neither side: the same as
		// without those rows.
		{"NaN and zero benchmark rows", []float64{0.02, 0.5, -0.01, 0.7}, []float64{0.01, 0, -0.02, nan},
			metrics.UpDownCaptureRatio(metrics.Slice{0.02, -0.01}, metrics.Slice{0.01, -0.02}, 252)},
	}
	for _, tc := range tests {
		checkSame(t, tc.name, metrics.UpDownCaptureRatio(metrics.Slice(tc.r), metrics.Slice(tc.b), 252), tc.want)
	}

	// The rolling form through RollingPair: each value is the ratio of its
	// window.
	rr := randomReturns(11, 60, 0.001, 0.02)
	bb := randomReturns(12, 60, 0.0005, 0.015)
	ratio := func(x, y metrics.Column) float64 { return metrics.UpDownCaptureRatio(x, y, 252) }
	for i, v := range metrics.RollingPair(rr, bb, 20, ratio) {
		checkSame(t, "rolling up/down capture", v, ratio(metrics.Slice(rr[i:i+20]), metrics.Slice(bb[i:i+20])))
	}
}

func TestBetaFragilityHeuristic(t *testing.T) {
	negZero := math.Copysign(0, -1)
	tests := []struct {
		name string
		r, b []float64
		want float64
	}{
		// Sorted by b: (-0.01, 0.03), (0, 0.02), (0.01, -0.02), (0.02,
		// 0.01), (0.03, 0); the middle is position round(5/2) = 2 (half to
		// even), b_c = 0.01. Weights (0.01+0.01)/0.04 = 0.5 and
		// (0.03-0.01)/0.04 = 0.5: H = 0.5·0.03 + 0.5·0 - (-0.02) = 0.035.
		{"distinct", []float64{0.01, 0.03, -0.02, 0, 0.02}, []float64{0.02, -0.01, 0.01, 0.03, 0}, 0.035},
		// Equal lowest and highest benchmarks: the first of the lowest
		// (r 0.2) and the last of the highest (r 0.5) are taken, as a
		// stable sort orders them; middle row 0 (b 0.01, r 0.1).
		// H = 0.5·0.2 + 0.5·0.5 - 0.1 = 0.25.
		{"ties at the ends", []float64{0.1, 0.2, 0.3, 0.4, 0.5}, []float64{0.01, -0.01, -0.01, 0.03, 0.03}, 0.25},
		// -0 ties with +0 in row order, and rows with a NaN on either
		// side are dropped. Valid rows sorted: (-0.02, 0.4), (0, 0.2),
		// (-0, 0.6), (0.01, 0.1), (0.02, 0.5); the middle (position 2) is
		// the -0 row, r 0.6. Weights 0.02/0.04 and 0.02/0.04:
		// H = 0.5·0.4 + 0.5·0.5 - 0.6 = -0.15.
		{"signed zeros and NaN rows", []float64{0.2, 0.4, 9, 0.6, nan, 0.5, 0.1},
			[]float64{0, -0.02, nan, negZero, 0.03, 0.02, 0.01}, -0.15},
		// A constant benchmark has no range: weights 1/2 each; m = 3 gives
		// the middle position round(1.5) = 2, the last row.
		// H = 0.5·0.1 + 0.5·0.4 - 0.4 = -0.15.
		{"constant benchmark", []float64{0.1, 0.2, 0.4}, []float64{0.01, 0.01, 0.01}, -0.15},
		// One valid row is start, middle and end: 0.5·r + 0.5·r - r = 0.
		{"one valid row", []float64{0.3, nan, 0.1}, []float64{nan, 0.2, 0.05}, 0},
		{"all rows NaN", []float64{nan, 0.1, nan}, []float64{0.1, nan, nan}, nan},
		{"fewer than three rows", []float64{0.1, 0.2}, []float64{0.01, 0.02}, nan},
	}
	for _, tc := range tests {
		checkClose(t, tc.name, metrics.BetaFragilityHeuristic(metrics.Slice(tc.r), metrics.Slice(tc.b)), tc.want, 1e-15)
	}

	// A long series over many chunks with many tied benchmark values,
	// against a direct recomputation: sort the valid rows stably by
	// benchmark and pick the rows by position.
	rng := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{3, 4, 7, 100, 3*metrics.ChunkLen + 11} {
		r, b := make([]float64, n), make([]float64, n)
		for i := range r {
			r[i] = rng.NormFloat64() / 100
			b[i] = float64(rng.IntN(41)-20) / 1000 // ties on a grid
			switch rng.IntN(20) {
			case 0:
				r[i] = nan
			case 1:
				b[i] = nan
			}
		}
		checkClose(t, "random", metrics.BetaFragilityHeuristic(metrics.Slice(r), metrics.Slice(b)), fragilityBySort(r, b), 1e-15)
	}
}

// fragilityBySort is the beta fragility heuristic by sorting the valid rows.
func fragilityBySort(r, b []float64) float64 {
	type row struct{ r, b float64 }
	var rows []row
	for i := range r {
		if !math.IsNaN(r[i]) && !math.IsNaN(b[i]) {
			rows = append(rows, row{r[i], b[i]})
		}
	}
	if len(rows) == 0 {
		return nan
	}
	slices.SortStableFunc(rows, func(x, y row) int {
		switch {
		case x.b < y.b:
			return -1
		case x.b > y.b:
			return 1
		}
		return 0
	})
	mid := int(math.RoundToEven(float64(len(rows)) / 2))
	s, c, e := rows[0], rows[mid], rows[len(rows)-1]
	ws, we := 0.5, 0.5
	if e.b != s.b {
		ws, we = (c.b-s.b)/(e.b-s.b), (e.b-c.b)/(e.b-s.b)
	}
	return ws*s.r + we*e.r - c.r
}

func TestExpectedReturn(t *testing.T) {
	tests := []struct {
		name string
		r    []float64
		want float64
	}{
		// METRICS.md §8: wealth 1.0294850412 over 6 periods.
		{"worked example", exR, math.Pow(1.0294850412, 1.0/6) - 1},
		// NaN and ±Inf count as flat periods: 1.1·1·1·0.5 over 4 periods.
		{"NaN and Inf are flat periods", []float64{0.1, nan, inf, -0.5}, math.Pow(0.55, 0.25) - 1},
		{"total loss", []float64{-1, 0.5}, -1},
		{"negative wealth", []float64{-2, 0.1}, nan},
		{"empty", nil, nan},
	}
	for _, tc := range tests {
		checkClose(t, tc.name, metrics.ExpectedReturn(metrics.Slice(tc.r)), tc.want, 1e-15)
	}
	// With finite returns it is the annual return with one period a year.
	r := metrics.Slice(randomReturns(13, 500, 0.001, 0.02))
	checkSame(t, "AnnualReturn(r, 1)", metrics.ExpectedReturn(r), metrics.AnnualReturn(r, 1))
}
