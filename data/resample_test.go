package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

func TestParseTimeframe(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"15m", "15m", ""}, {"1h", "1h", ""}, {"4H", "4h", ""}, {"1d", "1d", ""}, {"1w", "1w", ""},
		{"1mo", "1mo", ""}, {"3mo", "3mo", ""}, {"5min", "5m", ""}, {"1440m", "1440m", ""},
		{"25h", "", "must not exceed a day"}, {"0d", "", "whole number >= 1"}, {"d", "", "whole number >= 1"},
		{"1y", "", `unknown unit "y"`}, {"", "", "whole number"}, {"1M", "", "ambiguous"}, {"1MO", "1mo", ""},
	}
	for _, tt := range tests {
		tf, err := ParseTimeframe(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseTimeframe(%q) error %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || tf.String() != tt.want):
			t.Errorf("ParseTimeframe(%q) = %v, %v, want %s", tt.in, tf, err, tt.want)
		}
	}
}

// TestPeriodAlignment pins where periods start.
func TestPeriodAlignment(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	at := func(s string, loc *time.Location) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		tf         string
		a, b       string
		loc        *time.Location
		samePeriod bool
	}{
		{"15m", "2024-03-04 09:30", "2024-03-04 09:44", time.UTC, true},
		{"15m", "2024-03-04 09:44", "2024-03-04 09:45", time.UTC, false},
		{"1h", "2024-03-04 09:00", "2024-03-04 09:59", time.UTC, true},
		// 7h periods start at 00, 07, 14, 21 and again at midnight
		{"7h", "2024-03-04 21:00", "2024-03-04 23:59", time.UTC, true},
		{"7h", "2024-03-04 23:59", "2024-03-05 00:00", time.UTC, false},
		// midnight of the data's zone, not of UTC
		{"1d", "2024-03-04 00:30", "2024-03-04 23:30", ny, true},
		{"1h", "2024-03-10 01:30", "2024-03-10 03:10", ny, false},
		// ISO weeks: Sunday ends a week, Monday starts one
		{"1w", "2024-03-04 00:00", "2024-03-10 23:59", time.UTC, true},
		{"1w", "2024-03-10 23:59", "2024-03-11 00:00", time.UTC, false},
		{"1w", "2020-12-28 00:00", "2021-01-03 00:00", time.UTC, true}, // across a year
		{"1mo", "2024-02-01 00:00", "2024-02-29 23:59", time.UTC, true},
		{"1mo", "2024-02-29 23:59", "2024-03-01 00:00", time.UTC, false},
		{"3mo", "2024-01-02 00:00", "2024-03-29 00:00", time.UTC, true},
		{"3mo", "2024-03-29 00:00", "2024-04-01 00:00", time.UTC, false},
		{"1w", "1969-12-29 00:00", "1970-01-04 00:00", time.UTC, true}, // before 1970
	}
	for _, tt := range tests {
		tf, err := ParseTimeframe(tt.tf)
		if err != nil {
			t.Fatal(err)
		}
		pa, pb := tf.Period(at(tt.a, tt.loc)), tf.Period(at(tt.b, tt.loc))
		if (pa == pb) != tt.samePeriod || pb < pa {
			t.Errorf("%s: %s -> %d, %s -> %d; same period want %v", tt.tf, tt.a, pa, tt.b, pb, tt.samePeriod)
		}
	}
}

// mkBar makes a bar at time s ("2006-01-02" or "2006-01-02 15:04") with
// the given prices (o, h, l, c) and volume.
func mkBar(t *testing.T, s string, o, h, l, c string, v float64) engine.Bar {
	t.Helper()
	layout := "2006-01-02"
	if len(s) > 10 {
		layout = "2006-01-02 15:04"
	}
	tm, err := time.Parse(layout, s)
	if err != nil {
		t.Fatal(err)
	}
	b := testkit.OHLC("", tm, o+" "+h+" "+l+" "+c)
	b.Volume = v
	return b
}

