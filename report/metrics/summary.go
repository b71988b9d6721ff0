package metrics

import "math"

// Summary is the set of single-series metrics of a return series that a
// report shows, computed together by [Summarize]. Every field is exactly
// what the function named in its comment returns for the series.
type Summary struct {
	// Wealth is ComputeWealth(r): total and annual return, maximum
	// drawdown, Calmar, drawdown bars, ulcer index and recovery factor.
	Wealth Wealth
	// Moments is ComputeMoments(r): volatility, skew, kurtosis.
	Moments Moments
	// ExcessMoments is ComputeMoments(Shift(r, rf)): Sharpe(r, rf, P),
	// Sortino(r, rf, P) (with DownsideRisk) and the probabilistic and
	// deflated Sharpe ratios of the excess returns.
	ExcessMoments Moments
	// DownsideRisk is DownsideRisk(r, rf, P).
	DownsideRisk float64
	// Omega is Omega(r, rf, 0, P).
	Omega float64
	// Stability is Stability(r).
	Stability float64
	// Tail is ComputeTailStats(r, cutoff).
	Tail TailStats
	// PeriodStats is ComputePeriodStats(r).
	PeriodStats PeriodStats
	// TopDrawdowns is TopDrawdowns(r, top).
	TopDrawdowns []Drawdown
	// Best and Worst are the largest and the smallest non-NaN returns, NaN
	// if there is none.
	Best, Worst float64
}

// Summarize computes the Summary of r for the constant per-period rate rf,
// P periods per year, the tail cutoff (0.05 by convention) and the top
// drawdowns. The computations of the functions that the fields name are
// fused, so r is read three times in all (a few more only when the order
// statistics need extra selection passes, see [Percentile]), where calling
// the functions one by one reads it about fifteen times; the per-value work
// is the same, and so is every result, bit for bit.
func Summarize(r Column, rf, P, cutoff float64, top int) Summary {
	n := r.Len()
	nan := math.NaN()
	sm := Summary{DownsideRisk: nan, Omega: nan, Stability: nan, Best: nan, Worst: nan}
	var (
		per    periodAcc
		wealth = newWealthAcc()
		mr, mx meanAcc
		down   = downAcc{mar: rf}
		omega  = omegaAcc{rf: rf}
		stab   stabilityAcc
		tops   = topAcc{top: top}
		sel    selector
	)
	tau, omegaOK := omegaThreshold(0, P)
	omega.tau = tau
	best, worst := nan, nan
	// Pass 1: every single-pass metric, the means, the first pass of
	// Stability and the scan of the selection.
	for ch := range r.Chunks() {
		for _, v := range ch {
			per.step(v)
			dd := wealth.step(v)
			if top >= 1 {
				tops.step(dd)
			}
			mr.step(v - 0) // as meanShift(r, 0)
			mx.step(v - rf)
			down.step(v)
			omega.step(v)
			stab.step1(v)
			sel.add(v)
			if v == v {
				if best != best || v > best {
					best = v
				}
				if worst != worst || v < worst {
					worst = v
				}
			}
		}
	}
	sm.PeriodStats = per.result(n)
	sm.Wealth = wealth.result(n)
	if n > 0 {
		sm.DownsideRisk = down.result() * math.Sqrt(P)
	}
	if n >= 2 && omegaOK {
		sm.Omega = omega.result()
	}
	if n > 0 && top >= 1 {
		sm.TopDrawdowns = tops.result()
	}
	sm.Best, sm.Worst = best, worst
	// Pass 2: the central moments, the second pass of Stability and the
	// first pass of the selection, each only if needed.
	meanR, countR, equalR := mr.result()
	meanX, countX, equalX := mx.result()
	sm.Moments = Moments{Len: n, N: countR, Mean: meanR}
	sm.ExcessMoments = Moments{Len: n, N: countX, Mean: meanX}
	needR, needX := countR > 0 && !equalR, countX > 0 && !equalX
	needStab := n >= 2 && stab.start2()
	plan, needTail := planTail(&sel, n, cutoff)
	var gs []*group
	if needTail {
		sel.start(plan.ranks)
		gs = sel.groups()
	}
	cr, cx := centralAcc{mean: meanR}, centralAcc{mean: meanX}
	if needR || needX || needStab || len(gs) > 0 {
		for ch := range r.Chunks() {
			for _, v := range ch {
				if needR {
					cr.step(v)
				}
				if needX {
					cx.step(v - rf)
				}
				if needStab {
					stab.step2(v)
				}
				if len(gs) > 0 {
					step(gs, v)
				}
			}
		}
	}
	if needR {
		sm.Moments.S2, sm.Moments.S3, sm.Moments.S4 = cr.a2.value(), cr.a3.value(), cr.a4.value()
	}
	if needX {
		sm.ExcessMoments.S2, sm.ExcessMoments.S3, sm.ExcessMoments.S4 = cx.a2.value(), cx.a3.value(), cx.a4.value()
	}
	if needStab {
		sm.Stability = stab.result()
	}
	// Pass 3: CVaR's sum, after any further selection passes.
	sm.Tail = plan.none()
	if needTail {
		sel.finish(gs)
		sm.Tail = plan.result(r, sel.resume(r))
	}
	return sm
}
