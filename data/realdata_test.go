package data

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sharedData is the folder of real data files described in its README. It
// is not part of the repository; tests that need it skip without it.
const sharedData = "../../shared/data"

func sharedFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(sharedData, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available: %v", err)
	}
	return p
}

// TestRealDataFiles reads every daily file of layouts Y and B, the 5-minute
// file and checks row counts and first and last times from the README.
func TestRealDataFiles(t *testing.T) {
	tests := []struct {
		file        string
		rows        int
		first, last string
	}{
		{"orcl-1995-2014.txt", 5036, "1995-01-03", "2014-12-31"},
		{"orcl-2003-2005.txt", 756, "2003-01-02", "2005-12-30"},
		{"orcl-2014.txt", 252, "2014-01-02", "2014-12-31"},
		{"yhoo-1996-2014.txt", 4713, "1996-04-12", "2014-12-31"},
		{"yhoo-1996-2015.txt", 4965, "1996-04-12", "2015-12-31"},
		{"yhoo-2003-2005.txt", 756, "2003-01-02", "2005-12-30"},
		{"yhoo-2014.txt", 252, "2014-01-02", "2014-12-31"},
		{"nvda-1999-2014.txt", 4012, "1999-01-22", "2014-12-31"},
		{"nvda-2014.txt", 252, "2014-01-02", "2014-12-31"},
		{"2005-2006-day-001.txt", 512, "2005-01-03", "2006-12-29"},
		{"2006-day-001.txt", 255, "2006-01-02", "2006-12-29"},
		{"2006-volume-day-001.txt", 255, "2006-01-02", "2006-12-29"},
		{"2006-week-001.txt", 52, "2006-01-06", "2006-12-29"},
		{"2006-month-001.txt", 12, "2006-01-31", "2006-12-29"},
		{"2006-min-005.txt", 2142, "2006-01-02 09:05:00", "2006-01-30 17:30:00"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			bars, err := readFile(sharedFile(t, tt.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			layout := "2006-01-02"
			if len(tt.first) > 10 {
				layout = "2006-01-02 15:04:05"
			}
			if len(bars) != tt.rows {
				t.Errorf("%d bars, want %d", len(bars), tt.rows)
			}
			if f, l := bars[0].Time.Format(layout), bars[len(bars)-1].Time.Format(layout); f != tt.first || l != tt.last {
				t.Errorf("times %s to %s, want %s to %s", f, l, tt.first, tt.last)
			}
		})
	}
}

// TestRealDataValues checks exact values against the text of the files.
func TestRealDataValues(t *testing.T) {
	// orcl-1995-2014.txt, first row:
	// 1995-01-03,2.179012,2.191358,2.117284,2.117284,1.883304,36301200
	// Adj Close (1.883304) must not be the close.
	bars, err := readFile(sharedFile(t, "orcl-1995-2014.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameBars(t, bars[:1], []engineBar{bar("orcl-1995-2014", day(1995, 1, 3), "2.179012", "2.191358", "2.117284", "2.117284", 36301200)})
	// Last row: 2014-12-31,45.450001,45.560001,44.970001,44.970001,42.303135,13269200
	sameBars(t, bars[len(bars)-1:], []engineBar{bar("orcl-1995-2014", day(2014, 12, 31), "45.450001", "45.560001", "44.970001", "44.970001", 13269200)})

	// 2006-volume-day-001.txt has CRLF line endings; last row:
	// 2006-12-29,4157.00,4167.00,4145.00,4157.00,205816,1916930
	bars, err = readFile(sharedFile(t, "2006-volume-day-001.txt"), Options{Symbol: "V"})
	if err != nil {
		t.Fatal(err)
	}
	sameBars(t, bars[254:], []engineBar{bar("V", day(2006, 12, 29), "4157", "4167", "4145", "4157", 205816)})

	// 2006-min-005.txt has Date and Time columns; first row:
	// 2006-01-02,09:05:00,3578.73,3587.88,3578.73,3582.99,0,0
	bars, err = readFile(sharedFile(t, "2006-min-005.txt"), Options{Symbol: "M"})
	if err != nil {
		t.Fatal(err)
	}
	sameBars(t, bars[:1], []engineBar{bar("M", time.Date(2006, 1, 2, 9, 5, 0, 0, time.UTC), "3578.73", "3587.88", "3578.73", "3582.99", 0)})
}

// TestRealDataQuirks covers the two files a strict reader must reject, and
// the documented way to read the one whose header is wrong.
func TestRealDataQuirks(t *testing.T) {
	tick := sharedFile(t, "ticksample.csv")
	bars, err := readFile(tick, Options{})
	var e *Error
	if !errors.As(err, &e) || e.Line != 24 || e.Field != "Datetime" || len(bars) != 22 {
		t.Fatalf("ticksample.csv: %d bars, error %v; want 22 bars and an error on line 24", len(bars), err)
	}
	want := tick + `:24: field "Datetime": time 2015-09-23T20:58:22.316 is not after the previous row's 2015-09-23T20:58:22.316 (line 23); times must strictly increase`
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
	// Skipping the repeated tick reads the other 134.
	r, err := Open(tick, Options{BadRows: SkipBadRow})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for err == nil {
		_, err = r.Next()
	}
	if n, _ := r.Skipped(); r.Bars() != 134 || n != 1 {
		t.Errorf("SkipBadRow: %d bars, %d skipped; want 134 and 1", r.Bars(), n)
	}

	minute := sharedFile(t, "2006-01-02-volume-min-001.txt")
	_, err = readFile(minute, Options{})
	want = minute + ":2: header has 7 columns but this row has 8; if the header is wrong, map columns by position with --header skip (Options.Header = HeaderSkip) or give them with --order (Options.Order)"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	for _, opts := range []Options{
		{Header: HeaderSkip},
		{Order: []string{"date", "clock", "open", "high", "low", "close", "volume", ""}},
	} {
		bars, err := readFile(minute, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(bars) != 30889 {
			t.Errorf("%+v: %d bars, want 30889", opts, len(bars))
		}
		// First row: 2006-01-02,09:01:00,3602.00,3603.00,3597.00,3599.00,5699,0
		// Last row:  2006-02-27,22:00:00,3840.00,3840.00,3838.00,3838.00,327,0
		sym := "2006-01-02-volume-min-001"
		sameBars(t, []engineBar{bars[0], bars[len(bars)-1]}, []engineBar{
			bar(sym, time.Date(2006, 1, 2, 9, 1, 0, 0, time.UTC), "3602", "3603", "3597", "3599", 5699),
			bar(sym, time.Date(2006, 2, 27, 22, 0, 0, 0, time.UTC), "3840", "3840", "3838", "3838", 327),
		})
	}
}

// TestRealDataMerge merges two real daily files with different calendars.
func TestRealDataMerge(t *testing.T) {
	m, err := OpenAll([]string{sharedFile(t, "orcl-2014.txt"), sharedFile(t, "2006-day-001.txt"), sharedFile(t, "nvda-2014.txt")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var dst []engineBar
	n, steps := 0, 0
	for {
		dst, err = m.Next(dst[:0])
		if err != nil {
			break
		}
		n += len(dst)
		steps++
	}
	if n != 252+255+252 || steps != 255+252 {
		t.Errorf("%d bars in %d steps, want %d in %d (%v)", n, steps, 252+255+252, 255+252, err)
	}
}
