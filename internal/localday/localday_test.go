package localday

import (
	"testing"
	"time"
)

// TestSpan: over zones with daylight-saving changes (one at midnight, one
// of half an hour), a fixed zone with a negative offset and UTC, every
// time of a span has the date and offset of the time it was found for
// and its seconds since midnight are u - midnight, and the second before
// the span and the one at its end differ in date or offset (unless the
// day ends there).
func TestSpan(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", -(9*3600 + 30*60))}
	for _, name := range []string{"America/Havana", "America/Santiago", "Australia/Lord_Howe", "Europe/London", "America/New_York"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skip(err)
		}
		zones = append(zones, loc)
	}
	same := func(a, b time.Time) bool {
		_, oa := a.Zone()
		_, ob := b.Zone()
		ya, ma, da := a.Date()
		yb, mb, db := b.Date()
		return oa == ob && ya == yb && ma == mb && da == db
	}
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, loc := range zones {
		// Every 7 minutes and 13 seconds over two years: the clock
		// changes of each zone fall inside some span.
		for u := start; u < start+2*365*86400; u += 7*60 + 13 {
			at := time.Unix(u, 0).In(loc)
			midnight, from, to := Span(at)
			if !(from <= u && u < to) || to-from > 86400 {
				t.Fatalf("%v: span [%d, %d) of %d", at, from, to, u)
			}
			_, off := at.Zone()
			if got := u - midnight; got != int64(at.Hour()*3600+at.Minute()*60+at.Second()) || (midnight+int64(off))%86400 != 0 {
				t.Fatalf("%v: midnight %d, %d s after it", at, midnight, got)
			}
			for _, v := range []int64{from, to - 1, (from + to) / 2} {
				if b := time.Unix(v, 0).In(loc); !same(at, b) {
					t.Fatalf("%v: %v in its span has another date or offset", at, b)
				}
			}
			if b := time.Unix(from-1, 0).In(loc); same(at, b) {
				t.Fatalf("%v: the span [%v, %v) could start earlier", at, time.Unix(from, 0).In(loc), time.Unix(to, 0).In(loc))
			}
			if b := time.Unix(to, 0).In(loc); same(at, b) {
				t.Fatalf("%v: the span [%v, %v) could end later", at, time.Unix(from, 0).In(loc), time.Unix(to, 0).In(loc))
			}
		}
	}
}
