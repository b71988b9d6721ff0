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
	sel.expect(n)
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

// Comparison is the set of metrics of a strategy against a benchmark that a
// report shows, computed together by [Compare]. Every field is exactly what
// the function named in its comment returns for the series. (Capture(r, b,
// P) is the ratio of the two series' Wealth.AnnualReturn(P).)
type Comparison struct {
	// Wealth is ComputeWealth(b).
	Wealth Wealth
	// Moments is ComputeMoments(b), and ExcessMoments is
	// ComputeMoments(Shift(b, rf)), which gives Sharpe(b, rf, P).
	Moments, ExcessMoments Moments
	// Alpha and Beta are AlphaBeta(r, b, rf, P).
	Alpha, Beta float64
	// ExcessSharpe is ExcessSharpe(r, b).
	ExcessSharpe float64
	// UpCapture and DownCapture are UpDownCapture(r, b, P).
	UpCapture, DownCapture float64
	// BattingAverage is BattingAverage(r, b).
	BattingAverage [3]float64
}

// Compare computes the Comparison of the strategy returns r with the aligned
// benchmark returns b, for the constant per-period rate rf and P periods per
// year. It reads the two series side by side three times, where calling the
// functions one by one reads them about twelve times; every result is the
// same, bit for bit. It panics if the lengths differ.
func Compare(r, b Column, rf, P float64) Comparison {
	mustSameLength(r, b)
	n := r.Len()
	var (
		beta       betaAcc
		bat        battingAcc
		capture    = newCaptureAcc()
		wealth     = newWealthAcc()
		md, mb, mx meanAcc
	)
	// Pass 1: the single-pass metrics and the means.
	for x, y := range zipColumns(r, b) {
		for i, w := range y {
			v := x[i]
			beta.step1(v, w)
			bat.step(v, w)
			capture.step(v, w)
			wealth.step(w)
			md.step((v - w) - 0) // as meanShift(difference(r, b), 0)
			mb.step(w - 0)
			mx.step(w - rf)
		}
	}
	c := Comparison{Wealth: wealth.result(n), Alpha: math.NaN(), Beta: math.NaN(), ExcessSharpe: math.NaN()}
	c.UpCapture, c.DownCapture = capture.result(P)
	c.BattingAverage[0], c.BattingAverage[1], c.BattingAverage[2] = bat.result(n)
	meanD, countD, equalD := md.result()
	meanB, countB, equalB := mb.result()
	meanX, countX, equalX := mx.result()
	c.Moments = Moments{Len: n, N: countB, Mean: meanB}
	c.ExcessMoments = Moments{Len: n, N: countX, Mean: meanX}
	// Pass 2: beta's sums, the tracking error and the central moments,
	// each only if needed.
	needBeta := beta.start2()
	needD := n >= 2 && countD-1 > 0 && !equalD
	needB, needX := countB > 0 && !equalB, countX > 0 && !equalX
	ss := ssAcc{mean: meanD}
	cb, cx := centralAcc{mean: meanB}, centralAcc{mean: meanX}
	if needBeta || needD || needB || needX {
		for x, y := range zipColumns(r, b) {
			for i, w := range y {
				v := x[i]
				if needBeta {
					beta.step2(v, w)
				}
				if needD {
					ss.step((v - w) - 0)
				}
				if needB {
					cb.step(w)
				}
				if needX {
					cx.step(w - rf)
				}
			}
		}
	}
	if needBeta {
		c.Beta = beta.result()
	}
	if n >= 2 {
		std := math.NaN() // meanStdShift's rules, then ExcessSharpe's
		switch {
		case countD-1 <= 0:
		case equalD:
			std = 0
		default:
			std = ss.std(countD, 1)
		}
		if math.IsNaN(std) {
			std = 0
		}
		c.ExcessSharpe = meanD / std
	}
	if needB {
		c.Moments.S2, c.Moments.S3, c.Moments.S4 = cb.a2.value(), cb.a3.value(), cb.a4.value()
	}
	if needX {
		c.ExcessMoments.S2, c.ExcessMoments.S3, c.ExcessMoments.S4 = cx.a2.value(), cx.a3.value(), cx.a4.value()
	}
	// Pass 3: alpha, which needs beta.
	if n >= 2 {
		a := alphaAcc{beta: c.Beta, rf: rf}
		for x, y := range zipColumns(r, b) {
			for i, w := range y {
				a.step(x[i], w)
			}
		}
		c.Alpha = a.result(P)
	}
	return c
}
