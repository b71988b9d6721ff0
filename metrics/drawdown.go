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
	d := NewDrawdownTracker()
	for i, v := range r {
		dd[i] = d.Next(v)
	}
	return dd
}

// DrawdownTracker follows the drawdown of a return series one return at a
// time, for a series made as it goes: Next gives the values of
// [DrawdownSeries].
type DrawdownTracker struct{ w, peak float64 }

// NewDrawdownTracker returns a DrawdownTracker at the starting capital.
func NewDrawdownTracker() DrawdownTracker { return DrawdownTracker{1, 1} }

// Next takes the next return and returns the drawdown after it.
func (d *DrawdownTracker) Next(r float64) float64 {
	d.w, d.peak = wealthStep(d.w, d.peak, r)
	return d.w/d.peak - 1
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

// Wealth summarizes the wealth path of a return series in one pass, so that
// [CumReturnsFinal], [AnnualReturn], [MaxDrawdown], [Calmar],
// [DrawdownBars], [UlcerIndex] and [RecoveryFactor] can all be derived from
// it without reading the series again: each method returns exactly what
// the function of the same name returns for the series.
type Wealth struct {
	// Len is the length of the series, NaN rows included.
	Len int
	// Growth is Π(1+r[i]) over the non-NaN returns, in index order.
	Growth float64
	// MaxDrawdown is MaxDrawdown(r).
	MaxDrawdown float64
	// LongestDrawdownBars and CurrentDrawdownBars are DrawdownBars(r).
	LongestDrawdownBars, CurrentDrawdownBars int
	ulcer                                    float64 // Σ dd², compensated
	sum                                      float64 // Σ r with NaN and ±Inf as 0, compensated
}

// ComputeWealth returns the Wealth of r, reading it once.
func ComputeWealth(r Column) Wealth {
	a := newWealthAcc()
	for ch := range r.Chunks() {
		for _, v := range ch {
			a.step(v)
		}
	}
	return a.result(r.Len())
}

// wealthAcc accumulates ComputeWealth, one return at a time.
type wealthAcc struct {
	w, peak, low     float64
	longest, current int
	ulcer, sum       sum
}

func newWealthAcc() wealthAcc { return wealthAcc{w: 1, peak: 1} }

// step adds the return v and returns the drawdown after it.
func (a *wealthAcc) step(v float64) (dd float64) {
	a.w, a.peak = wealthStep(a.w, a.peak, v)
	dd = a.w/a.peak - 1
	if dd < a.low {
		a.low = dd
	}
	if dd != 0 {
		a.current++
		a.longest = max(a.longest, a.current)
	} else {
		a.current = 0
	}
	a.ulcer.add(dd * dd)
	a.sum.add(prepared(v))
	return dd
}

// result returns the Wealth of the n returns added.
func (a *wealthAcc) result(n int) Wealth {
	wl := Wealth{Len: n, Growth: a.w, MaxDrawdown: math.NaN(), LongestDrawdownBars: a.longest,
		CurrentDrawdownBars: a.current, ulcer: a.ulcer.value(), sum: a.sum.value()}
	if n > 0 {
		wl.MaxDrawdown = a.low
	}
	return wl
}

// CumReturnsFinal returns [CumReturnsFinal] of the series.
func (w Wealth) CumReturnsFinal(start float64) float64 {
	if w.Len == 0 {
		return math.NaN()
	}
	if start == 0 {
		return w.Growth - 1
	}
	return w.Growth * start
}

// AnnualReturn returns [AnnualReturn] of the series.
func (w Wealth) AnnualReturn(P float64) float64 { return annualFrom(w.Growth, w.Len, P) }

// Calmar returns [Calmar] of the series.
func (w Wealth) Calmar(P float64) float64 { return calmarFrom(w.AnnualReturn(P), w.MaxDrawdown) }

// UlcerIndex returns [UlcerIndex] of the series.
func (w Wealth) UlcerIndex() float64 {
	if w.Len < 2 {
		return math.NaN()
	}
	return math.Sqrt(w.ulcer / float64(w.Len-1))
}

// RecoveryFactor returns [RecoveryFactor] of the series.
func (w Wealth) RecoveryFactor(rf float64) float64 {
	if w.MaxDrawdown == 0 || math.IsNaN(w.MaxDrawdown) {
		return math.NaN()
	}
	return math.Abs(w.sum-rf) / math.Abs(w.MaxDrawdown)
}
