package metrics

import (
	"iter"
	"math"
)

// minBenchmarkVariance is empyrical's threshold below which the benchmark
// variance is treated as zero and beta is undefined (METRICS.md §2.16).
const minBenchmarkVariance = 1e-30

// Beta returns the beta of r against the aligned benchmark b,
// Σ(b-b̄)(r-r̄) / Σ(b-b̄)², over the rows where both values are non-NaN
// (pairwise deletion; empyrical beta_aligned; METRICS.md §2.16). It is NaN if
// len(r) < 1 or len(b) < 2, if no row is valid, or if the population variance
// of the valid benchmark values is below 1e-30 or NaN, which includes a
// constant benchmark. A risk-free rate would cancel, so none is taken. It
// reads the series twice and panics if the lengths differ.
func Beta(r, b Column) float64 {
	mustSameLength(r, b)
	beta, _ := betaRows(allRows(r, b))
	return beta
}

// rows is a source of aligned chunks of a return and a benchmark series,
// which can be read any number of times.
type rows func() iter.Seq2[[]float64, []float64]

// allRows returns every row of r and b.
func allRows(r, b Column) rows {
	return func() iter.Seq2[[]float64, []float64] { return zipColumns(r, b) }
}

// filterRows returns the rows of r and b where keep(b[i]) is true, in
// order.
func filterRows(r, b Column, keep func(float64) bool) rows {
	mustSameLength(r, b)
	return func() iter.Seq2[[]float64, []float64] {
		return func(yield func([]float64, []float64) bool) {
			var rf, bf []float64
			for x, y := range zipColumns(r, b) {
				rf, bf = rf[:0], bf[:0]
				for i, w := range y {
					if keep(w) {
						rf = append(rf, x[i])
						bf = append(bf, w)
					}
				}
				if len(rf) > 0 && !yield(rf, bf) {
					return
				}
			}
		}
	}
}

// betaRows is Beta over rows; it also returns the number of rows.
func betaRows(src rows) (beta float64, total int) {
	var a betaAcc
	for x, y := range src() {
		for i, v := range x {
			a.step1(v, y[i])
		}
	}
	if !a.start2() {
		return math.NaN(), a.total
	}
	for x, y := range src() {
		for i, v := range x {
			a.step2(v, y[i])
		}
	}
	return a.result(), a.total
}

// betaAcc accumulates Beta over its two passes, one row at a time: step1
// for every row of the first pass, start2 between the passes, step2 for
// every row of the second.
type betaAcc struct {
	sr, sb       sum
	n, total     int
	first        float64
	diff         bool // a valid benchmark value differs from first
	rMean, bMean float64
	cov, vb      sum
}

// step1 adds the row (v, w) in the first pass.
func (a *betaAcc) step1(v, w float64) {
	a.total++
	if math.IsNaN(v) || math.IsNaN(w) {
		return
	}
	if a.n == 0 {
		a.first = w
	} else if w != a.first {
		a.diff = true
	}
	a.sr.add(v)
	a.sb.add(w)
	a.n++
}

// start2 prepares the second pass; it returns false, and beta is NaN,
// if the series are too short (len(r) < 1 or len(b) < 2), if no row is
// valid, or if the benchmark is constant: zero variance (§1.5).
func (a *betaAcc) start2() bool {
	if a.total < 2 || a.n == 0 || !a.diff {
		return false
	}
	fn := float64(a.n)
	a.rMean, a.bMean = a.sr.value()/fn, a.sb.value()/fn
	return true
}

// step2 adds the row (v, w) in the second pass.
func (a *betaAcc) step2(v, w float64) {
	if math.IsNaN(v) || math.IsNaN(w) {
		return
	}
	db := w - a.bMean
	a.cov.add(db * (v - a.rMean))
	a.vb.add(db * db)
}

// result returns beta after the second pass.
func (a *betaAcc) result() float64 {
	if v := a.vb.value() / float64(a.n); !(v >= minBenchmarkVariance) {
		return math.NaN()
	}
	return a.cov.value() / a.vb.value()
}

// alphaAcc accumulates the mean of Alpha's a[i], one row at a time.
type alphaAcc struct {
	beta, rf float64
	s        sum
	n        int
}

// step adds the row (v, w).
func (a *alphaAcc) step(v, w float64) {
	x := (v - a.rf) - float64(a.beta*(w-a.rf)) // rounded product: no FMA
	if math.IsNaN(x) {
		return
	}
	a.s.add(x)
	a.n++
}

