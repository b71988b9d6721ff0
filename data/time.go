package data

import (
	"time"
)

// timeKind is a timestamp layout the reader understands.
type timeKind uint8

const (
	kindNone        timeKind = iota
	kindLayout               // an explicit Go layout, parsed with time.ParseInLocation
	kindDate                 // 2006-01-02
	kindDateCompact          // 20060102
	kindMinute               // 2006-01-02 15:04, optionally with a zone
	kindSecond               // 2006-01-02 15:04:05[.fraction], optionally with a zone
	kindUnix                 // unix seconds, at most 10 digits
	kindUnixMilli            // unix milliseconds, 13 digits
	kindClockMinute          // 15:04
	kindClockSecond          // 15:04:05[.fraction]
)

// timeFormat is the layout of one time column, fixed by the first data row
// (or by Options.TimeLayout) and required of every later row.
type timeFormat struct {
	kind   timeKind
	sep    byte   // between date and clock: ' ' or 'T'
	zone   bool   // the text ends in "Z" or "±hh:mm"
	layout string // for kindLayout
}

// String describes f in Go layout notation for error messages.
func (f timeFormat) String() string {
	zone := ""
	if f.zone {
		zone = "Z07:00"
	}
	switch f.kind {
	case kindLayout:
		return f.layout
	case kindDate:
		return "2006-01-02"
	case kindDateCompact:
		return "20060102"
	case kindMinute:
		return "2006-01-02" + string(f.sep) + "15:04" + zone
	case kindSecond:
		return "2006-01-02" + string(f.sep) + "15:04:05" + zone
	case kindUnix:
		return "unix seconds"
	case kindUnixMilli:
		return "unix milliseconds"
	case kindClockMinute:
		return "15:04"
	case kindClockSecond:
		return "15:04:05"
	}
	return "unknown"
}

// isDate reports whether f holds dates without a time of day.
func (f timeFormat) isDate() bool {
	return f.kind == kindDate || f.kind == kindDateCompact
}

// knownFormats lists the accepted layouts for error messages.
const knownFormats = "2006-01-02, 2006-01-02 15:04[:05[.000]], 2006-01-02T15:04:05[.000][Z07:00], " +
	"20060102, unix seconds (up to 10 digits) or unix milliseconds (13 digits)"

// detectTime reports the layout of the timestamp s, or false if s is not a
// timestamp in any layout the fast parser knows. The values in s are not
// range-checked; parse does that.
func detectTime(s string) (timeFormat, bool) {
	if allDigits(s) {
		switch n := len(s); {
		case n == 8:
			return timeFormat{kind: kindDateCompact}, true
		case n <= 10:
			return timeFormat{kind: kindUnix}, true
		case n == 13:
			return timeFormat{kind: kindUnixMilli}, true
		}
		return timeFormat{}, false
	}
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return timeFormat{}, false
	}
	if len(s) == 10 {
		return timeFormat{kind: kindDate}, true
	}
	f := timeFormat{sep: s[10]}
	if f.sep != ' ' && f.sep != 'T' {
		return timeFormat{}, false
	}
	rest := s[11:]
	if len(rest) < 5 || rest[2] != ':' {
		return timeFormat{}, false
	}
	if len(rest) >= 8 && rest[5] == ':' {
		f.kind = kindSecond
		rest = rest[8:]
		if len(rest) > 0 && rest[0] == '.' {
			i := 1
			for i < len(rest) && isDigit(rest[i]) {
				i++
			}
			rest = rest[i:]
		}
	} else {
		f.kind = kindMinute
		rest = rest[5:]
	}
	f.zone = rest != ""
	return f, true
}

// detectClock reports the layout of the time of day s ("15:04" or
// "15:04:05[.fraction]").
func detectClock(s string) (timeFormat, bool) {
	if len(s) == 5 && s[2] == ':' {
		return timeFormat{kind: kindClockMinute}, true
	}
	if len(s) >= 8 && s[2] == ':' && s[5] == ':' {
		return timeFormat{kind: kindClockSecond}, true
	}
	return timeFormat{}, false
}

// parseStatus tells why a timestamp failed to parse.
type parseStatus uint8

const (
	parseOK    parseStatus = iota
	parseShape             // the text does not have the expected layout
	parseRange             // a month, day, hour, ... is out of range
)

// timeParser turns timestamp text into time.Time without allocating for
// the fixed layouts. It caches one *time.Location per zone offset seen.
type timeParser struct {
	loc   *time.Location // for times without a zone
	zones map[int]*time.Location

	// The date of the last time parsed in UTC with a time of day, and
	// its midnight in Unix seconds: the rows of a day share it.
	day     [10]byte
	dayUnix int64
	hasDay  bool
}

