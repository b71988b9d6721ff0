package backtest

import (
	"fmt"
	"io"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// DateLayout is how a Date is written.
const DateLayout = "2006-01-02"

// Date is a calendar day, written as DateLayout (2005-01-31). Its zero
// value is no date, written empty.
type Date struct {
	day time.Time // midnight UTC of the day; zero for no date
}

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.day.IsZero() }

// String returns d as DateLayout writes it, or "" for no date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.day.Format(DateLayout)
}

// MarshalText returns d as String writes it.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written as DateLayout; empty text is no date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	t, err := time.Parse(DateLayout, string(text))
	if err != nil {
		return fmt.Errorf("%q is not a date written YYYY-MM-DD, such as 2005-01-31", text)
	}
	*d = Date{t}
	return nil
}

// key returns y*10000 + m*100 + d, ordered as the days are; 0 for no date.
func (d Date) key() int {
	if d.IsZero() {
		return 0
	}
	return dayKey(d.day)
}

// dayKey returns the key of the calendar day of t in t's location.
func dayKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// rangeFeed is a feed restricted to the bars whose date, in loc, lies
// from from to to, both inclusive (a zero key is no bound). The bars
// before from go to warm instead; reading stops at the first bar after
// to.
type rangeFeed struct {
	feed     engine.Feed
	loc      *time.Location
	from, to int
	warm     func(bars []engine.Bar)
	done     bool
}

// Next returns the next timestamp's bars within the range.
func (f *rangeFeed) Next(dst []engine.Bar) ([]engine.Bar, error) {
	for !f.done {
		n := len(dst)
		out, err := f.feed.Next(dst)
		if len(out) == n {
			return out, err
		}
		k := dayKey(out[n].Time.In(f.loc))
		switch {
		case f.to != 0 && k > f.to:
			f.done = true
		case f.from != 0 && k < f.from:
			if f.warm != nil {
				f.warm(out[n:])
			}
			if err != nil {
				return out[:n], err
			}
			dst = out[:n]
		default:
			return out, err
		}
	}
	return dst, io.EOF
}

// Symbols returns the symbols of the feed it restricts, nil when that
// feed does not name them.
func (f *rangeFeed) Symbols() []string {
	if s, ok := f.feed.(interface{ Symbols() []string }); ok {
		return s.Symbols()
	}
	return nil
}