// result returns alpha.
func (a *alphaAcc) result(P float64) float64 {
	mean := a.s.value() / float64(a.n)
	return math.Pow(1+mean, P) - 1
}

// Alpha returns the annualized, compounded alpha (1 + mean(a))^P - 1 with
// a[i] = (r[i]-rf) - β·(b[i]-rf), where β = Beta(r, b), rf is a constant
// per-period rate and the mean runs over the rows where both series are
// non-NaN (empyrical alpha_aligned; METRICS.md §2.17). Label it "alpha (ann.,
// compounded)": quantstats' alpha is a different number. It is NaN if
// len(r) < 2 or if β is NaN. It panics if the lengths differ.
func Alpha(r, b Column, rf, P float64) float64 {
	a, _ := AlphaBeta(r, b, rf, P)
	return a
}

// AlphaBeta returns [Alpha] and [Beta] together, computing beta once
// (empyrical alpha_beta_aligned; METRICS.md §2.16–2.17). The NaN rules are
// those of the two functions. It reads the series three times and panics if
// the lengths differ.
func AlphaBeta(r, b Column, rf, P float64) (alpha, beta float64) {
	mustSameLength(r, b)
	return alphaBetaRows(allRows(r, b), rf, P)
}

// alphaBetaRows is AlphaBeta over rows.
func alphaBetaRows(src rows, rf, P float64) (alpha, beta float64) {
	beta, total := betaRows(src)
	if total < 2 {
		return math.NaN(), beta
	}
	a := alphaAcc{beta: beta, rf: rf}
	for x, y := range src() {
		for i, v := range x {
			a.step(v, y[i])
		}
	}
	return a.result(P), beta
}

// UpAlphaBeta returns [AlphaBeta] over the rows where b > 0 strictly; rows
// with a NaN or zero benchmark are dropped (empyrical up_alpha_beta;
// METRICS.md §2.19). It panics if the lengths differ.
func UpAlphaBeta(r, b Column, rf, P float64) (alpha, beta float64) {
	return alphaBetaRows(filterRows(r, b, isUp), rf, P)
}

// DownAlphaBeta returns [AlphaBeta] over the rows where b < 0 strictly; rows
// with a NaN or zero benchmark are dropped (empyrical down_alpha_beta;
// METRICS.md §2.19). It panics if the lengths differ.
func DownAlphaBeta(r, b Column, rf, P float64) (alpha, beta float64) {
	return alphaBetaRows(filterRows(r, b, isDown), rf, P)
}

// isUp and isDown are the benchmark filters of the up and down metrics.
func isUp(x float64) bool   { return x > 0 }
func isDown(x float64) bool { return x < 0 }

// ExcessSharpe returns the information ratio mean(a)/std₁(a) of the active
// returns a = r - b over the non-NaN rows; it is not annualized (empyrical
// excess_sharpe; METRICS.md §2.18). A NaN standard deviation (fewer than two
// valid rows) is treated as 0, so a zero or undefined tracking error gives
// ±Inf, or NaN when the mean is 0 or undefined. It is NaN if len(r) < 2. It
// reads the series twice and panics if the lengths differ.
func ExcessSharpe(r, b Column) float64 {
	mustSameLength(r, b)
	if r.Len() < 2 {
		return math.NaN()
	}
	mean, std := meanStdShift(difference(r, b), 0, 1)
	if math.IsNaN(std) {
		std = 0
	}
	return mean / std
}

// Capture returns the capture ratio AnnualReturn(r, P) / AnnualReturn(b, P),
// each side with its own length (empyrical capture; METRICS.md §2.19). The
// series need not have the same length. NaN rules are those of
// [AnnualReturn]; a zero benchmark growth rate gives ±Inf or NaN.
func Capture(r, b Column, P float64) float64 {
	return AnnualReturn(r, P) / AnnualReturn(b, P)
}

// UpCapture returns [Capture] over the rows where b > 0 strictly; rows with a
// NaN or zero benchmark are dropped, so no such row gives NaN (empyrical
// up_capture; METRICS.md §2.19). It reads the series once and panics if the
// lengths differ.
func UpCapture(r, b Column, P float64) float64 {
	up, _ := UpDownCapture(r, b, P)
	return up
}

