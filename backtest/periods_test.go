package backtest

import (
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/metrics"
)

// TestPeriodsCache runs daily and hourly bars in turn with one cache: a
// run takes the cached periods per year only when its first times are
// the cached ones, and its figures are those of a run without a cache.
func TestPeriodsCache(t *testing.T) {
	run := func(interval time.Duration, cache *PeriodsCache) *Result {
		t.Helper()
		opts := data.GenOptions{Symbols: []string{"A"}, Bars: 400, Interval: interval, Seed: 3}
		return runBars(t, generatedBars(t, 0, opts), Options{Periods: cache})
	}
	// 09:30 to 16:00 in hours: 7 bars a day.
	const daily, hourly = metrics.Daily, metrics.Daily * 7
	var cache PeriodsCache
	for _, c := range []struct {
		interval time.Duration
		want     float64
	}{{24 * time.Hour, daily}, {time.Hour, hourly}, {24 * time.Hour, daily}} {
		alone, cached := run(c.interval, nil), run(c.interval, &cache)
		if alone.Metrics != cached.Metrics || cached.Metrics.PeriodsPerYear != c.want {
			t.Errorf("%v bars: metrics %+v with the cache, %+v without; want %v periods per year",
				c.interval, cached.Metrics, alone.Metrics, c.want)
		}
		if got := cached.Config.Analysis.PeriodsPerYear; got != c.want {
			t.Errorf("%v bars: the config's periods per year %v, want %v", c.interval, got, c.want)
		}
	}
	// The same times again take the cached value, whatever it is.
	cache.p = 1
	if got := run(24*time.Hour, &cache).Metrics.PeriodsPerYear; got != 1 {
		t.Errorf("daily bars again: %v periods per year, want the cached 1", got)
	}
	if got := run(time.Hour, &cache).Metrics.PeriodsPerYear; got != hourly {
		t.Errorf("hourly bars after daily: %v periods per year, want %v", got, hourly)
	}
}
