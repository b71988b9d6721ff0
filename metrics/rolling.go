package metrics

// Rolling applies f to each window of w consecutive values of r and returns
// the n-w+1 results, the i-th for the window ending at index i+w-1
// (METRICS.md §2.20). Because f is the unchanged metric, every guard and NaN
// rule applies inside the window. Like empyrical's vectorized rollers
// (roll_sharpe_ratio, roll_max_drawdown, …), a window longer than r is
// clamped to len(r), giving one value; empty r gives an empty slice. Unlike
// pyfolio's pandas windows there is no leading NaN padding.
//
// r stays a slice, since the output has one value per window anyway. f
// receives each window as a [Slice] of r, so any metric of this package that
// takes a Column can be passed directly; f must not modify its elements.
// It panics if w < 1.
//
// For example, Rolling(r, 63, func(x Column) float64 { return Sharpe(x, 0, Daily) })
// is a rolling 63-day Sharpe ratio, and Rolling(r, 63, MaxDrawdown) a rolling
// maximum drawdown.
func Rolling(r []float64, w int, f func(Column) float64) []float64 {
	if w < 1 {
		panic("metrics: window must be positive")
	}
	w = min(w, len(r))
	if len(r) == 0 {
		return []float64{}
	}
	out := make([]float64, len(r)-w+1)
	for i := range out {
		out[i] = f(Slice(r[i : i+w : i+w]))
	}
	return out
}

// RollingPair is [Rolling] for metrics of two aligned series, such as a
// strategy and its benchmark: f receives the same window of r and b. A window
// longer than the series is clamped as empyrical's roll_alpha and roll_beta
// do; empyrical's roll_*_capture family instead returns nothing when w > n,
// so callers reproducing it should check w <= len(r) first. f receives the
// windows as [Slice] values. It panics if w < 1 or if the lengths differ.
func RollingPair(r, b []float64, w int, f func(r, b Column) float64) []float64 {
	mustSameLen(r, b)
	if w < 1 {
		panic("metrics: window must be positive")
	}
	w = min(w, len(r))
	if len(r) == 0 {
		return []float64{}
	}
	out := make([]float64, len(r)-w+1)
	for i := range out {
		out[i] = f(Slice(r[i:i+w:i+w]), Slice(b[i:i+w:i+w]))
	}
	return out
}

// RollingAt is [Rolling] for a Column read once, evaluated only at chosen
// windows: it returns f of the window of the w values of r ending at each
// index of ends, in the order of ends. Each result is exactly f of that
// window's values (for example, with f a closure over [Sharpe], every guard
// and the zero-volatility rule of METRICS.md §1.5 apply inside the window).
// It holds the last w values of r in memory, not r, and costs
// O(len(r) + len(ends)·(w + cost of f)), so a chart can sample a long
// series at a bounded number of windows.
//
// f receives each window as a [Slice] of a buffer reused across calls; it
// must not modify or keep it. ends must be strictly increasing, each in
// [w-1, r.Len()-1]; nil or empty ends give an empty result. It panics if
// w < 1 or if ends breaks those rules.
func RollingAt(r Column, w int, ends []int, f func(Column) float64) []float64 {
	if w < 1 {
		panic("metrics: window must be positive")
	}
	for k, e := range ends {
		if e < w-1 || e >= r.Len() || (k > 0 && e <= ends[k-1]) {
			panic("metrics: window ends must increase within the series")
		}
	}
	out := make([]float64, 0, len(ends))
	if len(ends) == 0 {
		return out
	}
	ring := make([]float64, w) // value i at i%w
	window := make([]float64, w)
	i := 0
	for ch := range r.Chunks() {
		for _, v := range ch {
			ring[i%w] = v
			if i == ends[len(out)] {
				// The oldest value of the window is at (i+1)%w.
				n := copy(window, ring[(i+1)%w:])
				copy(window[n:], ring[:(i+1)%w])
				out = append(out, f(Slice(window)))
				if len(out) == len(ends) {
					return out
				}
			}
			i++
		}
	}
	return out
}
