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
// is the same, and so is every result, bit for bit. It is a [Summarizer]
// given every value of r, then asked for the Summary of r.
func Summarize(r Column, rf, P, cutoff float64, top int) Summary {
	s := NewSummarizer(rf, cutoff, top)
	s.sel.expect(r.Len())
	for ch := range r.Chunks() {
		for _, v := range ch {
			s.Add(v)
		}
	}
	return s.Summary(r, P)
}

// Summarizer computes a Summary as its series is made: Add takes each
// return as it comes, doing the work of Summarize's first pass over the
// series, and Summary does the rest, reading the series (stored as it
// was added) once or twice more. The result is Summarize's, bit for bit,
// for the same series. Its memory is bounded whatever the length of the
// series (about 1 MB at most, for the selection of the tail's order
// statistics).
type Summarizer struct {
	rf, cutoff  float64
	top         int
	n           int
	excessSame  bool // the excess returns are the returns (see sameExcess)
	per         periodAcc
	wealth      wealthAcc
	mr, mx      meanAcc
	down        downAcc
	omega       omegaAcc
	stab        stabilityAcc
	tops        topAcc
	sel         selector
	best, worst float64
}

// NewSummarizer returns a Summarizer of a series of returns for the
// constant per-period rate rf, the tail cutoff and the top drawdowns,
// as Summarize takes them. The periods per year, which the first pass
// does not need (Omega's threshold, for a required return of 0, is 0
// whatever P), are given to Summary.
func NewSummarizer(rf, cutoff float64, top int) *Summarizer {
	nan := math.NaN()
	return &Summarizer{rf: rf, cutoff: cutoff, top: top, excessSame: sameExcess(rf), wealth: newWealthAcc(),
		down: downAcc{mar: rf}, omega: omegaAcc{rf: rf}, tops: topAcc{top: top}, best: nan, worst: nan}
}

// Add adds the next return v of the series.
func (s *Summarizer) Add(v float64) {
	s.n++
	s.per.step(v)
	dd := s.wealth.step(v)
	if s.top >= 1 {
		s.tops.step(dd)
	}
	s.mr.step(v - 0) // as meanShift(r, 0)
	if !s.excessSame {
		s.mx.step(v - s.rf)
	}
	s.down.step(v)
	s.omega.step(v)
	s.stab.step1(v)
	s.sel.add(v)
	if v == v {
		if s.best != s.best || v > s.best {
			s.best = v
		}
		if s.worst != s.worst || v < s.worst {
			s.worst = v
		}
	}
}

// Len returns the number of returns added.
func (s *Summarizer) Len() int { return s.n }

