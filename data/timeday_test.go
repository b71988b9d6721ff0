package data

import (
	"testing"
	"time"
)

// TestParseUTCSameAsDate: times of day in UTC parsed row after row, the
// date of the row before reused, are the time.Time values (compared
// with ==, zone included) and the statuses that parsing the date and the
// clock and calling time.Date give, across days, months, a leap day, bad
// dates and bad clocks, and after a bad row.
func TestParseUTCSameAsDate(t *testing.T) {
	rows := []string{
		"2020-02-28 23:58:00", "2020-02-28 23:59:59.5", "2020-02-29 00:00:00", "2020-02-29 00:00:00.000000001",
		"2020-02-30 00:01:00", "2020-02-29 24:00:00", "2020-02-29 12:61:00", "2020-02-29 12:00:00Z",
		"2020-02-29 12:00:00.", "2020-02-29 12:00", "2020-03-01 00:00:00", "2021-02-29 00:00:00",
		"2020-03-01 23:59:59.999999999", "1969-12-31 23:59:59", "1970-01-01 00:00:00", "2262-04-11 23:47:16",
		"2020-03-01 00:00:01", "202x-03-01 00:00:01", "2020-03-01 00:00:02",
	}
	want := func(f timeFormat, s string) (time.Time, parseStatus) {
		y, m, d, st := parseYMD(s[:10])
		if st != parseOK {
			return time.Time{}, st
		}
		h, mi, sec, ns, rest, st := parseClock(s[11:], f.kind == kindSecond)
		if st != parseOK {
			return time.Time{}, st
		}
		if rest != "" {
			return time.Time{}, parseShape
		}
		return time.Date(y, time.Month(m), d, h, mi, sec, ns, time.UTC), parseOK
	}
	for _, f := range []timeFormat{{kind: kindSecond, sep: ' '}, {kind: kindMinute, sep: ' '}} {
		p := timeParser{loc: time.UTC}
		for _, s := range rows {
			if f.kind == kindMinute && len(s) > 16 {
				s = s[:16]
			}
			got, gotSt := p.parse(f, s)
			w, wantSt := want(f, s)
			if got != w || gotSt != wantSt {
				t.Errorf("%s as %v: %v (%#v), status %d; want %v (%#v), status %d", s, f, got, got, gotSt, w, w, wantSt)
			}
		}
	}
}
