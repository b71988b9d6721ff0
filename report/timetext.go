package report

import (
	"time"

	"github.com/quantloop/quantloop/internal/localday"
)

// timeText writes times as appendTime does (RFC 3339 with the fractional
// seconds only when there are any) for a column of times that advance
// within a day: it keeps the text of the date and of the zone offset of
// the last time written, with the Unix seconds [from, to) over which
// they hold, the intersection of that calendar day in the time's
// location and of the period in which its zone's offset does not
// change. Within the span the wall clock is the Unix seconds plus the
// offset, so only the clock and the fraction are formatted; a time
// outside it, in another location, or one appendTime writes in a form
// this does not cover (a year outside 0–9999, an offset with seconds)
// takes the general path again.
type timeText struct {
	loc      *time.Location
	from, to int64 // Unix seconds where date and zone hold; empty before the first time
	midnight int64 // the Unix seconds of the day's local midnight, as if the offset held all day
	day      int   // yyyymmdd of the span's date
	date     []byte
	zone     []byte
}

// covers reports whether the cached date and zone hold for t, making
// them t's if they do not and can; false means t takes the general path.
func (c *timeText) covers(t time.Time) bool {
	u := t.Unix()
	if u >= c.from && u < c.to && t.Location() == c.loc {
		return true
	}
	return c.reset(t)
}

// reset caches the date and zone of t and the span over which they hold;
// it returns false, and empties the span, when t is not of the form the
// cache covers.
func (c *timeText) reset(t time.Time) bool {
	c.from, c.to = 0, 0
	_, off := t.Zone()
	y, m, d := t.Date()
	if y < 0 || y > 9999 || off%60 != 0 {
		return false
	}
	c.midnight, c.from, c.to = localday.Span(t)
	c.loc = t.Location()
	c.day = y*10000 + int(m)*100 + d
	c.date = appendDigits(c.date[:0], y, 4)
	c.date = append(c.date, '-')
	c.date = appendDigits(c.date, int(m), 2)
	c.date = append(c.date, '-')
	c.date = appendDigits(c.date, d, 2)
	c.date = append(c.date, 'T')
	c.zone = c.zone[:0]
	if off == 0 {
		c.zone = append(c.zone, 'Z')
	} else {
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		c.zone = append(c.zone, sign)
		c.zone = appendDigits(c.zone, off/3600, 2)
		c.zone = append(c.zone, ':')
		c.zone = appendDigits(c.zone, off/60%60, 2)
	}
	return true
}

// append appends appendTime(b, t) to b.
func (c *timeText) append(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	if !c.covers(t) {
		return appendTime(b, t)
	}
	s := int(t.Unix() - c.midnight)
	b = append(b, c.date...)
	b = appendDigits(b, s/3600, 2)
	b = append(b, ':')
	b = appendDigits(b, s/60%60, 2)
	b = append(b, ':')
	b = appendDigits(b, s%60, 2)
	if ns := t.Nanosecond(); ns != 0 {
		b = append(b, '.')
		digits := 9
		for ns%10 == 0 {
			ns /= 10
			digits--
		}
		b = appendDigits(b, ns, digits)
	}
	return append(b, c.zone...)
}

// appendDigits appends the last n decimal digits of v ≥ 0, with leading
// zeros.
func appendDigits(b []byte, v, n int) []byte {
	for range n {
		b = append(b, 0)
	}
	for i := len(b) - 1; i >= len(b)-n; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}
