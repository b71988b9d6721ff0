package metrics

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"
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
	if p < Week || p > Year {
		panic("metrics: invalid aggregation period")
	}
	type key struct{ year, index int }
	var out []PeriodReturn // the running products Π(1+r), unsorted
	at := map[key]int{}    // position of each period in out
	last := -1             // position of the previous return's period
	var lastKey key
	// Within one month (in one location) the key of Month, Quarter and
	// Year is the same, so a time in the Unix seconds [from, to) of the
	// previous time's month, in the same location, reuses lastKey. Month
	// boundaries are whole seconds, so comparing seconds is exact.
	var from, to int64
	var loc *time.Location
	for ch, tch := range zipTimes(r, times) {
		for i, t := range tch {
			if u := t.Unix(); last >= 0 && u >= from && u < to && t.Location() == loc && p != Week {
				if v := ch[i]; !math.IsNaN(v) {
					out[last].Return *= 1 + v
				}
				continue
			}
			var k key
			switch p {
			case Week:
				k.year = t.Year()
				_, k.index = t.ISOWeek()
			case Month:
				y, m, _ := t.Date()
				k = key{y, int(m)}
			case Quarter:
				y, m, _ := t.Date()
				k = key{y, (int(m) + 2) / 3}
			case Year:
				k.year = t.Year()
			}
			if p != Week {
				y, m, _ := t.Date()
				loc = t.Location()
				from = time.Date(y, m, 1, 0, 0, 0, 0, loc).Unix()
				to = time.Date(y, m+1, 1, 0, 0, 0, 0, loc).Unix()
			}
			if last < 0 || k != lastKey {
				j, ok := at[k]
				if !ok {
					j = len(out)
					at[k] = j
					out = append(out, PeriodReturn{Year: k.year, Index: k.index, Return: 1})
				}
				last, lastKey = j, k
			}
			if v := ch[i]; !math.IsNaN(v) {
				out[last].Return *= 1 + v
			}
		}
	}
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
