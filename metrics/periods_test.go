package metrics_test

import (
	"math"
	"testing"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

// intraday returns bars of the given spacing from 09:30 to before 16:00 New
// York time on n business days starting on start.
func intraday(start time.Time, n int, every time.Duration) []time.Time {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	var out []time.Time
	for _, d := range businessDays(start, n) {
		open := time.Date(d.Year(), d.Month(), d.Day(), 9, 30, 0, 0, ny)
		for t := open; t.Before(open.Add(390 * time.Minute)); t = t.Add(every) {
			out = append(out, t)
		}
	}
	return out
}

func TestInferPeriodsPerYear(t *testing.T) {
	utc := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	var weekly, monthly, quarterly, yearly, calendarDaily []time.Time
	for i := range 30 {
		weekly = append(weekly, utc(2023, 1, 6).AddDate(0, 0, 7*i))
		monthly = append(monthly, utc(2020, time.Month(i+2), 0)) // month ends
		quarterly = append(quarterly, utc(2015, time.Month(3*i+4), 0))
		yearly = append(yearly, utc(1990+i, 12, 31))
		calendarDaily = append(calendarDaily, utc(2024, 1, 1).AddDate(0, 0, i))
	}
	// A weekly series with a holiday-shifted bar.
	weekly[10] = weekly[10].AddDate(0, 0, -1)
	tests := []struct {
		name  string
		times []time.Time
		want  float64
	}{
		{"business days", businessDays(utc(2024, 1, 1), 60), 252},
		{"calendar days", calendarDaily, 252},
		{"weekly", weekly, 52},
		{"monthly", monthly, 12},
		{"quarterly", quarterly, 4},
		{"yearly", yearly, 1},
		{"1-minute, 390 bars per day", intraday(utc(2024, 3, 4), 5, time.Minute), 98280},
		{"30-minute, 13 bars per day", intraday(utc(2024, 3, 4), 4, 30*time.Minute), 252 * 13},
		{"single timestamp", []time.Time{utc(2024, 1, 1)}, nan},
		{"empty", nil, nan},
		{"repeated timestamps", []time.Time{utc(2024, 1, 1), utc(2024, 1, 1), utc(2024, 1, 1)}, nan},
		{"descending", []time.Time{utc(2024, 1, 3), utc(2024, 1, 2), utc(2024, 1, 1)}, nan},
	}
	for _, tt := range tests {
		checkSame(t, "InferPeriodsPerYear/"+tt.name, metrics.InferPeriodsPerYear(tt.times), tt.want)
	}
}

func TestPeriodsPerYearConstants(t *testing.T) {
	got := []float64{metrics.Daily, metrics.Weekly, metrics.Monthly, metrics.Quarterly, metrics.Yearly}
	want := []float64{252, 52, 12, 4, 1}
	for i := range want {
		checkSame(t, "periods-per-year constant", got[i], want[i])
	}
}

func TestPeriodRate(t *testing.T) {
	tests := []struct {
		name        string
		annual, P   float64
		want        float64
		compoundsTo bool // check (1+rate)^P = 1+annual to 1e-15 instead
	}{
		{"zero is exact", 0, 252, 0, false},
		{"total loss", -1, 12, -1, false},
		{"below -1", -1.5, 12, nan, false},
		// (1.21)^(1/2) = 1.1 exactly in decimal; in binary to an ulp.
		{"two periods", 0.21, 2, 0.1, false},
		{"monthly 5%", 0.05, 12, 0, true},
		{"daily 2%", 0.02, metrics.Daily, 0, true},
	}
	for _, tc := range tests {
		got := metrics.PeriodRate(tc.annual, tc.P)
		if tc.compoundsTo {
			// The rate is 1+rate rounded, an error of up to 2.2e-16,
			// which compounding multiplies by P.
			checkClose(t, tc.name, math.Pow(1+got, tc.P), 1+tc.annual, tc.P*4e-16)
			continue
		}
		checkClose(t, tc.name, got, tc.want, 1e-15)
	}
}
