package report

import (
	"math"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

// Series is a return series to analyze: one simple return per bar time,
// the first measured from the starting capital, with an optional aligned
// benchmark return series (NaN before the benchmark starts). The series are
// columns, read in passes, so they need not be held in memory; wrap slices
// with metrics.Slice and metrics.TimeSlice. A nil Times or Returns is empty.
// A storage-backed column reports its read errors itself: check them after
// Analyze.
type Series struct {
	Times   metrics.Times
	Returns metrics.Column
	// Benchmark is nil when there is none.
	Benchmark metrics.Column
	// BenchmarkName labels the benchmark (its file).
	BenchmarkName string
	// PeriodsPerYear is P; RiskFree the annual risk-free rate; Trials the
	// number of configurations tried, for the deflated Sharpe ratio.
	PeriodsPerYear float64
	RiskFree       float64
	Trials         int
}

// Analysis is every metric of a return series and its tables
// (METRICS.md §2–§4), as written in results.json.
type Analysis struct {
	PeriodsPerYear Float `json:"periods_per_year"`
	// RiskFree is annual; RiskFreePeriod the per-period rate used,
	// (1+RiskFree)^(1/P)-1.
	RiskFree       Float `json:"risk_free"`
	RiskFreePeriod Float `json:"risk_free_period"`
	Trials         int   `json:"trials"`
	Periods        int   `json:"periods"`

	Returns   ReturnMetrics     `json:"returns"`
	Benchmark *BenchmarkMetrics `json:"benchmark,omitempty"`
	// Monthly and Annual are compounded calendar-period returns, in time
	// order.
	Monthly []PeriodRow `json:"monthly_returns"`
	Annual  []PeriodRow `json:"annual_returns"`
	// Drawdowns is pyfolio's top-5 drawdown table.
	Drawdowns []DrawdownRow `json:"drawdowns"`
}

// ReturnMetrics are the metrics of the strategy's returns. docs/metrics.md
// gives the definition of each.
type ReturnMetrics struct {
	TotalReturn         Float `json:"total_return"`
	AnnualReturn        Float `json:"annual_return"`
	AnnualVolatility    Float `json:"annual_volatility"`
	Sharpe              Float `json:"sharpe"`
	Sortino             Float `json:"sortino"`
	MaxDrawdown         Float `json:"max_drawdown"`
	Calmar              Float `json:"calmar"`
	DownsideRisk        Float `json:"downside_risk"`
	Omega               Float `json:"omega"`
	TailRatio           Float `json:"tail_ratio"`
	Stability           Float `json:"stability"`
	ValueAtRisk         Float `json:"value_at_risk"`
	CVaR                Float `json:"conditional_value_at_risk"`
	Skew                Float `json:"skew"`
	Kurtosis            Float `json:"kurtosis"`
	ProbabilisticSharpe Float `json:"probabilistic_sharpe"`
	DeflatedSharpe      Float `json:"deflated_sharpe"`
	LongestDrawdownDays int   `json:"longest_drawdown_days"`
	AvgDrawdown         Float `json:"avg_drawdown"`
	MaxDrawdownBars     int   `json:"max_drawdown_bars"`
	RecoveryFactor      Float `json:"recovery_factor"`
	UlcerIndex          Float `json:"ulcer_index"`
	Exposure            Float `json:"exposure"`
	WinRate             Float `json:"win_rate_periods"`
	AvgWin              Float `json:"avg_win_period"`
	AvgLoss             Float `json:"avg_loss_period"`
	Payoff              Float `json:"payoff_ratio"`
	ProfitFactor        Float `json:"profit_factor_returns"`
	GainPain            Float `json:"gain_pain_ratio"`
	Kelly               Float `json:"kelly"`
	MaxConsecutiveWins  int   `json:"max_consecutive_wins"`
	MaxConsecutiveLoss  int   `json:"max_consecutive_losses"`
	BestPeriod          Float `json:"best_period"`
	WorstPeriod         Float `json:"worst_period"`
	BestMonth           Float `json:"best_month"`
	WorstMonth          Float `json:"worst_month"`
}

// BenchmarkMetrics compare the strategy with the benchmark's buy-and-hold.
type BenchmarkMetrics struct {
	Name             string   `json:"name"`
	TotalReturn      Float    `json:"total_return"`
	AnnualReturn     Float    `json:"annual_return"`
	AnnualVolatility Float    `json:"annual_volatility"`
	Sharpe           Float    `json:"sharpe"`
	MaxDrawdown      Float    `json:"max_drawdown"`
	Alpha            Float    `json:"alpha"`
	Beta             Float    `json:"beta"`
	InformationRatio Float    `json:"information_ratio"`
	Capture          Float    `json:"capture"`
	UpCapture        Float    `json:"up_capture"`
	DownCapture      Float    `json:"down_capture"`
	BattingAverage   [3]Float `json:"batting_average"`
}

// PeriodRow is one calendar period's compounded return.
type PeriodRow struct {
	// Period is "2006" for a year and "2006-01" for a month.
	Period string `json:"period"`
	Return Float  `json:"return"`
}

// DrawdownRow is one row of the drawdown table. Times are RFC 3339;
// Recovery is empty when the drawdown has not recovered, and then
// Duration is NaN.
type DrawdownRow struct {
	Peak     string `json:"peak"`
	Valley   string `json:"valley"`
	Recovery string `json:"recovery"`
	// Depth is the drawdown at the valley, a negative fraction.
	Depth Float `json:"depth"`
	// Duration is pyfolio's length in business days, peak to recovery
	// included; Bars counts bars from the peak to the recovery (or to the
	// last bar).
	Duration Float `json:"duration_business_days"`
	Bars     int   `json:"bars"`
}

// topDrawdowns is the size of the drawdown table.
const topDrawdowns = 5

// tailCutoff is the cutoff of the value at risk and CVaR.
const tailCutoff = 0.05

// Analyze computes every metric of s. It holds none of the series in
// memory: it reads the columns in a few ordered passes, through the fused
// computations of the metrics package (Summarize, Calendar, Compare), and
// its working memory is bounded by the number of calendar months and years,
// not of bars. It makes 4 passes over Returns (more only when the order
// statistics need extra selection passes), one of them alongside Times,
// plus a partial pass over Times for the drawdown table's dates; with a
// benchmark, 3 more over Returns and Benchmark side by side. It panics if
// the lengths of the series differ.
func Analyze(s Series) *Analysis { return analyze(s, nil) }

// analyze is Analyze, with the passes that live made as the run went
// left out: given every point of s's series, live has done the first
// pass of Summarize and of Compare and the pass of Calendar. live may be
// nil; a live analysis of other series (another length, another
// risk-free rate, a benchmark or none) is not used. The results are the
// same either way, bit for bit.
func analyze(s Series, live *liveAnalysis) *Analysis {
	r, times, P := s.Returns, s.Times, s.PeriodsPerYear
	if r == nil {
		r = metrics.Slice(nil)
	}
	if times == nil {
		times = metrics.TimeSlice(nil)
	}
	rf := metrics.PeriodRate(s.RiskFree, P)
	trials := max(s.Trials, 1)
	if live != nil && (live.n != r.Len() || times.Len() != r.Len()) {
		live = nil
	}
	sameRate := live != nil && math.Float64bits(live.rf) == math.Float64bits(rf)
	// The comparison with the benchmark, when live has begun it, runs
	// beside the single-series metrics: both read the columns.
	var compared chan metrics.Comparison
	if b := s.Benchmark; b != nil && sameRate && live.cmp != nil && b.Len() == live.cmp.Len() {
		compared = make(chan metrics.Comparison, 1)
		go func() { compared <- live.cmp.Comparison(r, b, P) }()
	}
	// One fused set of passes gives every single-series metric.
	var sm metrics.Summary
	ok := false
	if sameRate && live.sum != nil {
		sm, ok = live.summary(r, P)
	}
	if !ok {
		sm = metrics.Summarize(r, rf, P, tailCutoff, topDrawdowns)
	}
	w, mr, mx, tail, ps, downside := sm.Wealth, sm.Moments, sm.ExcessMoments, sm.Tail, sm.PeriodStats, sm.DownsideRisk
	a := &Analysis{
		PeriodsPerYear: Float(P), RiskFree: Float(s.RiskFree), RiskFreePeriod: Float(rf),
		Trials: trials, Periods: r.Len(),
		Returns: ReturnMetrics{
			TotalReturn:         Float(w.CumReturnsFinal(0)),
			AnnualReturn:        Float(w.AnnualReturn(P)),
			AnnualVolatility:    Float(mr.AnnualVolatility(P)),
			Sharpe:              Float(mx.Sharpe(P)),
			Sortino:             Float(mx.Sortino(P, downside)),
			MaxDrawdown:         Float(w.MaxDrawdown),
			Calmar:              Float(w.Calmar(P)),
			DownsideRisk:        Float(downside),
			Omega:               Float(sm.Omega),
			TailRatio:           Float(tail.TailRatio),
			Stability:           Float(sm.Stability),
			ValueAtRisk:         Float(tail.ValueAtRisk),
			CVaR:                Float(tail.CVaR),
			Skew:                Float(mr.Skew()),
			Kurtosis:            Float(mr.Kurtosis()),
			ProbabilisticSharpe: Float(mx.ProbabilisticSharpe(0)),
			DeflatedSharpe:      Float(mx.DeflatedSharpe(trials, 0)),
			RecoveryFactor:      Float(w.RecoveryFactor(rf)),
			UlcerIndex:          Float(w.UlcerIndex()),
			Exposure:            Float(ps.Exposure),
			WinRate:             Float(ps.WinRate),
			AvgWin:              Float(ps.AvgWin),
			AvgLoss:             Float(ps.AvgLoss),
			Payoff:              Float(ps.Payoff),
			ProfitFactor:        Float(ps.ProfitFactor),
			GainPain:            Float(ps.GainPain),
			Kelly:               Float(ps.Kelly),
			MaxConsecutiveWins:  ps.MaxConsecutiveWins,
			MaxConsecutiveLoss:  ps.MaxConsecutiveLosses,
		},
		Monthly:   []PeriodRow{},
		Annual:    []PeriodRow{},
		Drawdowns: []DrawdownRow{},
	}
	a.Returns.MaxDrawdownBars = w.LongestDrawdownBars
	// One pass over the returns and times gives the calendar periods and
	// the drawdown periods' days and depths.
	var cal [][]metrics.PeriodReturn
	var dd drawdownDays
	if live != nil {
		cal, dd = live.cal.Result(), live.dd
	} else {
		cal = metrics.Calendar(r, times, []metrics.Period{metrics.Month, metrics.Year}, dd.add)
	}
	a.Returns.LongestDrawdownDays = dd.longest
	a.Returns.AvgDrawdown = Float(dd.average())
	a.Returns.BestPeriod, a.Returns.WorstPeriod = Float(sm.Best), Float(sm.Worst)
	monthly := cal[0]
	months := make(metrics.Slice, len(monthly))
	for i, m := range monthly {
		months[i] = m.Return
		a.Monthly = append(a.Monthly, PeriodRow{Period: monthName(m.Year, m.Index), Return: Float(m.Return)})
	}
	best, worst := extremes(months)
	a.Returns.BestMonth, a.Returns.WorstMonth = Float(best), Float(worst)
	for _, y := range cal[1] {
		a.Annual = append(a.Annual, PeriodRow{Period: yearName(y.Year), Return: Float(y.Return)})
	}
	a.Drawdowns = drawdownTable(sm.TopDrawdowns, r.Len(), times)
	if s.Benchmark != nil {
		var c metrics.Comparison
		if compared != nil {
			c = <-compared
		} else {
			c = metrics.Compare(r, s.Benchmark, rf, P)
		}
		a.Benchmark = compare(c, w, P, s.BenchmarkName)
	}
	return a
}

// compare lays out the benchmark metrics (METRICS.md §2.16–§2.19) of the
// Comparison c of r with the benchmark, given the Wealth of r.
func compare(c metrics.Comparison, wr metrics.Wealth, P float64, name string) *BenchmarkMetrics {
	return &BenchmarkMetrics{
		Name:             name,
		TotalReturn:      Float(c.Wealth.CumReturnsFinal(0)),
		AnnualReturn:     Float(c.Wealth.AnnualReturn(P)),
		AnnualVolatility: Float(c.Moments.AnnualVolatility(P)),
		Sharpe:           Float(c.ExcessMoments.Sharpe(P)),
		MaxDrawdown:      Float(c.Wealth.MaxDrawdown),
		Alpha:            Float(c.Alpha),
		Beta:             Float(c.Beta),
		InformationRatio: Float(c.ExcessSharpe),
		Capture:          Float(wr.AnnualReturn(P) / c.Wealth.AnnualReturn(P)), // Capture(r, b, P)
		UpCapture:        Float(c.UpCapture),
		DownCapture:      Float(c.DownCapture),
		BattingAverage:   [3]Float{Float(c.BattingAverage[0]), Float(c.BattingAverage[1]), Float(c.BattingAverage[2])},
	}
}

// drawdownTable returns the top drawdowns of a series of n returns with
// their dates. The starting capital, before the first bar, is dated at the
// first bar's time. The times of the few bars it needs are read in one
// pass.
func drawdownTable(top []metrics.Drawdown, n int, times metrics.Times) []DrawdownRow {
	out := []DrawdownRow{}
	if n == 0 {
		return out
	}
	if times.Len() != n {
		panic("report: series length mismatch")
	}
	idx := []int{0}
	for _, d := range top {
		idx = append(idx, d.Peak, d.Valley, d.Recovery)
	}
	found := metrics.TimesAt(times, idx...)
	at := func(i int) time.Time {
		if i < 0 {
			return found[0]
		}
		for k, j := range idx {
			if j == i {
				return found[k]
			}
		}
		panic("report: drawdown time not read")
	}
	for _, d := range top {
		if d.Depth == 0 {
			break // no drawdown at all
		}
		row := DrawdownRow{Peak: FormatTime(at(d.Peak)), Valley: FormatTime(at(d.Valley)),
			Depth: Float(d.Depth), Duration: Float(d.Duration(at(d.Peak), at(d.Recovery)))}
		end := n - 1
		if d.Recovered {
			row.Recovery = FormatTime(at(d.Recovery))
			end = d.Recovery
		}
		row.Bars = end - d.Peak
		out = append(out, row)
	}
	return out
}

// extremes returns the largest and smallest non-NaN values, NaN for none.
func extremes(x metrics.Column) (hi, lo float64) {
	hi, lo = math.NaN(), math.NaN()
	for ch := range x.Chunks() {
		for _, v := range ch {
			if math.IsNaN(v) {
				continue
			}
			if math.IsNaN(hi) || v > hi {
				hi = v
			}
			if math.IsNaN(lo) || v < lo {
				lo = v
			}
		}
	}
	return hi, lo
}

func monthName(y, m int) string {
	return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

func yearName(y int) string {
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")
}
