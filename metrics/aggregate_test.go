package metrics_test

import (
	"testing"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func TestAggregateReturns(t *testing.T) {
	times := []time.Time{
		date(2022, 12, 30), date(2023, 1, 31), date(2023, 2, 1), date(2023, 3, 31),
		date(2023, 4, 3), date(2023, 12, 29), date(2024, 6, 3),
	}
	r := []float64{0.01, 0.02, -0.01, nan, 0.03, -0.02, 0.05}
	type key struct{ year, index int }
	tests := []struct {
		p    metrics.Period
		keys []key
		rets []float64
	}{
		{metrics.Month, []key{{2022, 12}, {2023, 1}, {2023, 2}, {2023, 3}, {2023, 4}, {2023, 12}, {2024, 6}},
			[]float64{f(1.01) - 1, f(1.02) - 1, f(0.99) - 1, 0, f(1.03) - 1, f(0.98) - 1, f(1.05) - 1}},
		{metrics.Quarter, []key{{2022, 4}, {2023, 1}, {2023, 2}, {2023, 4}, {2024, 2}},
			[]float64{f(1.01) - 1, f(1.02)*0.99 - 1, f(1.03) - 1, f(0.98) - 1, f(1.05) - 1}},
		{metrics.Year, []key{{2022, 0}, {2023, 0}, {2024, 0}},
			[]float64{f(1.01) - 1, f(1.02)*0.99*1.03*0.98 - 1, f(1.05) - 1}},
	}
	for _, tt := range tests {
		got := metrics.AggregateReturns(metrics.Slice(r), metrics.TimeSlice(times), tt.p)
		if len(got) != len(tt.keys) {
			t.Errorf("%v: got %d groups %+v, want %d", tt.p, len(got), got, len(tt.keys))
			continue
		}
		for i, g := range got {
			if g.Year != tt.keys[i].year || g.Index != tt.keys[i].index {
				t.Errorf("%v group %d: key (%d, %d), want %v", tt.p, i, g.Year, g.Index, tt.keys[i])
			}
			checkSame(t, tt.p.String()+" return", g.Return, tt.rets[i])
		}
	}
}

func TestAggregateReturnsISOWeekQuirk(t *testing.T) {
	// 2021-01-01 is in ISO week 53 of 2020 but keyed (2021, 53); 2024-12-30
	// is in ISO week 1 of 2025 but keyed (2024, 1), together with 2024-01-02.
	times := []time.Time{date(2021, 1, 1), date(2021, 1, 4), date(2021, 1, 5), date(2024, 1, 2), date(2024, 12, 30)}
	r := []float64{0.01, 0.02, 0.03, 0.04, 0.05}
	got := metrics.AggregateReturns(metrics.Slice(r), metrics.TimeSlice(times), metrics.Week)
	want := []metrics.PeriodReturn{
		{Year: 2021, Index: 1, Return: f(1.02)*1.03 - 1},
		{Year: 2021, Index: 53, Return: f(1.01) - 1},
		{Year: 2024, Index: 1, Return: f(1.04)*1.05 - 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Year != want[i].Year || got[i].Index != want[i].Index || !same(got[i].Return, want[i].Return) {
			t.Errorf("group %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestAggregateReturnsUnsortedAndEmpty(t *testing.T) {
	times := []time.Time{date(2023, 2, 1), date(2023, 1, 2), date(2023, 2, 2), date(2023, 1, 3)}
	r := []float64{0.1, 0.2, 0.3, 0.4}
	got := metrics.AggregateReturns(metrics.Slice(r), metrics.TimeSlice(times), metrics.Month)
	if len(got) != 2 || got[0].Index != 1 || got[1].Index != 2 {
		t.Fatalf("got %+v", got)
	}
	// Within a group, returns compound in input order.
	checkSame(t, "January", got[0].Return, f(1.2)*1.4-1)
	checkSame(t, "February", got[1].Return, f(1.1)*1.3-1)
	if got := metrics.AggregateReturns(metrics.Slice(nil), metrics.TimeSlice(nil), metrics.Year); got == nil || len(got) != 0 {
		t.Errorf("AggregateReturns(empty) = %#v, want an empty slice", got)
	}
}

func TestAggregateReturnsPanics(t *testing.T) {
	for name, call := range map[string]func(){
		"length mismatch": func() { metrics.AggregateReturns(metrics.Slice([]float64{0.1}), metrics.TimeSlice(nil), metrics.Month) },
		"invalid period":  func() { metrics.AggregateReturns(metrics.Slice(nil), metrics.TimeSlice(nil), metrics.Period(0)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}

// TestAggregateReturnsZones compounds returns by every period over times
// in zones with daylight-saving changes (one at midnight, one of half an
// hour), a fixed zone and UTC, a minute, an hour and irregular steps
// apart, and compares each period with a product taken in input order
// under the key of each time's own calendar fields, computed here time by
// time.
func TestAggregateReturnsZones(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"America/Havana", "America/Santiago", "Australia/Lord_Howe", "Europe/London"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skip(err)
		}
		zones = append(zones, loc)
	}
	zones = append(zones, time.UTC, time.FixedZone("", -(9*3600+30*60)))
	type key struct{ year, index int }
	keyOf := func(p metrics.Period, at time.Time) key {
		y, m, _ := at.Date()
		switch p {
		case metrics.Week:
			_, w := at.ISOWeek()
			return key{y, w}
		case metrics.Month:
			return key{y, int(m)}
		case metrics.Quarter:
			return key{y, (int(m) + 2) / 3}
		}
		return key{y, 0}
	}
	for _, loc := range zones {
		for _, step := range []time.Duration{time.Minute, time.Hour, 0} {
			var times []time.Time
			var r []float64
			at := time.Date(2022, 12, 20, 0, 0, 0, 0, time.UTC)
			for i := range 200_000 {
				switch {
				case step != 0:
					at = at.Add(step)
				default:
					at = at.Add(time.Duration(i%7)*37*time.Minute + time.Second)
				}
				times = append(times, at.In(loc))
				r = append(r, float64(i%13-6)/1000)
			}
			for _, p := range []metrics.Period{metrics.Week, metrics.Month, metrics.Quarter, metrics.Year} {
				want := map[key]float64{}
				for i, at := range times {
					k := keyOf(p, at)
					if _, ok := want[k]; !ok {
						want[k] = 1
					}
					want[k] *= 1 + r[i]
				}
				got := metrics.AggregateReturns(metrics.Slice(r), metrics.TimeSlice(times), p)
				if len(got) != len(want) {
					t.Fatalf("%v %v %v: %d periods, want %d", loc, step, p, len(got), len(want))
				}
				for _, g := range got {
					if w, ok := want[key{g.Year, g.Index}]; !ok || g.Return != w-1 {
						t.Errorf("%v %v %v: (%d, %d) %v, want %v", loc, step, p, g.Year, g.Index, g.Return, w-1)
					}
				}
			}
		}
	}
}