// DownCapture returns [Capture] over the rows where b < 0 strictly; rows
// with a NaN or zero benchmark are dropped, so no such row gives NaN
// (empyrical down_capture; METRICS.md §2.19). It reads the series once and
// panics if the lengths differ.
func DownCapture(r, b Column, P float64) float64 {
	_, down := UpDownCapture(r, b, P)
	return down
}

// UpDownCapture returns [UpCapture] and [DownCapture] together, from one
// pass over the series. It panics if the lengths differ.
func UpDownCapture(r, b Column, P float64) (up, down float64) {
	a := newCaptureAcc()
	for x, y := range zipColumns(r, b) {
		for i, w := range y {
			a.step(x[i], w)
		}
	}
	return a.result(P)
}

// UpDownCaptureRatio returns [UpCapture] / [DownCapture], the up-market
// capture ratio over the down-market one (empyrical up_down_capture;
// METRICS.md §2.19). Each side is the ratio of the annual growth rates of r
// and b over its own rows (b > 0, or b < 0, strictly), with that side's row
// count for the years, so rows with a NaN or zero benchmark are in neither.
// The division follows IEEE-754 as empyrical's does: no up or no down rows
// give NaN, and a down capture of ±0 gives ±Inf (or NaN for 0/0). A
// strategy flat in down markets has a down capture of -0 (a growth rate of
// 0 over the benchmark's negative one), so a positive up capture over it
// gives -Inf. It reads the series once and panics if the lengths differ.
//
// For the rolling form (empyrical roll_up_down_capture), pass it to
// [RollingPair]; empyrical returns nothing when the window is longer than
// the series, where RollingPair clamps the window.
func UpDownCaptureRatio(r, b Column, P float64) float64 {
	up, down := UpDownCapture(r, b, P)
	return up / down
}

// captureAcc accumulates UpDownCapture, one row at a time.
type captureAcc struct {
	wru, wbu, wrd, wbd float64
	nu, nd             int
}

func newCaptureAcc() captureAcc { return captureAcc{wru: 1, wbu: 1, wrd: 1, wbd: 1} }

// step adds the row (v, w).
func (a *captureAcc) step(v, w float64) {
	switch {
	case w > 0:
		a.nu++
		if !math.IsNaN(v) {
			a.wru *= 1 + v
		}
		a.wbu *= 1 + w
	case w < 0:
		a.nd++
		if !math.IsNaN(v) {
			a.wrd *= 1 + v
		}
		a.wbd *= 1 + w
	}
}

// result returns the up and down capture ratios.
func (a *captureAcc) result(P float64) (up, down float64) {
	return annualFrom(a.wru, a.nu, P) / annualFrom(a.wbu, a.nu, P), annualFrom(a.wrd, a.nd, P) / annualFrom(a.wbd, a.nd, P)
}

// BattingAverage returns the share of rows where the active return r - b is
// positive: over all rows (NaN rows count as misses), over the rows with
// b >= 0, and over the rows with b < 0 (empyrical-reloaded batting_average;
// METRICS.md §2.19). Note b >= 0 here versus b > 0 in [UpCapture]. A row with
// a NaN benchmark is in neither the up nor the down group, and an empty group
// gives NaN. It reads the series once and panics if the lengths differ.
func BattingAverage(r, b Column) (all, up, down float64) {
	var a battingAcc
	for x, y := range zipColumns(r, b) {
		for i, w := range y {
			a.step(x[i], w)
		}
	}
	return a.result(r.Len())
}

// battingAcc accumulates BattingAverage, one row at a time.
type battingAcc struct {
	hits, upHits, upN, downHits, downN int
}

// step adds the row (v, w). Counting with 0/1 values instead of branching
// keeps the loop free of unpredictable branches.
func (a *battingAcc) step(v, w float64) {
	hit, isUp, isDown := b2i(v-w > 0), b2i(w >= 0), b2i(w < 0)
	a.hits += hit
	a.upN += isUp
	a.upHits += hit & isUp
	a.downN += isDown
	a.downHits += hit & isDown
}

// result returns the three shares over n rows.
func (a *battingAcc) result(n int) (all, up, down float64) {
	return share(a.hits, n), share(a.upHits, a.upN), share(a.downHits, a.downN)
}

// b2i returns 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// share returns k/n, or NaN when n is 0.
func share(k, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(k) / float64(n)
}
