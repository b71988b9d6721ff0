package metrics

import "math"

// RecoveryFactor returns quantstats' recovery factor |Σr - rf| / |MaxDrawdown(r)|,
// with the arithmetic (not compounded) sum of the returns and rf a
// per-period rate subtracted once, as quantstats does (METRICS.md §3). It is
// NaN when the maximum drawdown is 0 or NaN. It reads r once.
func RecoveryFactor(r Column, rf float64) float64 { return ComputeWealth(r).RecoveryFactor(rf) }

// UlcerIndex returns quantstats' ulcer index √(Σ dd_t² / (n-1)) over the
// drawdown series of [DrawdownSeries] (METRICS.md §3). It is NaN for fewer
// than two returns.
func UlcerIndex(r Column) float64 {
	if r.Len() < 2 {
		return math.NaN()
	}
	var s sum
	w, peak := 1.0, 1.0
	for ch := range r.Chunks() {
		for _, v := range ch {
			w, peak = wealthStep(w, peak, v)
			d := w/peak - 1
			s.add(d * d)
		}
	}
	return math.Sqrt(s.value() / float64(r.Len()-1))
}

// ExpectedReturn returns quantstats' expected return, the geometric mean
// return per period (Π(1+r[i]))^(1/n) - 1 (quantstats expected_return, also
// named geometric_mean and ghpr; METRICS.md §4). As quantstats prepares its
// returns, NaN and ±Inf count as zero returns, so n is len(r) with every
// row counted. The product runs in index order. Empty input gives NaN
// (quantstats divides by zero), and a negative product, which needs a
// return below -1, gives NaN; a return of -1 gives -1.
//
// For quantstats' expected monthly or yearly return, pass the compounded
// calendar returns of [AggregateReturns]. Without ±Inf returns it equals
// [AnnualReturn](r, 1), the growth rate per period, which also compounds
// NaN as 0 over all n rows.
func ExpectedReturn(r Column) float64 {
	w := 1.0
	for ch := range r.Chunks() {
		for _, v := range ch {
			w *= 1 + prepared(v)
		}
	}
	return annualFrom(w, r.Len(), 1)
}

// prepared returns v, or 0 if v is NaN or ±Inf: quantstats' return
// preparation (METRICS.md §4).
func prepared(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// PeriodStats are quantstats' return-based rows (METRICS.md §4), computed
// on the returns with NaN and ±Inf replaced by 0. A zero return is a period
// "without trading" for the win rate.
type PeriodStats struct {
	// Exposure is ceil(k/n·100)/100 with k the number of non-zero returns:
	// the share of periods in the market, rounded up to a whole percent.
	Exposure float64
	// WinRate is #{r > 0} / #{r ≠ 0}, 0 without non-zero returns.
	WinRate float64
	// AvgWin and AvgLoss are the means of the positive and of the negative
	// returns (NaN for an empty set); Payoff is AvgWin/|AvgLoss|, NaN
	// without losses.
	AvgWin, AvgLoss, Payoff float64
	// ProfitFactor is Σ_{r≥0} r / |Σ_{r<0} r|: +Inf without losses, 0 if
	// there are no gains either.
	ProfitFactor float64
	// GainPain is Σr / |Σ_{r<0} r|, NaN without losses.
	GainPain float64
	// Kelly is (Payoff·WinRate - (1-WinRate)) / Payoff, NaN when the payoff
	// is 0 or NaN.
	Kelly float64
	// MaxConsecutiveWins and MaxConsecutiveLosses are the longest runs of
	// r > 0 and of r < 0; a zero return breaks both.
	MaxConsecutiveWins, MaxConsecutiveLosses int
}

// ComputePeriodStats returns quantstats' return-based rows for r
// (METRICS.md §4). It reads r once.
func ComputePeriodStats(r Column) PeriodStats {
	var a periodAcc
	for ch := range r.Chunks() {
		for _, v := range ch {
			a.step(v)
		}
	}
	return a.result(r.Len())
}

// periodAcc accumulates ComputePeriodStats, one return at a time.
type periodAcc struct {
	st                     PeriodStats
	wins, losses, all      sum
	nWin, nLoss, win, loss int
}

// step adds the return v.
func (a *periodAcc) step(v float64) {
	v = prepared(v)
	a.all.add(v)
	switch {
	case v > 0:
		a.wins.add(v)
		a.nWin++
		a.win++
		a.loss = 0
	case v < 0:
		a.losses.add(v)
		a.nLoss++
		a.loss++
		a.win = 0
	default:
		a.win, a.loss = 0, 0
	}
	a.st.MaxConsecutiveWins = max(a.st.MaxConsecutiveWins, a.win)
	a.st.MaxConsecutiveLosses = max(a.st.MaxConsecutiveLosses, a.loss)
}

// result returns the statistics of the n returns added.
func (a *periodAcc) result(n int) PeriodStats {
	st := a.st
	wins, losses, all := &a.wins, &a.losses, &a.all
	nWin, nLoss := a.nWin, a.nLoss
	st.Exposure = math.NaN()
	if n > 0 {
		st.Exposure = math.Ceil(float64(nWin+nLoss)/float64(n)*100) / 100
	}
	if nWin+nLoss > 0 {
		st.WinRate = float64(nWin) / float64(nWin+nLoss)
	}
	st.AvgWin, st.AvgLoss = wins.value()/float64(nWin), losses.value()/float64(nLoss)
	st.Payoff, st.GainPain = math.NaN(), math.NaN()
	if nLoss > 0 {
		st.Payoff = st.AvgWin / math.Abs(st.AvgLoss)
		st.GainPain = all.value() / math.Abs(losses.value())
	}
	switch {
	case nLoss > 0:
		st.ProfitFactor = wins.value() / math.Abs(losses.value())
	case nWin > 0:
		st.ProfitFactor = math.Inf(1)
	}
	st.Kelly = math.NaN()
	if st.Payoff != 0 && !math.IsNaN(st.Payoff) {
		st.Kelly = (st.Payoff*st.WinRate - (1 - st.WinRate)) / st.Payoff
	}
	return st
}
