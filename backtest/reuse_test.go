package backtest

import (
	"slices"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

// TestReuseCurve runs bars of two lengths, each run given the last one's
// equity points and curve (Options.Equity, Options.Curve): each curve
// is that of a run alone, and a run whose points fit takes the memory.
func TestReuseCurve(t *testing.T) {
	bars := func(n int) []engine.Bar {
		return generatedBars(t, 0, data.GenOptions{Symbols: []string{"A"}, Bars: n, Seed: 9})
	}
	run := func(b []engine.Bar, o Options) *Result {
		t.Helper()
		o.Times = len(b)
		return runBars(t, b, o)
	}
	curve := func(c *Curve) ([]float64, []time.Time) {
		var v []float64
		var ts []time.Time
		for ch := range c.Values().Chunks() {
			v = append(v, ch...)
		}
		for ch := range c.Times().Chunks() {
			ts = append(ts, ch...)
		}
		return v, ts
	}
	first := func(c *Curve) *float64 {
		for ch := range c.Values().Chunks() {
			return &ch[0]
		}
		return nil
	}
	var last *Result
	for _, n := range []int{5000, 300, 5000, 5000} {
		b := bars(n)
		alone := run(b, Options{})
		o := Options{}
		var mem *float64
		if last != nil {
			o.Equity, o.Curve, mem = last.Equity[:0], &last.Curve, first(&last.Curve)
		}
		res := run(b, o)
		wantV, wantT := curve(&alone.Curve)
		gotV, gotT := curve(&res.Curve)
		if !slices.Equal(gotV, wantV) || !slices.EqualFunc(gotT, wantT, time.Time.Equal) || res.Metrics != alone.Metrics {
			t.Fatalf("%d bars: the curve or metrics of a run given an earlier run's memory differ from a run alone", n)
		}
		if len(gotV) != n {
			t.Fatalf("%d bars: %d points", n, len(gotV))
		}
		if mem != nil && first(&res.Curve) != mem {
			t.Errorf("%d bars: the run did not take the earlier curve's memory", n)
		}
		last = res
	}
}
