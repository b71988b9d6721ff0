package metrics

import "math"

// DrawdownSeries returns the drawdown dd[t] = W[t]/peak[t] - 1 after each
// return, one value per bar, where W is the wealth path started at a leading
// 1.0 (the starting capital) and peak[t] is the running maximum of W
// including that leading 1.0 (empyrical-reloaded drawdown_series;
// METRICS.md §2.7). So a loss on the first bar is already a drawdown. The
// baseline itself (drawdown 0) is not part of the output. NaN counts as a
// zero return. Empty input gives an empty slice.
func DrawdownSeries(r []float64) []float64 {
	dd := make([]float64, len(r))
	w, peak := 1.0, 1.0
	for i, v := range r {
		w, peak = wealthStep(w, peak, v)
		dd[i] = w/peak - 1
	}
	return dd
}

// MaxDrawdown returns the most negative value of the drawdown series, which
// is ≤ 0, or 0 for a series that never falls below its running peak
// (empyrical max_drawdown; METRICS.md §2.7). NaN counts as a zero return,
// a NaN drawdown (from infinite returns) is skipped, and empty input gives
// NaN.
func MaxDrawdown(r Column) float64 {
	if r.Len() == 0 {
		return math.NaN()
	}
	w, peak, low := 1.0, 1.0, 0.0
	for ch := range r.Chunks() {
		for _, v := range ch {
			w, peak = wealthStep(w, peak, v)
			if dd := w/peak - 1; dd < low {
				low = dd
			}
		}
	}
	return low
}

// wealthStep compounds the wealth w by the return v (NaN counts as 0) and
// updates the running peak, ignoring a NaN wealth like numpy's fmax.
func wealthStep(w, peak, v float64) (float64, float64) {
	if !math.IsNaN(v) {
		w *= 1 + v
	}
	if w > peak {
		peak = w
	}
	return w, peak
}
