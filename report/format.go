package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The report's display formats. They are for reading only: the CSV files
// and results.json keep every value exact.

// fmtNum formats x with dec decimals and a comma between groups of three
// digits: fmtNum(1234567.891, 2) is "1,234,567.89". Non-finite values
// print as "-".
func fmtNum(x float64, dec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if s[0] == '-' && strings.Trim(s, "-0.") == "" {
		s = s[1:] // "-0.00" reads as zero
	}
	return groupDigits(s)
}

// groupDigits puts a comma between groups of three digits of the integer
// part of the decimal text s: "-1234567.5" is "-1,234,567.5".
func groupDigits(s string) string {
	sign := ""
	if s != "" && s[0] == '-' {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteString(frac)
	return b.String()
}

// fmtMoney formats an amount of the account currency, without a currency
// sign: two decimals with thousands separators, or, below 1 in magnitude
// and not zero, four significant decimals ("0.0035").
func fmtMoney(x float64) string {
	if a := math.Abs(x); a != 0 && a < 1 {
		return fmtNum(x, 4)
	}
	return fmtNum(x, 2)
}

// fmtPrice formats a price: two decimals from 1 up, four below 1, six
// below 0.01, with thousands separators.
func fmtPrice(x float64) string {
	switch a := math.Abs(x); {
	case a == 0 || a >= 1:
		return fmtNum(x, 2)
	case a >= 0.01:
		return fmtNum(x, 4)
	default:
		return fmtNum(x, 6)
	}
}

// fmtQty formats a quantity: an integer when it is one, else up to six
// decimals, with thousands separators.
func fmtQty(x float64) string {
	if x == math.Trunc(x) {
		return fmtNum(x, 0)
	}
	s := fmtNum(x, 6)
	return strings.TrimRight(s, "0")
}

// fmtPct formats a fraction as a signed percentage with two decimals:
// 0.1234 is "+12.34 %", -0.05 is "-5.00 %", 0 is "0.00 %".
func fmtPct(x float64) string {
	s := fmtNum(100*x, 2)
	if s != "-" && s[0] != '-' && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	if s == "-" {
		return s
	}
	return s + " %"
}

// fmtPctPlain formats a fraction that has no direction (a volatility, a
// win rate, an exposure) as a percentage with two decimals and no sign.
func fmtPctPlain(x float64) string {
	s := fmtNum(100*x, 2)
	if s == "-" {
		return s
	}
	return s + " %"
}

// fmtRatio formats a ratio (Sharpe, beta, profit factor) with two
// decimals.
func fmtRatio(x float64) string { return fmtNum(x, 2) }

// fmtDuration formats a holding time or a drawdown's length for reading:
// whole days from two days up ("135 days"), else whole hours from two
// hours up ("6 hours"), else minutes, else seconds.
func fmtDuration(d time.Duration) string {
	unit := func(n float64, one, many string) string {
		r := math.Round(n)
		if r == 1 {
			return "1 " + one
		}
		return fmtNum(r, 0) + " " + many
	}
	switch {
	case d >= 48*time.Hour:
		return unit(d.Hours()/24, "day", "days")
	case d >= 2*time.Hour:
		return unit(d.Hours(), "hour", "hours")
	case d >= 2*time.Minute:
		return unit(d.Minutes(), "minute", "minutes")
	default:
		return unit(d.Seconds(), "second", "seconds")
	}
}

// fmtGoDuration formats a duration written as Go writes it ("72h0m0s")
// with fmtDuration; text that is not one prints as "-".
func fmtGoDuration(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil {
		return "-"
	}
	return fmtDuration(d)
}

// timeFormatter formats the RFC 3339 times of a run's files for the page:
// the date alone when the run's bars are daily or coarser (every bar at
// midnight in its zone), else the date and the time to the minute or
// second.
type timeFormatter struct{ daily bool }

// format formats the RFC 3339 time s; empty or unreadable text is kept.
func (f timeFormatter) format(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	switch {
	case f.daily:
		return t.Format("2006-01-02")
	case t.Second() == 0 && t.Nanosecond() == 0:
		return t.Format("2006-01-02 15:04")
	default:
		return t.Format("2006-01-02 15:04:05")
	}
}

// atMidnight reports whether t is at midnight in its own zone.
func atMidnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}