// parse parses s, which must have layout f.
func (p *timeParser) parse(f timeFormat, s string) (time.Time, parseStatus) {
	switch f.kind {
	case kindDate:
		if len(s) != 10 {
			return time.Time{}, parseShape
		}
		y, m, d, st := parseYMD(s)
		if st != parseOK {
			return time.Time{}, st
		}
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, p.loc), parseOK
	case kindDateCompact:
		if len(s) != 8 || !allDigits(s) {
			return time.Time{}, parseShape
		}
		y := atoi(s[0:4])
		m := atoi(s[4:6])
		d := atoi(s[6:8])
		if !validDate(y, m, d) {
			return time.Time{}, parseRange
		}
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, p.loc), parseOK
	case kindMinute, kindSecond:
		if len(s) < 16 || s[10] != f.sep {
			return time.Time{}, parseShape
		}
		if !f.zone && p.loc == time.UTC {
			return p.parseUTC(f, s)
		}
		y, m, d, st := parseYMD(s[:10])
		if st != parseOK {
			return time.Time{}, st
		}
		h, mi, sec, ns, rest, st := parseClock(s[11:], f.kind == kindSecond)
		if st != parseOK {
			return time.Time{}, st
		}
		loc := p.loc
		if f.zone {
			if loc, st = p.zone(rest); st != parseOK {
				return time.Time{}, st
			}
		} else if rest != "" {
			return time.Time{}, parseShape
		}
		return time.Date(y, time.Month(m), d, h, mi, sec, ns, loc), parseOK
	case kindUnix:
		if len(s) == 0 || len(s) > 10 || !allDigits(s) {
			return time.Time{}, parseShape
		}
		return time.Unix(int64(atoi(s)), 0).In(p.loc), parseOK
	case kindUnixMilli:
		if len(s) != 13 || !allDigits(s) {
			return time.Time{}, parseShape
		}
		return time.UnixMilli(int64(atoi(s))).In(p.loc), parseOK
	}
	return time.Time{}, parseShape
}

// parseUTC parses s, a date and a time of day without a zone in layout
// f (kindMinute or kindSecond), as a time in UTC. The date of the row
// before is not parsed again: the time is its midnight plus the time of
// day, the same time.Time that time.Date makes.
func (p *timeParser) parseUTC(f timeFormat, s string) (time.Time, parseStatus) {
	if !p.hasDay || string(p.day[:]) != s[:10] {
		y, m, d, st := parseYMD(s[:10])
		if st != parseOK {
			return time.Time{}, st
		}
		copy(p.day[:], s[:10])
		p.dayUnix, p.hasDay = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix(), true
	}
	h, mi, sec, ns, rest, st := parseClock(s[11:], f.kind == kindSecond)
	if st != parseOK {
		return time.Time{}, st
	}
	if rest != "" {
		return time.Time{}, parseShape
	}
	return time.Unix(p.dayUnix+int64(h*3600+mi*60+sec), int64(ns)).UTC(), parseOK
}

// addClock adds the time of day s, in layout f, to the midnight date.
func addClock(date time.Time, f timeFormat, s string) (time.Time, parseStatus) {
	h, mi, sec, ns, rest, st := parseClock(s, f.kind == kindClockSecond)
	if st != parseOK {
		return time.Time{}, st
	}
	if rest != "" {
		return time.Time{}, parseShape
	}
	y, m, d := date.Date()
	return time.Date(y, m, d, h, mi, sec, ns, date.Location()), parseOK
}

// parseYMD parses "2006-01-02".
func parseYMD(s string) (y, m, d int, st parseStatus) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' ||
		!allDigits(s[0:4]) || !allDigits(s[5:7]) || !allDigits(s[8:10]) {
		return 0, 0, 0, parseShape
	}
	y, m, d = atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	if !validDate(y, m, d) {
		return 0, 0, 0, parseRange
	}
	return y, m, d, parseOK
}

// parseClock parses "15:04" (seconds false) or "15:04:05[.fraction]"
// (seconds true) at the start of s and returns what follows.
func parseClock(s string, seconds bool) (h, mi, sec, ns int, rest string, st parseStatus) {
	if len(s) < 5 || s[2] != ':' || !allDigits(s[0:2]) || !allDigits(s[3:5]) {
		return 0, 0, 0, 0, "", parseShape
	}
	h, mi = atoi(s[0:2]), atoi(s[3:5])
	rest = s[5:]
	if seconds {
		if len(rest) < 3 || rest[0] != ':' || !allDigits(rest[1:3]) {
			return 0, 0, 0, 0, "", parseShape
		}
		sec = atoi(rest[1:3])
		rest = rest[3:]
		if len(rest) > 0 && rest[0] == '.' {
			i := 1
			scale := 100_000_000
			for i < len(rest) && isDigit(rest[i]) {
				if i > 9 {
					return 0, 0, 0, 0, "", parseShape // finer than a nanosecond
				}
				ns += int(rest[i]-'0') * scale
				scale /= 10
				i++
			}
			if i == 1 {
				return 0, 0, 0, 0, "", parseShape
			}
			rest = rest[i:]
		}
	}
	if h > 23 || mi > 59 || sec > 59 {
		return 0, 0, 0, 0, "", parseRange
	}
	return h, mi, sec, ns, rest, parseOK
}

// zone returns the location for a zone suffix "Z" or "±hh:mm".
func (p *timeParser) zone(s string) (*time.Location, parseStatus) {
	if s == "Z" {
		return time.UTC, parseOK
	}
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' ||
		!allDigits(s[1:3]) || !allDigits(s[4:6]) {
		return nil, parseShape
	}
	h, m := atoi(s[1:3]), atoi(s[4:6])
	if h > 23 || m > 59 {
		return nil, parseRange
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	if off == 0 {
		return time.UTC, parseOK
	}
	if loc, ok := p.zones[off]; ok {
		return loc, parseOK
	}
	if p.zones == nil {
		p.zones = make(map[int]*time.Location)
	}
	loc := time.FixedZone("", off)
	p.zones[off] = loc
	return loc, parseOK
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(m, y)
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi converts a string of at most 18 ASCII digits, already checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
