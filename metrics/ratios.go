package metrics

import "math"

// Sharpe returns the annualized Sharpe ratio mean(x)/std₁(x)·√P of the excess
// returns x = r - rf, where rf is a constant per-period risk-free rate and
// NaN returns are skipped (empyrical sharpe_ratio; METRICS.md §2.6). It is NaN
// if len(r) < 2 (NaN rows counted). A zero standard deviation, including the
// all-equal case of §1.5, gives ±Inf, or NaN when the mean is 0. For a rate
// series aligned with r, call Sharpe(ExcessReturns(r, rf), 0, P); an annual
// rate must first be converted to a per-period one by the caller.
func Sharpe(r Column, rf, P float64) float64 {
	if r.Len() < 2 {
		return math.NaN()
	}
	mean, std := meanStdShift(r, rf, 1)
	return mean / std * math.Sqrt(P)
}

// Sortino returns the annualized Sortino ratio
// (mean(r-mar)·P) / DownsideRisk(r, mar, P), where mar is a constant
// per-period minimum acceptable return and NaN returns are skipped (empyrical
// sortino_ratio; METRICS.md §2.10). It is NaN if len(r) < 2 (NaN rows
// counted). With no return below mar the downside risk is 0 and the result is
// ±Inf, or NaN when the mean excess return is 0 (empyrical, not quantstats).
// For a mar series aligned with r, call Sortino(ExcessReturns(r, mar), 0, P).
func Sortino(r Column, mar, P float64) float64 {
	if r.Len() < 2 {
		return math.NaN()
	}
	mean, _, _ := meanShift(r, mar)
	return mean * P / (downsidePeriod(r, mar) * math.Sqrt(P))
}

// Calmar returns the Calmar ratio AnnualReturn(r, P) / |MaxDrawdown(r)|
// (empyrical calmar_ratio; METRICS.md §2.8). It is NaN unless the maximum
// drawdown is negative, and NaN if the ratio is ±Inf.
func Calmar(r Column, P float64) float64 {
	mdd := MaxDrawdown(r)
	if !(mdd < 0) {
		return math.NaN()
	}
	return calmarFrom(AnnualReturn(r, P), mdd)
}

// calmarFrom is Calmar from the annual return and the maximum drawdown.
func calmarFrom(annual, mdd float64) float64 {
	if !(mdd < 0) {
		return math.NaN()
	}
	c := annual / math.Abs(mdd)
	if math.IsInf(c, 0) {
		return math.NaN()
	}
	return c
}

// Omega returns the Omega ratio Σ_{y>0} y / (-Σ_{y<0} y) of
// y = r - rf - τ, where rf is a constant per-period rate and τ is the annual
// requiredReturn de-annualized as (1+requiredReturn)^(1/P) - 1, or used as is
// when P == 1 (empyrical omega_ratio; METRICS.md §2.11). NaN returns are
// skipped. It is NaN if len(r) < 2 (NaN rows counted), if P != 1 and
// requiredReturn <= -1, or if the denominator is not positive.
func Omega(r Column, rf, requiredReturn, P float64) float64 {
	tau, ok := omegaThreshold(requiredReturn, P)
	if r.Len() < 2 || !ok {
		return math.NaN()
	}
	a := omegaAcc{rf: rf, tau: tau}
	for ch := range r.Chunks() {
		for _, v := range ch {
			a.step(v)
		}
	}
	return a.result()
}

// omegaThreshold returns Omega's per-period threshold τ, or false if
// requiredReturn makes the ratio NaN.
func omegaThreshold(requiredReturn, P float64) (tau float64, ok bool) {
	switch {
	case P == 1:
		return requiredReturn, true
	case requiredReturn <= -1:
		return 0, false
	default:
		return PeriodRate(requiredReturn, P), true
	}
}

// omegaAcc accumulates Omega, one return at a time.
type omegaAcc struct {
	rf, tau    float64
	gain, loss sum
}

// step adds the return v.
func (a *omegaAcc) step(v float64) {
	y := v - a.rf - a.tau
	switch {
	case y > 0:
		a.gain.add(y)
	case y < 0:
		a.loss.add(y)
	}
}

