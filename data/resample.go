package data

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// Unit is the unit of a Timeframe.
type Unit int

// The units of a Timeframe.
const (
	Minute Unit = iota + 1
	Hour
	Day
	Week  // ISO week, Monday to Sunday
	Month // calendar month
)

var unitSuffix = map[Unit]string{Minute: "m", Hour: "h", Day: "d", Week: "w", Month: "mo"}

// Timeframe is the length of a resampled bar: N units.
//
// Periods are aligned as follows, in the zone of the bars' times (the
// data's zone). Minutes and hours: to midnight, so that a day is cut into
// periods starting at 00:00, N units apart (the last one of a day is
// shorter when N units do not divide a day; a period never spans
// midnight). Days: N-day periods counted from 1970-01-01. Weeks: ISO weeks
// from Monday 00:00 to Sunday 24:00, N-week periods counted from the week
// of Monday 1970-01-05. Months: calendar months, N-month periods counted
// from January of year 0 (so 3 months are calendar quarters, 12 months
// calendar years). Periods are half-open, [start, end): a bar belongs to
// the period that holds its timestamp.
type Timeframe struct {
	N    int
	Unit Unit
}

// ParseTimeframe parses a timeframe such as "15m", "1h", "4h", "1d",
// "1w" or "1mo": a whole number N >= 1 and a unit, m (minutes), h (hours),
// d (days), w (weeks) or mo (months), in either case except that a
// capital M alone is refused as ambiguous. Minute and hour timeframes must
// not exceed a day.
func ParseTimeframe(s string) (Timeframe, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(t[:i])
	if err != nil || n < 1 {
		return Timeframe{}, fmt.Errorf("timeframe %q: want a whole number >= 1 and a unit (m, h, d, w, mo), as in 15m, 1h, 1d, 1w, 1mo", s)
	}
	if unit := strings.TrimSpace(s)[i:]; unit == "M" {
		return Timeframe{}, fmt.Errorf("timeframe %q: unit M is ambiguous; use m for minutes or mo for months", s)
	}
	var tf Timeframe
	switch t[i:] {
	case "m", "min":
		tf = Timeframe{n, Minute}
	case "h":
		tf = Timeframe{n, Hour}
	case "d":
		tf = Timeframe{n, Day}
	case "w":
		tf = Timeframe{n, Week}
	case "mo":
		tf = Timeframe{n, Month}
	default:
		return Timeframe{}, fmt.Errorf("timeframe %q: unknown unit %q (want m, h, d, w or mo)", s, t[i:])
	}
	if err := tf.Check(); err != nil {
		return Timeframe{}, fmt.Errorf("timeframe %q: %w", s, err)
	}
	return tf, nil
}

// Check reports whether tf is usable: N at least 1, a known unit, and at
// most a day of minutes or hours.
func (tf Timeframe) Check() error {
	switch {
	case tf.N < 1:
		return fmt.Errorf("count %d must be at least 1", tf.N)
	case unitSuffix[tf.Unit] == "":
		return fmt.Errorf("unknown unit %d", int(tf.Unit))
	case tf.seconds() > 86400:
		return errors.New("minutes and hours must not exceed a day; use d")
	}
	return nil
}

// String returns the timeframe as ParseTimeframe reads it, such as "15m".
func (tf Timeframe) String() string { return strconv.Itoa(tf.N) + unitSuffix[tf.Unit] }

// seconds returns the length of an intraday period, 0 for days and longer.
func (tf Timeframe) seconds() int64 {
	switch tf.Unit {
	case Minute:
		return int64(tf.N) * 60
	case Hour:
		return int64(tf.N) * 3600
	}
	return 0
}

// floorDiv is a / b rounded toward minus infinity (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Period returns the number of the period that holds t, by t's wall clock
// in t's zone. Later periods have higher numbers. tf must pass Check.
func (tf Timeframe) Period(t time.Time) int64 {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400 // days since 1970-01-01
	switch tf.Unit {
	case Minute, Hour:
		size := tf.seconds()
		perDay := (86400 + size - 1) / size
		h, mi, s := t.Clock()
		return day*perDay + int64(h*3600+mi*60+s)/size
	case Day:
		return floorDiv(day, int64(tf.N))
	case Week:
		// 1970-01-01 was a Thursday: day+3 counts from Monday 1969-12-29.
		return floorDiv(floorDiv(day+3, 7), int64(tf.N))
	}
	return floorDiv(int64(y)*12+int64(m)-1, int64(tf.N))
}

