package report

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, wherever the system has none
)

// TestTimeText checks timeText against time.AppendFormat in RFC 3339
// (appendTime) over columns of times a minute, a second, a day and
// irregular steps apart, across daylight-saving changes, in UTC, fixed
// zones (one with an offset in seconds) and zones with half-hour and
// midnight changes, with and without fractions, and with years outside
// 0–9999; and that its day is the time's date.
func TestTimeText(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+30*60), time.FixedZone("", -(3*3600 + 45*60)),
		time.FixedZone("LMT", -(17*60 + 30)), time.FixedZone("", 0)}
	for _, name := range []string{"America/New_York", "Australia/Lord_Howe", "America/Havana", "Asia/Tehran", "Europe/London", "America/Santiago"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	starts := []time.Time{
		time.Date(2024, 3, 9, 20, 0, 0, 0, time.UTC),  // before the US change to summer time
		time.Date(2024, 11, 2, 20, 0, 0, 0, time.UTC), // and back
		time.Date(2023, 3, 25, 20, 0, 0, 0, time.UTC), // Havana and Europe
		time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 22, 0, 0, 0, time.UTC), // negative Unix seconds
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 22, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 22, 0, 0, 0, time.UTC),
	}
	steps := []time.Duration{time.Minute, time.Second, 24 * time.Hour, 17*time.Minute + 250*time.Millisecond, 1}
	var c timeText
	var got, want []byte
	n := 0
	for _, loc := range zones {
		for _, start := range starts {
			for _, step := range steps {
				at := start.In(loc)
				for i := range 3000 {
					if step == 1 {
						at = at.Add(time.Duration(rng.Int64N(int64(3 * time.Hour))))
					} else {
						at = at.Add(step)
					}
					if i%500 == 0 {
						at = at.Add(time.Duration(rng.Int64N(1e9))) // a fraction now and then
					}
					got = c.append(got[:0], at)
					want = appendTime(want[:0], at)
					if string(got) != string(want) {
						t.Fatalf("%v: %s, want %s", at, got, want)
					}
					if c.covers(at) {
						y, m, d := at.Date()
						if c.day != y*10000+int(m)*100+d {
							t.Fatalf("%v: day %d", at, c.day)
						}
					}
					n++
				}
			}
		}
	}
	if got := c.append(nil, time.Time{}); len(got) != 0 {
		t.Errorf("zero time: %q", got)
	}
	t.Logf("%d times", n)
}
