package metrics

import (
	"iter"
	"math"
	"time"
)

// DrawdownBars returns the longest run of consecutive bars whose drawdown
// (from [DrawdownSeries]) is non-zero and the length of the run still open at
// the last bar (backtrader DrawDown analyzer, max.len and len; METRICS.md
// §3). Both are 0 for an empty series. The unit is bars, not days. It reads
// r once.
func DrawdownBars(r Column) (longest, current int) {
	w, peak := 1.0, 1.0
	for ch := range r.Chunks() {
		for _, v := range ch {
			w, peak = wealthStep(w, peak, v)
			if w/peak-1 != 0 {
				current++
				longest = max(longest, current)
			} else {
				current = 0
			}
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

// DrawdownPeriods yields the maximal runs of consecutive bars with a
// negative drawdown (from [DrawdownSeries]), in time order (quantstats
// drawdown_details; METRICS.md §3). Because the drawdown is measured from the
// starting capital, a period can start on the first bar; quantstats misses
// that case and this function does not copy its bug. "Longest DD days" is the
// maximum CalendarDays and "Avg. drawdown" the mean Depth (see
// [DatedDrawdownPeriods] to get the days in the same pass). NaN counts as a
// zero return. A series that never falls below its peak gives no periods.
//
// A series can hold about n/2 periods, so they are yielded one by one as r
// is read, in one pass and constant memory.
func DrawdownPeriods(r Column) iter.Seq[DrawdownPeriod] {
	return func(yield func(DrawdownPeriod) bool) {
		var p DrawdownPeriod
		in := false
		w, peak := 1.0, 1.0
		i := 0
		for ch := range r.Chunks() {
			for _, v := range ch {
				w, peak = wealthStep(w, peak, v)
				dd := w/peak - 1
				switch {
				case dd < 0 && !in:
					in = true
					p = DrawdownPeriod{Start: i, Valley: i, Depth: dd}
				case dd < 0:
					if dd < p.Depth {
						p.Valley, p.Depth = i, dd
					}
				case in:
					in = false
					p.End, p.Recovered = i-1, true
					if !yield(p) {
						return
					}
				}
				i++
			}
		}
		if in {
			p.End = i - 1
			yield(p)
		}
	}
}

// DatedDrawdownPeriod is a [DrawdownPeriod] with the times of its first and
// last underwater bars.
type DatedDrawdownPeriod struct {
	DrawdownPeriod
	// StartTime and EndTime are the times of the bars Start and End.
	StartTime, EndTime time.Time
}

// Days returns quantstats' "days" of the period, as
// [DrawdownPeriod.CalendarDays] computes them: the calendar days from
// StartTime to EndTime plus one, with partial days truncated (METRICS.md §3).
func (p DatedDrawdownPeriod) Days() int {
	return int(p.EndTime.Sub(p.StartTime)/(24*time.Hour)) + 1
}

// DatedDrawdownPeriods is [DrawdownPeriods] with the times of each period's
// first and last bars, read alongside r in the same single pass; times[i]
// is the time of bar i. It panics if the lengths differ.
func DatedDrawdownPeriods(r Column, times Times) iter.Seq[DatedDrawdownPeriod] {
	return func(yield func(DatedDrawdownPeriod) bool) {
		var a datedAcc
		a.init()
		for ch, tch := range zipTimes(r, times) {
			for k, v := range ch {
				if a.step(v, tch[k]) && !yield(a.p) {
					return
				}
			}
		}
		if p, ok := a.end(); ok {
			yield(p)
		}
	}
}

// datedAcc follows DatedDrawdownPeriods, one return at a time.
type datedAcc struct {
	p       DatedDrawdownPeriod // the open period, or the one just closed
	prev    time.Time           // the time of the previous bar
	in      bool
	w, peak float64
	i       int // index of the next bar
}

func (a *datedAcc) init() { a.w, a.peak = 1, 1 }

// step adds the return v at time t; it reports whether the bar closes a
// period, which is then a.p.
func (a *datedAcc) step(v float64, t time.Time) (closed bool) {
	a.w, a.peak = wealthStep(a.w, a.peak, v)
	dd := a.w/a.peak - 1
	switch {
	case dd < 0 && !a.in:
		a.in = true
		a.p = DatedDrawdownPeriod{DrawdownPeriod{Start: a.i, Valley: a.i, Depth: dd}, t, time.Time{}}
	case dd < 0:
		if dd < a.p.Depth {
			a.p.Valley, a.p.Depth = a.i, dd
		}
	case a.in:
		a.in, closed = false, true
		a.p.End, a.p.Recovered, a.p.EndTime = a.i-1, true, a.prev
	}
	a.prev = t
	a.i++
	return closed
}

// end returns the period still open at the last bar, if any.
func (a *datedAcc) end() (p DatedDrawdownPeriod, open bool) {
	if !a.in {
		return p, false
	}
	a.p.End, a.p.EndTime = a.i-1, a.prev
	return a.p, true
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
// taken in each time's own location. Without the times in memory, use
// [Drawdown.Duration] with the two times, found for example by [TimesAt].
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
	return d.Duration(at(d.Peak), at(d.Recovery))
}

// Duration is [Drawdown.BusinessDays] given the times of the peak and of the
// recovery: the Monday–Friday dates from peak's date to recovery's, both
// included, or NaN if the drawdown has not recovered.
func (d Drawdown) Duration(peak, recovery time.Time) float64 {
	if !d.Recovered {
		return math.NaN()
	}
	return float64(businessDays(peak, recovery))
}

// businessDays counts the Monday–Friday dates from a's date to b's date,
// both included; it is 0 if b's date is before a's. Each whole week of
// the dates holds five; the days left over are counted one by one.
func businessDays(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	from := time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)
	to := time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC)
	if to.Before(from) {
		return 0
	}
	days := (to.Unix()-from.Unix())/(24*60*60) + 1 // UTC days are 24 hours
	n := int(days / 7 * 5)
	wd := from.Weekday()
	for range days % 7 {
		if wd != time.Saturday && wd != time.Sunday {
			n++
		}
		wd = (wd + 1) % 7
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
//
// It reads r once, keeping only the top best rows. pyfolio's repeated
// search-and-remove amounts to this: the points with zero drawdown split
// the series into independent segments of non-zero drawdown (the last one,
// if the series ends under water, unrecovered); each search takes the
// segment holding the lowest remaining point (the earliest on ties), with
// the zero before it as the peak and the zero after it as the recovery, and
// removes exactly that segment. So the rows are the segments with a
// negative drawdown, ordered by depth and then by time. Once none is left,
// pyfolio stops, unless a NaN drawdown (which follows an infinite or NaN
// wealth, and so lasts to the end) is still present: then its search finds
// the starting point again and again, and the result is padded with the
// no-drawdown row up to top rows, as pyfolio's would be.
func TopDrawdowns(r Column, top int) []Drawdown {
	if r.Len() == 0 || top < 1 {
		return nil
	}
	a := topAcc{top: top}
	w, peak := 1.0, 1.0
	for ch := range r.Chunks() {
		for _, v := range ch {
			w, peak = wealthStep(w, peak, v)
			a.step(w/peak - 1)
		}
	}
	return a.result()
}

// topAcc accumulates TopDrawdowns, one drawdown value at a time.
type topAcc struct {
	top                 int
	best                []Drawdown // at most top, sorted by Depth, then by time
	cur                 Drawdown   // the open segment
	in, curNaN, nanLeft bool
	i                   int // index of the next point
}

// insert files the drawdown d among the best.
func (a *topAcc) insert(d Drawdown) {
	if len(a.best) == a.top && !(d.Depth < a.best[a.top-1].Depth) {
		return
	}
	j := len(a.best)
	for j > 0 && d.Depth < a.best[j-1].Depth {
		j--
	}
	if len(a.best) < a.top {
		a.best = append(a.best, Drawdown{})
	}
	copy(a.best[j+1:], a.best[j:len(a.best)-1])
	a.best[j] = d
}

// closeSegment files the open segment, which ends before point a.i.
func (a *topAcc) closeSegment(recovered bool) {
	a.in = false
	if a.cur.Depth < 0 {
		if recovered {
			a.cur.Recovery, a.cur.Recovered = a.i, true
		}
		a.insert(a.cur)
	} else if a.curNaN {
		a.nanLeft = true // never removed, so pyfolio never stops early
	}
}

// step adds the drawdown dd of the next point.
func (a *topAcc) step(dd float64) {
	switch {
	case dd == 0:
		if a.in {
			a.closeSegment(true)
		}
	case !a.in:
		a.in, a.curNaN = true, false
		a.cur = Drawdown{Peak: a.i - 1, Valley: -1, Recovery: -1}
		fallthrough
	default:
		if dd < a.cur.Depth {
			a.cur.Valley, a.cur.Depth = a.i, dd
		}
		if dd != dd {
			a.curNaN = true
		}
	}
	a.i++
}

// result returns the top drawdowns of the points added.
func (a *topAcc) result() []Drawdown {
	if a.in {
		a.closeSegment(false)
	}
	none := Drawdown{Peak: -1, Valley: -1, Recovery: -1, Recovered: true}
	if len(a.best) == 0 {
		a.best = append(a.best, none)
	}
	for a.nanLeft && len(a.best) < a.top {
		a.best = append(a.best, none)
	}
	return a.best
}