func resampleCSV(t *testing.T, bars []engine.Bar, tf string) string {
	t.Helper()
	m, err := NewMemory("X", bars)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseTimeframe(tf)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteResampled(&b, m, f); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestResampleIntradaySessionGap: 30-minute bars of two sessions, the
// first ending at 15:30, the second starting at 09:30 the next day, to 1h:
// the 09:00 period holds only the 09:30 bar, and the hour of the gap makes
// no row.
func TestResampleIntradaySessionGap(t *testing.T) {
	bars := []engine.Bar{
		mkBar(t, "2024-03-04 14:30", "10", "11", "9.5", "10.5", 100),
		mkBar(t, "2024-03-04 15:00", "10.5", "12", "10", "11", 200),
		mkBar(t, "2024-03-04 15:30", "11", "11.5", "10.8", "11.2", 50),
		mkBar(t, "2024-03-05 09:30", "11.4", "11.6", "11", "11.1", 300),
		mkBar(t, "2024-03-05 10:00", "11.1", "11.3", "10.2", "10.4", 10),
		mkBar(t, "2024-03-05 10:30", "10.4", "10.9", "10.3", "10.8", 20),
	}
	want := "time,open,high,low,close,volume\n" +
		"2024-03-04T14:30:00Z,10,11,9.5,10.5,100\n" +
		"2024-03-04T15:30:00Z,10.5,12,10,11.2,250\n" +
		"2024-03-05T09:30:00Z,11.4,11.6,11,11.1,300\n" +
		"2024-03-05T10:30:00Z,11.1,11.3,10.2,10.8,30\n"
	if got := resampleCSV(t, bars, "1h"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// To one day: one row per session.
	want = "time,open,high,low,close,volume\n" +
		"2024-03-04T15:30:00Z,10,12,9.5,11.2,350\n" +
		"2024-03-05T10:30:00Z,11.4,11.6,10.2,10.8,330\n"
	if got := resampleCSV(t, bars, "1d"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestResampleHolidayWeek: daily bars around Christmas 2023 (Monday the
// 25th a holiday) and a week with no bars at all, to weeks and months.
func TestResampleHolidayWeek(t *testing.T) {
	bars := []engine.Bar{
		mkBar(t, "2023-12-21", "10", "11", "9", "10.5", 1), // Thursday
		mkBar(t, "2023-12-22", "10.5", "10.6", "10", "10.1", 2),
		// Monday 25th: holiday
		mkBar(t, "2023-12-26", "10.1", "12", "10.1", "11.9", 3),
		mkBar(t, "2023-12-27", "11.9", "12.5", "11.5", "12", 4),
		mkBar(t, "2023-12-28", "12", "12.1", "8", "9", 5),
		mkBar(t, "2023-12-29", "9", "9.5", "8.5", "9.2", 6),
		mkBar(t, "2024-01-02", "9.2", "9.3", "9.1", "9.25", 7), // Tuesday; a new month mid-week
		// no bars in the week of 2024-01-08
		mkBar(t, "2024-01-16", "9.3", "9.4", "9.2", "9.35", 8),
	}
	want := "time,open,high,low,close,volume\n" +
		"2023-12-22T00:00:00Z,10,11,9,10.1,3\n" +
		"2023-12-29T00:00:00Z,10.1,12.5,8,9.2,18\n" +
		"2024-01-02T00:00:00Z,9.2,9.3,9.1,9.25,7\n" +
		"2024-01-16T00:00:00Z,9.3,9.4,9.2,9.35,8\n"
	if got := resampleCSV(t, bars, "1w"); got != want {
		t.Errorf("weeks: got\n%s\nwant\n%s", got, want)
	}
	want = "time,open,high,low,close,volume\n" +
		"2023-12-29T00:00:00Z,10,12.5,8,9.2,21\n" +
		"2024-01-16T00:00:00Z,9.2,9.4,9.1,9.35,15\n"
	if got := resampleCSV(t, bars, "1mo"); got != want {
		t.Errorf("months: got\n%s\nwant\n%s", got, want)
	}
}

// TestResampleNoLookAhead truncates the data after every source bar and
// checks that every resampled bar Push made visible at or before the cut
// is the same as with the whole data, and that a bar is visible only
// once its period is complete: it equals the direct aggregation of all
// source bars of its period, and the bar that made it visible is in a
// later period.
func TestResampleNoLookAhead(t *testing.T) {
	var bars []engine.Bar
	start := time.Date(2024, 1, 1, 9, 30, 0, 0, time.UTC)
	for i := range 400 {
		day, slot := i/13, i%13 // 13 half-hour bars a weekday
		tm := start.AddDate(0, 0, day+2*(day/5)).Add(time.Duration(slot) * 30 * time.Minute)
		c := engine.Price(int64(100+i%17) * 1e8)
		bars = append(bars, engine.Bar{Time: tm, Open: c - 1e7, High: c + 5e7, Low: c - 5e7, Close: c, Volume: float64(i)})
	}
	for _, name := range []string{"1h", "2h", "1d", "1w", "1mo"} {
		tf, _ := ParseTimeframe(name)
		// seen[i] is what Push made visible at source bar i with all data
		seen := make([]*engine.Bar, len(bars))
		r := NewResampler(tf)
		for i, b := range bars {
			if out, ok := r.Push(b); ok {
				seen[i] = &out
				if tf.Period(out.Time) >= tf.Period(b.Time) {
					t.Fatalf("%s: bar of %v visible at %v, in the same period", name, out.Time, b.Time)
				}
				if want := aggregate(bars[:i], tf, tf.Period(out.Time)); out != want {
					t.Fatalf("%s: visible at %v: %+v, the period's bars make %+v", name, b.Time, out, want)
				}
			}
		}
		for cut := range bars {
			r := NewResampler(tf)
			for i, b := range bars[:cut+1] {
				out, ok := r.Push(b)
				if ok != (seen[i] != nil) || ok && out != *seen[i] {
					t.Fatalf("%s: cut at %d: bar %d shows %v %+v, with all data %+v", name, cut, i, ok, out, seen[i])
				}
			}
		}
	}
}

// aggregate is the resampled bar of period p, built directly from bars.
func aggregate(bars []engine.Bar, tf Timeframe, p int64) engine.Bar {
	var out engine.Bar
	first := true
	for _, b := range bars {
		if tf.Period(b.Time) != p {
			continue
		}
		if first {
			out, first = b, false
			continue
		}
		out.High, out.Low = max(out.High, b.High), min(out.Low, b.Low)
		out.Close, out.Time, out.Volume = b.Close, b.Time, out.Volume+b.Volume
	}
	return out
}

// resampleFile finds a real data file in sharedData (next to the main
// checkout) or in /work/shared/data (from a worktree), and skips the test
// when neither has it.
func resampleFile(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range []string{sharedData, "/work/shared/data"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("real data file %s not available", name)
	return ""
}

// TestResampleMatchesBacktrader checks the weekly and monthly
// aggregations of 2006-day-001 against the files backtrader made from it
// (dated by their last trading day, as ours).
func TestResampleMatchesBacktrader(t *testing.T) {
	day, err := readFile(resampleFile(t, "2006-day-001.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, tf string }{{"2006-week-001.txt", "1w"}, {"2006-month-001.txt", "1mo"}} {
		want, err := readFile(resampleFile(t, tt.file), Options{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewMemory(day[0].Symbol, day)
		if err != nil {
			t.Fatal(err)
		}
		tf, _ := ParseTimeframe(tt.tf)
		rs := Resample(m, tf)
		var got []engine.Bar
		for {
			b, err := rs.Next()
			if err != nil {
				break
			}
			got = append(got, b)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d bars, want %d", tt.file, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if !g.Time.Equal(w.Time) || g.Open != w.Open || g.High != w.High || g.Low != w.Low || g.Close != w.Close {
				t.Errorf("%s row %d: %s %s %s %s %s, want %s %s %s %s %s", tt.file, i+2,
					g.Time.Format("2006-01-02"), g.Open, g.High, g.Low, g.Close,
					w.Time.Format("2006-01-02"), w.Open, w.High, w.Low, w.Close)
			}
		}
	}
}
