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
func AggregateReturns(r []float64, times []time.Time, p Period) []PeriodReturn {
	if len(r) != len(times) {
		panic("metrics: slice length mismatch")
	}
	if p < Week || p > Year {
		panic("metrics: invalid aggregation period")
	}
	type row struct {
		year, index, pos int
	}
	rows := make([]row, len(r))
	for i, t := range times {
		rows[i] = row{year: t.Year(), pos: i}
		switch p {
		case Week:
			_, rows[i].index = t.ISOWeek()
		case Month:
			rows[i].index = int(t.Month())
		case Quarter:
			rows[i].index = (int(t.Month()) + 2) / 3
		}
	}
	// Sorting by input position last keeps each group in input order.
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.index, b.index), cmp.Compare(a.pos, b.pos))
	})
	out := []PeriodReturn{}
	for i := 0; i < len(rows); {
		j := i
		w := 1.0
		for ; j < len(rows) && rows[j].year == rows[i].year && rows[j].index == rows[i].index; j++ {
			if v := r[rows[j].pos]; !math.IsNaN(v) {
				w *= 1 + v
			}
		}
		out = append(out, PeriodReturn{Year: rows[i].year, Index: rows[i].index, Return: w - 1})
		i = j
	}
	return out
}