// Summary returns the Summary of r for P periods per year. r must hold
// the returns added, in the order they were added (it panics if its
// length differs); it is read once or twice more, for the central
// moments, the second pass of Stability, the selection of the tail's
// order statistics and CVaR's sum. Call it once: the Summarizer is
// spent afterwards.
func (s *Summarizer) Summary(r Column, P float64) Summary {
	n := r.Len()
	if n != s.n {
		panic("metrics: the series summarized is not the one added")
	}
	nan := math.NaN()
	sm := Summary{DownsideRisk: nan, Omega: nan, Stability: nan, Best: nan, Worst: nan}
	_, omegaOK := omegaThreshold(0, P)
	rf, cutoff, top := s.rf, s.cutoff, s.top
	sm.PeriodStats = s.per.result(n)
	sm.Wealth = s.wealth.result(n)
	if n > 0 {
		sm.DownsideRisk = s.down.result() * math.Sqrt(P)
	}
	if n >= 2 && omegaOK {
		sm.Omega = s.omega.result()
	}
	if n > 0 && top >= 1 {
		sm.TopDrawdowns = s.tops.result()
	}
	sm.Best, sm.Worst = s.best, s.worst
	// Pass 2: the central moments, the second pass of Stability and the
	// first pass of the selection, each only if needed.
	if s.excessSame {
		s.mx = s.mr
	}
	meanR, countR, equalR := s.mr.result()
	meanX, countX, equalX := s.mx.result()
	sm.Moments = Moments{Len: n, N: countR, Mean: meanR}
	sm.ExcessMoments = Moments{Len: n, N: countX, Mean: meanX}
	needR, needX := countR > 0 && !equalR, countX > 0 && !equalX
	stab, sel := &s.stab, &s.sel
	needStab := n >= 2 && stab.start2()
	plan, needTail := planTail(sel, n, cutoff)
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
				if needX && !s.excessSame {
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
	if s.excessSame {
		cx = cr
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
// same, bit for bit. It is a [Comparer] given every row of r and b, then
// asked for their Comparison. It panics if the lengths differ.
func Compare(r, b Column, rf, P float64) Comparison {
	mustSameLength(r, b)
	c := NewComparer(rf)
	for x, y := range zipColumns(r, b) {
		for i, w := range y {
			c.Add(x[i], w)
		}
	}
	return c.Comparison(r, b, P)
}

// Comparer computes a Comparison as its series are made: Add takes each
// row of the strategy's and the benchmark's returns as it comes, doing
// the work of Compare's first pass, and Comparison does the rest,
// reading the series (stored as they were added) twice more. The result
// is Compare's, bit for bit, for the same series. Its memory does not
// grow with the series.
type Comparer struct {
	rf         float64
	excessSame bool // the benchmark's excess returns are its returns (see sameExcess)
	n          int
	beta       betaAcc
	bat        battingAcc
	capture    captureAcc
	wealth     wealthAcc
	md, mb, mx meanAcc
}

// NewComparer returns a Comparer for the constant per-period rate rf.
func NewComparer(rf float64) *Comparer {
	return &Comparer{rf: rf, excessSame: sameExcess(rf), capture: newCaptureAcc(), wealth: newWealthAcc()}
}

// Add adds the next row: the strategy's return v and the benchmark's w.
func (c *Comparer) Add(v, w float64) {
	c.n++
	c.beta.step1(v, w)
	c.bat.step(v, w)
	c.capture.step(v, w)
	c.wealth.step(w)
	c.md.step((v - w) - 0) // as meanShift(difference(r, b), 0)
	c.mb.step(w - 0)
	if !c.excessSame {
		c.mx.step(w - c.rf)
	}
}

// Len returns the number of rows added.
func (c *Comparer) Len() int { return c.n }

// Comparison returns the Comparison of r and b for P periods per year. r
// and b must hold the rows added, in the order they were added (it
// panics if a length differs); they are read side by side twice more,
// for beta's sums, the tracking error, the central moments and alpha.
// Call it once: the Comparer is spent afterwards.
func (c *Comparer) Comparison(r, b Column, P float64) Comparison {
	mustSameLength(r, b)
	n := r.Len()
	if n != c.n {
		panic("metrics: the series compared are not the ones added")
	}
	rf, beta := c.rf, &c.beta
	out := Comparison{Wealth: c.wealth.result(n), Alpha: math.NaN(), Beta: math.NaN(), ExcessSharpe: math.NaN()}
	out.UpCapture, out.DownCapture = c.capture.result(P)
	out.BattingAverage[0], out.BattingAverage[1], out.BattingAverage[2] = c.bat.result(n)
	if c.excessSame {
		c.mx = c.mb
	}
	meanD, countD, equalD := c.md.result()
	meanB, countB, equalB := c.mb.result()
	meanX, countX, equalX := c.mx.result()
	out.Moments = Moments{Len: n, N: countB, Mean: meanB}
	out.ExcessMoments = Moments{Len: n, N: countX, Mean: meanX}
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
				if needX && !c.excessSame {
					cx.step(w - rf)
				}
			}
		}
	}
	if needBeta {
		out.Beta = beta.result()
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
		out.ExcessSharpe = meanD / std
	}
	if c.excessSame {
		cx = cb
	}
	if needB {
		out.Moments.S2, out.Moments.S3, out.Moments.S4 = cb.a2.value(), cb.a3.value(), cb.a4.value()
	}
	if needX {
		out.ExcessMoments.S2, out.ExcessMoments.S3, out.ExcessMoments.S4 = cx.a2.value(), cx.a3.value(), cx.a4.value()
	}
	// Pass 3: alpha, which needs beta.
	if n >= 2 {
		a := alphaAcc{beta: out.Beta, rf: rf}
		for x, y := range zipColumns(r, b) {
			for i, w := range y {
				a.step(x[i], w)
			}
		}
		out.Alpha = a.result(P)
	}
	return out
}

// sameExcess reports whether the excess returns over the per-period rate
// rf are the returns themselves, bit for bit: for rf +0, v - rf is v for
// every v (-0 included), so the sums and moments of the excess returns
// are those of the returns, and a Summarizer or a Comparer copies them
// instead of computing them twice.
func sameExcess(rf float64) bool { return math.Float64bits(rf) == 0 }
