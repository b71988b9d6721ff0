package metrics

import (
	"math"
	"slices"
	"time"
)

// DrawdownBars returns the longest run of consecutive bars whose drawdown
// (from [DrawdownSeries]) is non-zero and the length of the run still open at
// the last bar (backtrader DrawDown analyzer, max.len and len; METRICS.md
// §3). Both are 0 for an empty series. The unit is bars, not days.
func DrawdownBars(r []float64) (longest, current int) {
	w, peak := 1.0, 1.0
	for _, v := range r {
		w, peak = wealthStep(w, peak, v)
		if w/peak-1 != 0 {
			current++
			longest = max(longest, current)
		} else {
			current = 0
		}
	}
	return longest, current
}

// DrawdownPeriod is one maximal run of consecutive underwater bars, as
// quantstats drawdown_details defines it. Fields are bar indexes into the
// return series.
type DrawdownPeriod struct {
	// Start is the first underwater bar.
	Start int
	// Valley is the bar with the lowest drawdown (the first one on ties).
	Valley int
	// End is the last underwater bar, which is the last bar of the series
	// when the period has not recovered.
	End int
	// Depth is the drawdown at Valley, a negative fraction.
	Depth float64
	// Recovered reports whether a bar with zero drawdown follows End.
	Recovered bool
}

// CalendarDays returns quantstats' "days" of the period: the calendar days
// from the start to the end timestamp plus one, with partial days truncated
// (METRICS.md §3). times[i] is the timestamp of bar i.
func (p DrawdownPeriod) CalendarDays(times []time.Time) int {
	return int(times[p.End].Sub(times[p.Start])/(24*time.Hour)) + 1
}

// DrawdownPeriods returns the maximal runs of consecutive bars with a
// negative drawdown (from [DrawdownSeries]), in time order (quantstats
// drawdown_details; METRICS.md §3). Because the drawdown is measured from the
// starting capital, a period can start on the first bar; quantstats misses
// that case and this function does not copy its bug. "Longest DD days" is the
// maximum CalendarDays and "Avg. drawdown" the mean Depth. NaN counts as a
// zero return. A series that never falls below its peak gives no periods.
func DrawdownPeriods(r []float64) []DrawdownPeriod {
	dd := DrawdownSeries(r)
	var out []DrawdownPeriod
	for i := 0; i < len(dd); {
		if !(dd[i] < 0) {
			i++
			continue
		}
		p := DrawdownPeriod{Start: i, Valley: i, Depth: dd[i]}
		for ; i < len(dd) && dd[i] < 0; i++ {
			if dd[i] < p.Depth {
				p.Valley, p.Depth = i, dd[i]
			}
		}
		p.End = i - 1
		p.Recovered = i < len(dd)
		out = append(out, p)
	}
	return out
}

// Drawdown is one row of pyfolio's drawdown table. Peak, Valley and Recovery
// are bar indexes into the return series, where -1 stands for the starting
// point before the first bar (the starting capital, whose drawdown is 0).
type Drawdown struct {
	// Peak is the last point at or before Valley with zero drawdown.
	Peak int
	// Valley is the point with the lowest drawdown (the first one on ties).
	Valley int
	// Recovery is the first point at or after Valley with zero drawdown. It
	// is meaningful only if Recovered is true.
	Recovery int
	// Recovered reports whether the drawdown has ended.
	Recovered bool
	// Depth is the drawdown at Valley, W_valley/W_peak - 1, a fraction ≤ 0;
	// pyfolio's "net drawdown in %" is -100·Depth.
	Depth float64
}

// BusinessDays returns pyfolio's "Duration" of the drawdown: the number of
// Monday–Friday calendar dates from the peak date to the recovery date, both
// included, or NaN if the drawdown has not recovered (pyfolio
// gen_drawdown_table; METRICS.md §3). times[i] is the timestamp of bar i and
// start the timestamp of the starting capital, used for index -1. Dates are
// taken in each time's own location.
func (d Drawdown) BusinessDays(start time.Time, times []time.Time) float64 {
	if !d.Recovered {
		return math.NaN()
	}
	at := func(i int) time.Time {
		if i < 0 {
			return start
		}
		return times[i]
	}
	return float64(businessDays(at(d.Peak), at(d.Recovery)))
}

// businessDays counts the Monday–Friday dates from a's date to b's date,
// both included; it is 0 if b's date is before a's.
func businessDays(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	from := time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)
	to := time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC)
	n := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// TopDrawdowns returns up to top drawdowns, largest first, following pyfolio
// get_top_drawdowns (METRICS.md §3). The underwater series is
// [DrawdownSeries] preceded by the starting point (index -1, drawdown 0), so
// unlike plain pyfolio a loss on the first bar is seen. After each drawdown
// the points strictly between its peak and recovery are removed, or, if it
// has not recovered, every point after its peak; the search stops early when
// nothing is left underwater. A series that never falls below its peak gives
// a single row with Peak = Valley = Recovery = -1 and Depth 0. Empty input
// or top < 1 gives no rows.
func TopDrawdowns(r []float64, top int) []Drawdown {
	if len(r) == 0 || top < 1 {
		return nil
	}
	dd := DrawdownSeries(r)
	at := func(i int) float64 {
		if i < 0 {
			return 0
		}
		return dd[i]
	}
	// alive holds the points still in the underwater series, in order.
	alive := make([]int, len(r)+1)
	for k := range alive {
		alive[k] = k - 1
	}
	var out []Drawdown
	for range top {
		v := 0
		for k, i := range alive {
			if at(i) < at(alive[v]) {
				v = k
			}
		}
		// The starting point is never removed and has drawdown 0, so a
		// peak always exists.
		p := v
		for at(alive[p]) != 0 {
			p--
		}
		d := Drawdown{Peak: alive[p], Valley: alive[v], Recovery: -1, Depth: at(alive[v])}
		rec := -1
		for k := v; k < len(alive); k++ {
			if at(alive[k]) == 0 {
				rec = k
				break
			}
		}
		if rec >= 0 {
			d.Recovery, d.Recovered = alive[rec], true
			if rec > p+1 {
				alive = slices.Delete(alive, p+1, rec)
			}
		} else {
			alive = alive[:p+1]
		}
		out = append(out, d)
		low := 0.0
		for _, i := range alive {
			low = min(low, at(i))
		}
		if low == 0 {
			break
		}
	}
	return out
}
