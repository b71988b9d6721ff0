package metrics

import "math"

// AnnualVolatility returns the annualized volatility std₁(r)·√P, the sample
// standard deviation (ddof = 1) over the non-NaN returns (empyrical
// annual_volatility; METRICS.md §2.5). It is NaN if len(r) < 2 (NaN rows
// counted) or if fewer than two returns are valid, and exactly 0 if all valid
// returns are equal (§1.5).
func AnnualVolatility(r Column, P float64) float64 {
	if r.Len() < 2 {
		return math.NaN()
	}
	_, std := meanStdShift(r, 0, 1)
	return std * math.Sqrt(P)
}

// DownsideRisk returns the annualized downside deviation
// √(mean(dᵢ²))·√P with dᵢ = min(r[i]-mar, 0), where mar is a per-period
// minimum acceptable return and the mean runs over all non-NaN returns, so
// periods above mar contribute 0 but stay in the denominator (empyrical
// downside_risk; METRICS.md §2.9). It is NaN if r is empty or all NaN. For a
// mar series aligned with r, call DownsideRisk(ExcessReturns(r, mar), 0, P).
func DownsideRisk(r Column, mar, P float64) float64 {
	if r.Len() == 0 {
		return math.NaN()
	}
	return downsidePeriod(r, mar) * math.Sqrt(P)
}

// downsidePeriod returns the per-period downside deviation √(mean(dᵢ²)).
func downsidePeriod(r Column, mar float64) float64 {
	var s sum
	n := 0
	for ch := range r.Chunks() {
		for _, v := range ch {
			d := v - mar
			if math.IsNaN(d) {
				continue
			}
			if d > 0 {
				d = 0
			}
			s.add(d * d)
			n++
		}
	}
	return math.Sqrt(s.value() / float64(n))
}

// ValueAtRisk returns the historical value at risk, the 100·cutoff-th
// percentile of r with numpy's linear rule, usually a negative return
// (empyrical value_at_risk, cutoff 0.05 by convention; METRICS.md §2.14).
// It is NaN if r is empty, if r contains a NaN (§1.3, project choice) or if
// cutoff is outside [0, 1]. This is not pyfolio's or quantstats' parametric
// VaR. It is computed by selection, as [Percentile] is.
func ValueAtRisk(r Column, cutoff float64) float64 {
	return Percentile(r, 100*cutoff)
}

// ConditionalValueAtRisk returns the historical expected shortfall: the mean
// of the k+1 smallest returns with k = ⌊(n-1)·cutoff⌋, so at least one return
// is always included (empyrical conditional_value_at_risk; METRICS.md
// §2.15). It is NaN if r is empty, if r contains a NaN (§1.3) or if cutoff is
// outside [0, 1].
//
// It does not sort r. The k-th smallest value x is found by selection in a
// few passes (see [Percentile]); a last pass adds every value below x, and x
// itself as many times as needed to make k+1 terms, into an exactly rounded
// sum (Shewchuk's non-overlapping expansion, as Python's math.fsum), which
// is then divided by k+1. Because the sum is exact before its one rounding,
// the order of the values does not matter and the result is deterministic;
// it can differ from the mean of the sorted values taken with Neumaier
// summation by an ulp. Infinite terms follow IEEE-754 (+Inf and -Inf give
// NaN), and a sum of finite terms that overflows gives ±Inf.
func ConditionalValueAtRisk(r Column, cutoff float64) float64 {
	if r.Len() == 0 || !(cutoff >= 0 && cutoff <= 1) {
		return math.NaN()
	}
	var sel selector
	m, hasNaN := sel.scan(r, false)
	if hasNaN || m == 0 {
		return math.NaN()
	}
	k := int(math.Floor(float64(m-1) * cutoff))
	return shortfall(r, k, sel.find(r, false, []int{k})[0])
}

// shortfall returns the mean of the k+1 smallest values of the NaN-free r,
// given x, the k-th smallest, in one pass and an exact sum.
func shortfall(r Column, k int, x float64) float64 {
	kx := orderKey(x)
	var s exactSum
	below := 0
	for ch := range r.Chunks() {
		for _, v := range ch {
			if orderKey(v) < kx {
				s.add(v)
				below++
			}
		}
	}
	s.addTimes(x, k+1-below)
	return s.value() / float64(k+1)
}

// TailStats are the historical tail-risk figures of one return series.
type TailStats struct {
	// ValueAtRisk is ValueAtRisk(r, cutoff).
	ValueAtRisk float64
	// CVaR is ConditionalValueAtRisk(r, cutoff).
	CVaR float64
	// TailRatio is TailRatio(r).
	TailRatio float64
}

// ComputeTailStats returns [ValueAtRisk], [ConditionalValueAtRisk] and
// [TailRatio] of r, each exactly as its function computes it, finding all
// the order statistics they need in the same passes: one counting pass, the
// selection passes (usually two) and, for CVaR, one summing pass.
func ComputeTailStats(r Column, cutoff float64) TailStats {
	nan := math.NaN()
	ts := TailStats{ValueAtRisk: nan, CVaR: nan, TailRatio: nan}
	if r.Len() == 0 {
		return ts
	}
	var sel selector
	m, hasNaN := sel.scan(r, true)
	if m == 0 {
		return ts
	}
	q := 100 * cutoff
	doVaR := !hasNaN && q >= 0 && q <= 100
	doCVaR := !hasNaN && cutoff >= 0 && cutoff <= 1
	qs := []float64{95, 5}
	if doVaR {
		qs = append(qs, q)
	}
	var ranks []int
	for _, q := range qs {
		ranks = appendPercentileRanks(ranks, m, q)
	}
	var k int
	if doCVaR {
		k = int(math.Floor(float64(m-1) * cutoff))
		ranks = append(ranks, k)
	}
	vals := sel.find(r, true, ranks)
	p := percentilesFrom(vals, m, qs)
	ts.TailRatio = math.Abs(p[0]) / math.Abs(p[1])
	if doVaR {
		ts.ValueAtRisk = p[2]
	}
	if doCVaR {
		ts.CVaR = shortfall(r, k, vals[len(vals)-1])
	}
	return ts
}
