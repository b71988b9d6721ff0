// Package walkforward tests a strategy out of sample by construction:
// window arithmetic over a run's bar times (rolling or anchored training
// spans followed by test spans), the walk-forward procedure (optimize on
// each training span with the sweep machinery, trade each test span with
// the winner, all test spans in one continuous run whose parameters change
// at each boundary), and purged, embargoed cross-validation splits of the
// bar index (k-fold and combinatorial purged cross-validation).
// docs/walkforward.md is the guide.
package walkforward

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of a Span.
type Unit int

// The units of a Span: calendar days, weeks, months and years, or bars
// (bar times: one timestamp of the merged data, whatever the number of
// symbols).
const (
	Days Unit = iota + 1
	Weeks
	Months
	Years
	Bars
)

// suffixes are the units' suffixes, longest first so that "mo" is tried
// before a one-letter suffix.
var suffixes = []struct {
	text string
	unit Unit
}{{"mo", Months}, {"d", Days}, {"w", Weeks}, {"y", Years}, {"b", Bars}}

// Span is a length of time: N calendar days, weeks, months or years, or N
// bar times.
type Span struct {
	N    int
	Unit Unit
}

// ParseSpan reads a span written as a whole number and a unit: 30d, 6w,
// 18mo, 3y or 1000b.
func ParseSpan(s string) (Span, error) {
	t := strings.TrimSpace(s)
	for _, u := range suffixes {
		num, ok := strings.CutSuffix(t, u.text)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 {
			break
		}
		return Span{N: n, Unit: u.unit}, nil
	}
	return Span{}, fmt.Errorf("span %q: want a positive whole number and a unit: d (days), w (weeks), mo (months), y (years) or b (bars), such as 3y or 1000b", s)
}

// String returns s as ParseSpan reads it.
func (s Span) String() string {
	for _, u := range suffixes {
		if u.unit == s.Unit {
			return strconv.Itoa(s.N) + u.text
		}
	}
	return ""
}

// IsZero reports whether s is no span.
func (s Span) IsZero() bool { return s.N == 0 }

// calendar returns s as the years, months and days of time.AddDate,
// multiplied by k.
func (s Span) calendar(k int) (y, m, d int) {
	switch s.Unit {
	case Days:
		return 0, 0, k * s.N
	case Weeks:
		return 0, 0, 7 * k * s.N
	case Months:
		return 0, k * s.N, 0
	case Years:
		return k * s.N, 0, 0
	}
	return 0, 0, 0
}

// Spec is how a walk-forward cuts the data into windows.
type Spec struct {
	// Train and Test are the lengths of each window's training and test
	// spans.
	Train, Test Span
	// Step is how far each window's test start is after the previous
	// one's; zero is Test. It may not exceed Test, so that the test spans
	// leave no gap.
	Step Span
	// Anchored keeps every training span starting at the first bar;
	// otherwise each is the Train just before its test span (rolling).
	Anchored bool
}

// Window is one window of a walk-forward, as bar indices into the bar
// times it was cut from: training bars [TrainStart, TrainEnd) and test
// bars [TestStart, TestEnd), starts inclusive and ends exclusive.
// TrainEnd equals TestStart.
type Window struct {
	TrainStart, TrainEnd, TestStart, TestEnd int
}

// Windows cuts the bar times times (sorted, increasing) into windows.
//
// With bar spans, window k (from 0) tests from bar b = Train + k×Step to
// min(b + Test, len(times)); its training bars are [b - Train, b), or
// [0, b) when anchored.
//
// With calendar spans, the boundaries are dates: with t0 the first bar's
// time at midnight of its day (in its location), window k tests the bars
// whose time t satisfies t0 + Train + k×Step <= t < t0 + Train + k×Step +
// Test, and trains on those with t0 + k×Step <= t < t0 + Train + k×Step
// (from t0 when anchored). A sum of months or years is made by one
// time.AddDate, which normalizes a day the month lacks (January 31 plus
// one month is March 3 or 2).
//
// The last window's test span may be cut short by the end of the data;
// windows stop at the first whose test span starts after the last bar,
// and a window whose test or training span holds no bar (a gap in the
// data) is left out. Train, Test and Step must all be bar spans or all calendar spans.
func (s Spec) Windows(times []time.Time) ([]Window, error) {
	step := s.Step
	if step.IsZero() {
		step = s.Test
	}
	if s.Train.IsZero() || s.Test.IsZero() {
		return nil, errors.New("walkforward: give both a training and a test span")
	}
	bars := s.Train.Unit == Bars
	if (s.Test.Unit == Bars) != bars || (step.Unit == Bars) != bars {
		return nil, fmt.Errorf("walkforward: spans %s, %s and %s: all must be bar counts or all calendar spans", s.Train, s.Test, step)
	}
	if bars && step.N > s.Test.N {
		return nil, fmt.Errorf("walkforward: step %s is longer than test %s: the test spans would leave gaps", step, s.Test)
	}
	if !bars {
		// Compared on a common day, the first of a 31-day month.
		day := time.Date(2001, time.January, 1, 0, 0, 0, 0, time.UTC)
		if day.AddDate(step.calendar(1)).After(day.AddDate(s.Test.calendar(1))) {
			return nil, fmt.Errorf("walkforward: step %s is longer than test %s: the test spans would leave gaps", step, s.Test)
		}
	}
	n := len(times)
	var out []Window
	for k := 0; ; k++ {
		var w Window
		if bars {
			w.TestStart = s.Train.N + k*step.N
			w.TestEnd = min(w.TestStart+s.Test.N, n)
			w.TrainStart = w.TestStart - s.Train.N
		} else {
			if n == 0 {
				return nil, nil
			}
			t0 := times[0]
			y, mo, d := t0.Date()
			t0 = time.Date(y, mo, d, 0, 0, 0, 0, t0.Location())
			sy, sm, sd := step.calendar(k)
			ty, tm, td := s.Train.calendar(1)
			start := t0.AddDate(sy+ty, sm+tm, sd+td)
			ey, em, ed := s.Test.calendar(1)
			w.TestStart = index(times, start)
			w.TestEnd = index(times, t0.AddDate(sy+ty+ey, sm+tm+em, sd+td+ed))
			w.TrainStart = index(times, t0.AddDate(sy, sm, sd))
		}
		if s.Anchored {
			w.TrainStart = 0
		}
		w.TrainEnd = w.TestStart
		if w.TestStart >= n {
			return out, nil
		}
		if w.TestEnd > w.TestStart && w.TrainEnd > w.TrainStart {
			out = append(out, w)
		}
	}
}

// index returns the index of the first of times at or after t
// (len(times) when none is).
func index(times []time.Time, t time.Time) int {
	return sort.Search(len(times), func(i int) bool { return !times[i].Before(t) })
}
