package metrics

import (
	"math"
	"slices"
	"time"
)

// Periods per year for the usual sampling frequencies (empyrical periods.py;
// METRICS.md §1.2). They are untyped constants, so they can be passed
// wherever a periods-per-year argument P is expected. An explicit P, such as
// 365 for crypto or 252×bars-per-day for intraday bars, overrides them.
const (
	Daily     = 252
	Weekly    = 52
	Monthly   = 12
	Quarterly = 4
	Yearly    = 1
)

// PeriodRate returns the per-period rate that compounds to the annual rate
// annual over P periods, (1+annual)^(1/P) - 1: how quantstats turns an
// annual risk-free rate into the per-period one that [Sharpe], [Sortino]
// and [Alpha] take (METRICS.md §2.6, §4), and how [Omega] de-annualizes
// its required return (§2.11). It is exactly 0 for 0, -1 for -1, and NaN
// below -1 unless 1/P is a whole number.
func PeriodRate(annual, P float64) float64 {
	if annual == 0 {
		return 0
	}
	return math.Pow(1+annual, 1/P) - 1
}

// Spacing boundaries used by InferPeriodsPerYear.
const (
	day             = 24 * time.Hour
	minDailySpacing = 20 * time.Hour
	minWeekSpacing  = 4 * day
	minMonthSpacing = 15 * day
	minQtrSpacing   = 45 * day
	minYearSpacing  = 183 * day
)

// InferPeriodsPerYear infers the number of periods per year P from the
// timestamps of a return series, which must be in increasing order.
//
// The rule looks at the median spacing d of consecutive timestamps (the mean
// of the two middle spacings when their count is even):
//
//	d < 20h            intraday: 252 × the median number of bars per
//	                   calendar day (days taken in each time's location)
//	20h <= d < 4 days  Daily (252); weekends and holidays do not move the median
//	4 <= d < 15 days   Weekly (52)
//	15 <= d < 45 days  Monthly (12)
//	45 <= d < 183 days Quarterly (4)
//	d >= 183 days      Yearly (1)
//
// For example, 1-minute bars of a 390-minute session give 252×390 = 98280.
// It returns NaN if there are fewer than two timestamps or if the median
// spacing is not positive (unsorted or repeated timestamps). The result is a
// convention, not a measurement: pass an explicit P when the market trades
// on a different calendar (METRICS.md §1.2).
func InferPeriodsPerYear(times []time.Time) float64 {
	if len(times) < 2 {
		return math.NaN()
	}
	gaps := make([]time.Duration, len(times)-1)
	for i := 1; i < len(times); i++ {
		gaps[i-1] = times[i].Sub(times[i-1])
	}
	slices.Sort(gaps)
	m := len(gaps) / 2
	d := gaps[m]
	if len(gaps)%2 == 0 {
		d = gaps[m-1] + (gaps[m]-gaps[m-1])/2
	}
	switch {
	case d <= 0:
		return math.NaN()
	case d < minDailySpacing:
		return Daily * medianBarsPerDay(times)
	case d < minWeekSpacing:
		return Daily
	case d < minMonthSpacing:
		return Weekly
	case d < minQtrSpacing:
		return Monthly
	case d < minYearSpacing:
		return Quarterly
	default:
		return Yearly
	}
}

// medianBarsPerDay returns the median number of timestamps per calendar day.
// times must be sorted, so the bars of one day are contiguous.
func medianBarsPerDay(times []time.Time) float64 {
	var counts []int
	var y0, d0 int
	var m0 time.Month
	for i, t := range times {
		y, m, d := t.Date()
		if i == 0 || y != y0 || m != m0 || d != d0 {
			counts = append(counts, 0)
			y0, m0, d0 = y, m, d
		}
		counts[len(counts)-1]++
	}
	slices.Sort(counts)
	k := len(counts) / 2
	if len(counts)%2 == 1 {
		return float64(counts[k])
	}
	return float64(counts[k-1]+counts[k]) / 2
}
