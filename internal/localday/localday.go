// Package localday finds the span of Unix seconds over which a time's
// calendar day and zone offset both hold, for code that works out a
// time's date, or its text, once a day instead of once a time.
package localday

import "time"

// Span returns, for t in its location: midnight, the Unix seconds of the
// local midnight that starts t's day as if t's zone offset held all day;
// and [from, to), the seconds of that day within the period of t's
// offset (time.Time.ZoneBounds). Every time of [from, to) in t's location
// has t's date and t's offset, so its wall clock is its Unix seconds plus
// that offset: its seconds since midnight are u - midnight.
func Span(t time.Time) (midnight, from, to int64) {
	_, off := t.Zone()
	u := t.Unix()
	sod := (u + int64(off)) % 86400
	if sod < 0 {
		sod += 86400
	}
	midnight = u - sod
	from, to = midnight, midnight+86400
	start, end := t.ZoneBounds()
	if !start.IsZero() {
		from = max(from, start.Unix())
	}
	if !end.IsZero() {
		to = min(to, end.Unix())
	}
	return midnight, from, to
}
