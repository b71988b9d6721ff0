package metrics

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/internal/localday"
)

// Period is a calendar period used to aggregate returns.
type Period int

// Calendar periods for [AggregateReturns].
const (
	Week    Period = iota + 1 // (calendar year, ISO week number)
	Month                     // (year, month)
	Quarter                   // (year, quarter 1–4)
	Year                      // year
)

// String returns the name of the period.
func (p Period) String() string {
	switch p {
	case Week:
		return "week"
	case Month:
		return "month"
	case Quarter:
		return "quarter"
	case Year:
		return "year"
	}
	return "Period(" + strconv.Itoa(int(p)) + ")"
}

// PeriodReturn is the compounded return of one calendar period.
type PeriodReturn struct {
	// Year is the calendar year of the period's returns.
	Year int
	// Index is the ISO week number (1–53), month (1–12) or quarter (1–4)
	// within Year, or 0 when aggregating by Year.
	Index int
	// Return is Π(1+r) - 1 over the period's returns.
	Return float64
}

// AggregateReturns groups returns by calendar period and compounds each
// group, Π(1+r) - 1, treating NaN as a zero return (empyrical
// aggregate_returns; METRICS.md §2.3). times[i] is the timestamp of r[i],
// and calendar fields are taken in each time's own location. The groups are
// returned in increasing (Year, Index) order; within a group the returns are
// compounded in input order.
//
// Weekly keys pair the calendar year with the ISO week number, reproducing
// empyrical's quirk: 1–3 January can fall into ISO week 52 or 53, which is
// then keyed to the same calendar year and sorts after that year's week 1;
// likewise 29–31 December can fall into ISO week 1 and is then compounded
// together with the first days of the same calendar year.
//
// Empty input gives an empty slice. It panics if the lengths of r and times
// differ or if p is not one of Week, Month, Quarter or Year.
//
// It reads r and times once, side by side, compounding each return into its
// period's running product as it comes, which multiplies in input order; so
// memory grows with the number of periods, not of returns.
func AggregateReturns(r Column, times Times, p Period) []PeriodReturn {
	if r.Len() != times.Len() {
		panic("metrics: series length mismatch")
	}
	a := newAggAcc(p)
	for ch, tch := range zipTimes(r, times) {
		for i, t := range tch {
			a.step(ch[i], t)
		}
	}
	return a.result()
}

// aggKey is the calendar key of a period.
type aggKey struct{ year, index int }

// aggAcc accumulates AggregateReturns, one return at a time.
type aggAcc struct {
	p       Period
	out     []PeriodReturn // the running products Π(1+r), unsorted
	at      map[aggKey]int // position of each period in out
	last    int            // position of the previous return's period
	lastKey aggKey
	// Within one month (in one location) the key of Month, Quarter and
	// Year is the same, so a time in the Unix seconds [from, to) of the
	// previous time's month, in the same location, reuses lastKey. Month
	// boundaries are whole seconds, so comparing seconds is exact. The
	// key of Week is the same within one day: its span is the previous
	// time's day within the period of its zone's offset, where the wall
	// clock does not turn back (see localday.Span).
	from, to int64
	loc      *time.Location
}

// newAggAcc returns an empty aggAcc for p. It panics if p is not one of
// Week, Month, Quarter or Year.
func newAggAcc(p Period) *aggAcc {
	if p < Week || p > Year {
		panic("metrics: invalid aggregation period")
	}
	return &aggAcc{p: p, at: map[aggKey]int{}, last: -1}
}

// step adds the return v at time t.
func (a *aggAcc) step(v float64, t time.Time) {
	if u := t.Unix(); a.last >= 0 && u >= a.from && u < a.to && t.Location() == a.loc {
		if !math.IsNaN(v) {
			a.out[a.last].Return *= 1 + v
		}
		return
	}
	var k aggKey
	switch a.p {
	case Week:
		k.year = t.Year()
		_, k.index = t.ISOWeek()
	case Month:
		y, m, _ := t.Date()
		k = aggKey{y, int(m)}
	case Quarter:
		y, m, _ := t.Date()
		k = aggKey{y, (int(m) + 2) / 3}
	case Year:
		k.year = t.Year()
	}
	a.loc = t.Location()
	if a.p != Week {
		y, m, _ := t.Date()
		a.from = time.Date(y, m, 1, 0, 0, 0, 0, a.loc).Unix()
		a.to = time.Date(y, m+1, 1, 0, 0, 0, 0, a.loc).Unix()
	} else {
		_, a.from, a.to = localday.Span(t)
	}
	if a.last < 0 || k != a.lastKey {
		j, ok := a.at[k]
		if !ok {
			j = len(a.out)
			a.at[k] = j
			a.out = append(a.out, PeriodReturn{Year: k.year, Index: k.index, Return: 1})
		}
		a.last, a.lastKey = j, k
	}
	if !math.IsNaN(v) {
		a.out[a.last].Return *= 1 + v
	}
}

// result returns the compounded periods in key order.
func (a *aggAcc) result() []PeriodReturn {
	out := a.out
	slices.SortFunc(out, func(a, b PeriodReturn) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Index, b.Index))
	})
	for j := range out {
		out[j].Return--
	}
	if out == nil {
		out = []PeriodReturn{}
	}
	return out
}

// Calendar computes, in one pass over r and times side by side,
// AggregateReturns(r, times, p) for each p of periods, in that order, and,
// if each is not nil, calls each with every period of
// DatedDrawdownPeriods(r, times) in time order, as it closes. It is an
// [Aggregator] given every return of r with its time. It panics if the
// lengths differ or if a period is invalid.
func Calendar(r Column, times Times, periods []Period, each func(DatedDrawdownPeriod)) [][]PeriodReturn {
	a := NewAggregator(periods, each)
	for ch, tch := range zipTimes(r, times) {
		for i, t := range tch {
			a.Add(ch[i], t)
		}
	}
	return a.Result()
}

// Aggregator computes Calendar as its series is made, one dated return at
// a time; its memory grows with the number of calendar periods, not of
// returns.
type Aggregator struct {
	accs []*aggAcc
	each func(DatedDrawdownPeriod)
	dp   datedAcc
}

// NewAggregator returns an Aggregator of the calendar periods periods
// that calls each, if not nil, with every drawdown period as it closes,
// as Calendar takes them. It panics if a period is invalid.
func NewAggregator(periods []Period, each func(DatedDrawdownPeriod)) *Aggregator {
	a := &Aggregator{accs: make([]*aggAcc, len(periods)), each: each}
	for k, p := range periods {
		a.accs[k] = newAggAcc(p)
	}
	a.dp.init()
	return a
}

// Add adds the next return v, at the time t.
func (a *Aggregator) Add(v float64, t time.Time) {
	for _, acc := range a.accs {
		acc.step(v, t)
	}
	if a.each != nil {
		if a.dp.step(v, t) {
			a.each(a.dp.p)
		}
	}
}

// Result calls each with the drawdown period still open, if any, and
// returns the compounded returns of each calendar period, as Calendar.
// Call it once, after the last Add.
func (a *Aggregator) Result() [][]PeriodReturn {
	if a.each != nil {
		if p, ok := a.dp.end(); ok {
			a.each(p)
		}
	}
	out := make([][]PeriodReturn, len(a.accs))
	for k, acc := range a.accs {
		out[k] = acc.result()
	}
	return out
}