// Resampler builds bars of a coarser timeframe from source bars given in
// time order. A resampled bar has the open of its period's first source
// bar, the highest high, the lowest low, the close of the last, the sum of
// the volumes, and the time and symbol of its last source bar.
//
// A resampled bar is complete, and returned by Push, when the next source
// bar falls in a later period: the bar of a period is seen only on the
// first source bar after it. The period's calendar end is not used, since
// the data cannot say whether more bars of the period would come (a
// session that ends early, a holiday). So a strategy that trades daily bars
// sees the bar of a week on the first daily bar of a later week, not at the
// close of the week's last day: an order it makes then fills at the open of
// the next daily bar after that. The last period is returned by Flush, at
// the end of the data.
//
// The zero Resampler is not usable; make one with NewResampler.
type Resampler struct {
	tf     Timeframe
	cur    engine.Bar
	period int64
	open   bool
}

// NewResampler returns a Resampler to tf, which must pass Check.
func NewResampler(tf Timeframe) *Resampler { return &Resampler{tf: tf} }

// Timeframe returns the resampler's timeframe.
func (r *Resampler) Timeframe() Timeframe { return r.tf }

// Push adds source bar b. If b falls in a later period than the bars
// before it, the bar of that earlier period is complete: Push returns it
// and true, and b starts the next period.
func (r *Resampler) Push(b engine.Bar) (done engine.Bar, ok bool) {
	p := r.tf.Period(b.Time)
	if r.open && p == r.period {
		c := &r.cur
		c.High = max(c.High, b.High)
		c.Low = min(c.Low, b.Low)
		c.Close = b.Close
		c.Volume += b.Volume
		c.Time = b.Time
		c.Symbol = b.Symbol
		c.SymbolIndex = b.SymbolIndex
		return engine.Bar{}, false
	}
	done, ok = r.cur, r.open
	r.cur, r.period, r.open = b, p, true
	return done, ok
}

// Flush returns the bar of the last period, unfinished or not, and true if
// there is one; the Resampler is then empty.
func (r *Resampler) Flush() (engine.Bar, bool) {
	b, ok := r.cur, r.open
	r.cur, r.open = engine.Bar{}, false
	return b, ok
}

// Resampled is a Source of the bars of another Source resampled to a
// timeframe, one bar for every period that has at least one source bar
// (the first and last periods too, complete or not).
type Resampled struct {
	src  Source
	r    *Resampler
	done bool
}

// Resample returns the bars of src resampled to tf as a Source.
func Resample(src Source, tf Timeframe) *Resampled {
	return &Resampled{src: src, r: NewResampler(tf)}
}

// Symbol returns the source's symbol.
func (s *Resampled) Symbol() string { return s.src.Symbol() }

// Next returns the next resampled bar, or io.EOF after the last. A source
// error is returned as it is.
func (s *Resampled) Next() (engine.Bar, error) {
	for !s.done {
		b, err := s.src.Next()
		if errors.Is(err, io.EOF) {
			s.done = true
			break
		}
		if err != nil {
			return engine.Bar{}, err
		}
		if out, ok := s.r.Push(b); ok {
			return out, nil
		}
	}
	if b, ok := s.r.Flush(); ok {
		return b, nil
	}
	return engine.Bar{}, io.EOF
}

// WriteResampled writes the bars of src resampled to tf as CSV with the
// header "time,open,high,low,close,volume": one row for every period that
// has at least one source bar, partial first and last periods included.
// The time is that of the period's last source bar in RFC 3339 (fractional
// seconds only when there are any), prices are exact decimals, volumes are
// in plain notation.
func WriteResampled(w io.Writer, src Source, tf Timeframe) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("time,open,high,low,close,volume\n")
	rs := Resample(src, tf)
	var line []byte
	for {
		b, err := rs.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bw.Flush()
			return fmt.Errorf("resample %s to %s: %w", src.Symbol(), tf, err)
		}
		line = b.Time.AppendFormat(line[:0], time.RFC3339Nano)
		for _, p := range [...]engine.Price{b.Open, b.High, b.Low, b.Close} {
			line = p.Append(append(line, ','))
		}
		line = strconv.AppendFloat(append(line, ','), b.Volume, 'f', -1, 64)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write resampled bars: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write resampled bars: %w", err)
	}
	return nil
}