// result returns the ratio.
func (a *omegaAcc) result() float64 {
	denom := -a.loss.value()
	if !(denom > 0) {
		return math.NaN()
	}
	return a.gain.value() / denom
}

// TailRatio returns |pct95(r)| / |pct5(r)| over the non-NaN returns, with
// numpy-linear percentiles (empyrical tail_ratio; METRICS.md §2.12). It is
// NaN if no return is valid, and +Inf when the 5th percentile is 0
// (empyrical, not quantstats). The four order statistics are found together
// by selection in a few passes over r (see [Percentile]).
func TailRatio(r Column) float64 {
	q, ok := percentiles(r, true, 95, 5)
	if !ok {
		return math.NaN()
	}
	return math.Abs(q[0]) / math.Abs(q[1])
}

// Stability returns the stability of the cumulative log returns: the R² (ρ²)
// of an ordinary least squares fit of c[k] = Σ_{i<=k} ln(1+r[i]) against
// k = 0..m-1 over the non-NaN returns, re-indexed after the NaNs are dropped
// (empyrical stability_of_timeseries via scipy.stats.linregress; METRICS.md
// §2.13). ρ is computed from population moments, is 0 when either variance
// is 0 (scipy's rule), and is clamped to [-1, 1]. It is NaN if len(r) < 2
// (NaN rows counted) or if no return is valid.
//
// It reads r twice and stores nothing: c[k] is a compensated running sum,
// recomputed identically in each pass.
func Stability(r Column) float64 {
	if r.Len() < 2 {
		return math.NaN()
	}
	var a stabilityAcc
	for ch := range r.Chunks() {
		for _, v := range ch {
			a.step1(v)
		}
	}
	if !a.start2() {
		return math.NaN()
	}
	for ch := range r.Chunks() {
		for _, v := range ch {
			a.step2(v)
		}
	}
	return a.result()
}

// stabilityAcc accumulates Stability over its two passes, one return at a
// time: step1 for every return of the first pass, start2 between the
// passes, step2 for every return of the second.
type stabilityAcc struct {
	// Pass 1: m, and the mean of the non-NaN c[k] and whether they are
	// all equal, exactly as meanShift computes them on a stored c.
	run, cs       sum
	m, cCount     int
	first         float64
	cDiff         bool
	cMean         float64
	xMean         float64
	k             int
	sxx, scc, sxc sum
}

// step1 adds v in the first pass.
func (a *stabilityAcc) step1(v float64) {
	if math.IsNaN(v) {
		return
	}
	a.m++
	a.run.add(math.Log1p(v))
	c := a.run.value()
	if math.IsNaN(c) {
		return
	}
	if a.cCount == 0 {
		a.first = c
	} else if c != a.first {
		a.cDiff = true
	}
	a.cs.add(c)
	a.cCount++
}

// start2 prepares the second pass; it returns false, and the result is NaN,
// if no return is valid.
func (a *stabilityAcc) start2() bool {
	if a.m == 0 {
		return false
	}
	a.cMean = a.cs.value() / float64(a.cCount)
	a.xMean = float64(float64(a.m-1) / 2) // rounded: no FMA with the subtraction below
	a.run = sum{}
	return true
}

// step2 adds v in the second pass: the centred sums, with c recomputed the
// same way.
func (a *stabilityAcc) step2(v float64) {
	if math.IsNaN(v) {
		return
	}
	a.run.add(math.Log1p(v))
	dx := float64(a.k) - a.xMean
	dc := a.run.value() - a.cMean
	a.sxx.add(dx * dx)
	a.scc.add(dc * dc)
	a.sxc.add(dx * dc)
	a.k++
}

// result returns ρ².
func (a *stabilityAcc) result() float64 {
	fm := float64(a.m)
	vx, vc, cov := a.sxx.value()/fm, a.scc.value()/fm, a.sxc.value()/fm
	cEqual := !a.cDiff && a.cCount > 0 && !math.IsInf(a.first, 0)
	if cEqual {
		vc = 0
	}
	var rho float64
	if vx != 0 && vc != 0 {
		rho = max(-1, min(1, cov/math.Sqrt(vx*vc)))
	}
	return rho * rho
}
