package strategy

import (
	"errors"
	"fmt"
	"time"
)

// Period is a calendar period of a schedule rule.
type Period uint8

// The periods. A week is an ISO 8601 week (Monday to Sunday); a quarter
// is January–March, April–June, July–September or October–December. Each
// is taken in the location of the bars' times (the data's time zone).
const (
	Day Period = iota + 1
	Week
	Month
	Quarter
	Year
)

var periodNames = [...]string{Day: "day", Week: "week", Month: "month", Quarter: "quarter", Year: "year"}

// String returns the period's name, such as "month".
func (p Period) String() string {
	if p >= Day && p <= Year {
		return periodNames[p]
	}
	return fmt.Sprintf("Period(%d)", uint8(p))
}

// key returns a number that differs between two times exactly when they
// are in different periods p.
func (p Period) key(t time.Time) int {
	y, m, d := t.Date()
	switch p {
	case Day:
		return (y*100+int(m))*100 + d
	case Week:
		wy, w := t.ISOWeek()
		return wy*100 + w
	case Month:
		return y*100 + int(m)
	case Quarter:
		return y*10 + (int(m)-1)/3
	}
	return y
}

type ruleKind uint8

const (
	everyBar ruleKind = iota + 1
	everyN
	firstOf
	lastOf
	atTime
)

// Rule says at which timestamps a scheduled function runs. Rules are
// evaluated on the data's own timestamps (the times at which at least one
// symbol of the run has a bar), never on the wall clock, and never on a
// timestamp not yet seen. Make one with EveryBar, EveryNBars, FirstBarOf,
// LastBarOf or AtTimeOfDay.
type Rule struct {
	kind   ruleKind
	period Period
	n      int
	clock  time.Duration // time of day, for atTime
}

// EveryBar fires at every timestamp.
func EveryBar() Rule { return Rule{kind: everyBar} }

// EveryNBars fires at the data's first timestamp and at every n-th after
// it: timestamps 0, n, 2n, … counted from the first of the run.
func EveryNBars(n int) Rule { return Rule{kind: everyN, n: n} }

// FirstBarOf fires at the first timestamp of each period p: a timestamp
// whose period differs from the previous timestamp's, and the data's
// first timestamp. Timestamps are those of the whole run, so when one
// symbol has no bar on the month's first trading day and another has, the
// rule fires on that day all the same, and the symbol without a bar is
// seen at its latest bar (its History's Ago(0) is older than ctx.Time()).
// When no symbol has a bar on that day, the rule fires at the month's
// first timestamp that has one.
func FirstBarOf(p Period) Rule { return Rule{kind: firstOf, period: p} }

// LastBarOf fires once a period p is known to have ended. Whether a
// timestamp is the last of its period depends on the next timestamp,
// which is not known at the time without looking ahead, so the rule
// fires at the first timestamp of the following period (the same
// timestamps as FirstBarOf(p), ctx.Time() being the new period's time),
// and at the data's last timestamp, which ends every period. Its decision
// uses the closes known then, which include the new period's first bar.
// For intraday data, AtTimeOfDay decides at a fixed time before the close
// instead.
func LastBarOf(p Period) Rule { return Rule{kind: lastOf, period: p} }

// AtTimeOfDay fires once a day, at the day's first timestamp whose clock
// time (in the bars' location) is at or after hour:minute. A day whose
// bars all come before that time does not fire. For daily bars, stamped at
// midnight, AtTimeOfDay(0, 0) fires on every day.
func AtTimeOfDay(hour, minute int) Rule {
	return Rule{kind: atTime, clock: time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute, n: hour*60 + minute}
}

// String describes the rule, such as "first bar of each month".
func (r Rule) String() string {
	switch r.kind {
	case everyBar:
		return "every bar"
	case everyN:
		return fmt.Sprintf("every %d bars", r.n)
	case firstOf:
		return "first bar of each " + r.period.String()
	case lastOf:
		return "last bar of each " + r.period.String()
	case atTime:
		return fmt.Sprintf("at %02d:%02d each day", r.n/60, r.n%60)
	}
	return "no rule"
}

// validate reports a rule that cannot fire.
func (r Rule) validate() error {
	switch r.kind {
	case everyBar:
		return nil
	case everyN:
		if r.n < 1 {
			return fmt.Errorf("schedule: every %d bars: want at least 1", r.n)
		}
		return nil
	case firstOf, lastOf:
		if r.period < Day || r.period > Year {
			return fmt.Errorf("schedule: %v is not a period", r.period)
		}
		return nil
	case atTime:
		if r.n < 0 || r.n >= 24*60 || r.clock%time.Minute != 0 {
			return fmt.Errorf("schedule: time of day %v is not from 00:00 to 23:59", r.clock)
		}
		return nil
	}
	return errors.New("schedule: the zero Rule fires never; make one with EveryBar, FirstBarOf, …")
}

// scheduled is one registered rule and its function.
type scheduled struct {
	rule    Rule
	fn      func(*Context) error
	lastDay int // atTime: the day key it last fired on
}

// fires reports whether s fires at the timestamp t, the n-th of the run
// (from 0); prev is the previous timestamp (zero at the first) and last
// says t is the data's last.
func (s *scheduled) fires(t, prev time.Time, n int, last bool) bool {
	r := s.rule
	switch r.kind {
	case everyBar:
		return true
	case everyN:
		return n%r.n == 0
	case firstOf:
		return n == 0 || r.period.key(t) != r.period.key(prev)
	case lastOf:
		return last || (n > 0 && r.period.key(t) != r.period.key(prev))
	case atTime:
		day := Day.key(t)
		h, m, sec := t.Clock()
		since := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
		if day == s.lastDay || since < r.clock {
			return false
		}
		s.lastDay = day
		return true
	}
	return false
}

// Schedule registers fn to run at the timestamps rule picks, with the
// same Context, after OnBars (see Runner for the order of calls).
// Functions that fire at the same timestamp run in the order they were
// registered. A strategy registers its schedules in OnStart; one
// registered later is evaluated from the next timestamp on. An invalid
// rule is an error.
func (c *Context) Schedule(rule Rule, fn func(ctx *Context) error) error {
	c.act("Schedule")
	if err := rule.validate(); err != nil {
		return err
	}
	if fn == nil {
		return errors.New("schedule: nil function")
	}
	c.r.schedules = append(c.r.schedules, &scheduled{rule: rule, fn: fn, lastDay: -1})
	return nil
}
