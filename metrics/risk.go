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
	a := downAcc{mar: mar}
	for ch := range r.Chunks() {
		for _, v := range ch {
			a.step(v)
		}
	}
	return a.result()
}

// downAcc accumulates downsidePeriod, one return at a time.
type downAcc struct {
	mar float64
	s   sum
	n   int
}

// step adds the return v.
func (a *downAcc) step(v float64) {
	d := v - a.mar
	if math.IsNaN(d) {
		return
	}
	if d > 0 {
		d = 0
	}
	a.s.add(d * d)
	a.n++
}

// result returns the per-period downside deviation.
func (a *downAcc) result() float64 { return math.Sqrt(a.s.value() / float64(a.n)) }

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
	return shortfall(r, k, sel.find(r, []int{k})[0])
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
// selection passes (none for at most 65536 values, usually two past that)
// and, for CVaR, one summing pass.
func ComputeTailStats(r Column, cutoff float64) TailStats {
	var sel selector
	sel.scan(r, true)
	p, ok := planTail(&sel, r.Len(), cutoff)
	if !ok {
		return p.none()
	}
	sel.start(p.ranks)
	return p.result(r, sel.resume(r))
}

// tailPlan is the order statistics that ComputeTailStats needs.
type tailPlan struct {
	m             int       // number of non-NaN values
	qs            []float64 // percentiles: 95, 5 and, if doVaR, 100·cutoff
	ranks         []int     // the order statistics of qs, then CVaR's k
	doVaR, doCVaR bool
	k             int
}

// planTail returns the order statistics to find for ComputeTailStats of a
// column of length n, given the selector that has scanned it with skipNaN;
// false means there is nothing to find and every result is NaN.
func planTail(sel *selector, n int, cutoff float64) (tailPlan, bool) {
	p := tailPlan{m: sel.m}
	if n == 0 || p.m == 0 {
		return p, false
	}
	q := 100 * cutoff
	p.doVaR = !sel.hasNaN && q >= 0 && q <= 100
	p.doCVaR = !sel.hasNaN && cutoff >= 0 && cutoff <= 1
	p.qs = []float64{95, 5}
	if p.doVaR {
		p.qs = append(p.qs, q)
	}
	for _, q := range p.qs {
		p.ranks = appendPercentileRanks(p.ranks, p.m, q)
	}
	if p.doCVaR {
		p.k = int(math.Floor(float64(p.m-1) * cutoff))
		p.ranks = append(p.ranks, p.k)
	}
	return p, true
}

// none is the TailStats when there is nothing to find.
func (p tailPlan) none() TailStats {
	nan := math.NaN()
	return TailStats{ValueAtRisk: nan, CVaR: nan, TailRatio: nan}
}

// result returns the TailStats from the values of p.ranks, reading r once
// more for CVaR.
func (p tailPlan) result(r Column, vals []float64) TailStats {
	ts := p.none()
	q := percentilesFrom(vals, p.m, p.qs)
	ts.TailRatio = math.Abs(q[0]) / math.Abs(q[1])
	if p.doVaR {
		ts.ValueAtRisk = q[2]
	}
	if p.doCVaR {
		ts.CVaR = shortfall(r, p.k, vals[len(vals)-1])
	}
	return ts
}
