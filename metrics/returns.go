package metrics

import "math"

// SimpleReturns returns the simple returns r[t] = equity[t+1]/equity[t] - 1 of
// an equity curve, one fewer than there are equity points (empyrical
// simple_returns; METRICS.md §1.1). A previous equity of 0 gives ±Inf, or NaN
// for 0/0; no value is substituted. Fewer than two points give an empty slice.
func SimpleReturns(equity []float64) []float64 {
	if len(equity) < 2 {
		return []float64{}
	}
	r := make([]float64, len(equity)-1)
	for i := range r {
		r[i] = equity[i+1]/equity[i] - 1
	}
	return r
}

// SimpleReturnsFrom returns one simple return per equity point, measured from
// the starting capital start: r[0] = equity[0]/start - 1 and r[t] =
// equity[t]/equity[t-1] - 1. This is the engine rule of METRICS.md §1.1, under
// which a loss on the first bar is a drawdown. Empty input gives an empty
// slice; division follows IEEE-754 as in [SimpleReturns].
func SimpleReturnsFrom(start float64, equity []float64) []float64 {
	r := make([]float64, len(equity))
	prev := start
	for i, e := range equity {
		r[i] = e/prev - 1
		prev = e
	}
	return r
}

// ExcessReturns returns r[i] - rf[i]. Passing its result with a zero constant
// rate to [Sharpe], [Sortino] or [DownsideRisk] gives the variants of those
// metrics with a rate series aligned by date (METRICS.md §2.6, §2.9);
// [ExcessSharpe] uses it with the benchmark. A NaN in either series gives a
// NaN row. It panics if the lengths differ.
func ExcessReturns(r, rf []float64) []float64 {
	mustSameLen(r, rf)
	out := make([]float64, len(r))
	for i, v := range r {
		out[i] = v - rf[i]
	}
	return out
}

// CumReturns returns the cumulative returns W[t]-1 when start is 0, or the
// wealth start·W[t] otherwise, where W[t] is the product of 1+r[i] for i <= t
// (empyrical cum_returns; METRICS.md §2.1). NaN counts as a zero return.
// Empty input gives an empty slice.
func CumReturns(r []float64, start float64) []float64 {
	out := make([]float64, len(r))
	w := 1.0
	for i, v := range r {
		if !math.IsNaN(v) {
			w *= 1 + v
		}
		if start == 0 {
			out[i] = w - 1
		} else {
			out[i] = w * start
		}
	}
	return out
}

// CumReturnsFinal returns the total compounded return Π(1+r[i]) - 1 when
// start is 0, or start·Π(1+r[i]) otherwise (empyrical cum_returns_final;
// METRICS.md §2.2). NaN values are skipped; empty input gives NaN.
func CumReturnsFinal(r Column, start float64) float64 {
	if r.Len() == 0 {
		return math.NaN()
	}
	w := compound(r)
	if start == 0 {
		return w - 1
	}
	return w * start
}

// compound returns Π(1+r[i]) over the non-NaN r[i], in index order.
func compound(r Column) float64 {
	w := 1.0
	for ch := range r.Chunks() {
		for _, v := range ch {
			if !math.IsNaN(v) {
				w *= 1 + v
			}
		}
	}
	return w
}

// AnnualReturn returns the compound annual growth rate
// Π(1+r[i])^(1/years) - 1 with years = len(r)/P, where len(r) counts NaN rows
// and the product skips them (empyrical annual_return; METRICS.md §2.4,
// §1.3). Empty input gives NaN, and so does a negative final wealth with a
// fractional exponent.
func AnnualReturn(r Column, P float64) float64 {
	if r.Len() == 0 {
		return math.NaN()
	}
	return annualFrom(compound(r), r.Len(), P)
}

// annualFrom returns w^(1/years) - 1 with years = n/P, the annual return of
// n returns whose compounded wealth is w, or NaN if n is 0.
func annualFrom(w float64, n int, P float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	// empyrical computes num_years = len/P and raises to 1/num_years; doing
	// the same keeps the rounding of the exponent identical.
	years := float64(n) / P
	return math.Pow(w, 1/years) - 1
}

// CAGR is an alias of [AnnualReturn] (empyrical cagr; METRICS.md §2.4).
func CAGR(r Column, P float64) float64 {
	return AnnualReturn(r, P)
}
