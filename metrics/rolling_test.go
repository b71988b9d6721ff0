package metrics_test

import (
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

func TestRolling(t *testing.T) {
	r := randomReturns(5, 30, 0.001, 0.02)
	r[12] = nan
	sharpe := func(x metrics.Column) float64 { return metrics.Sharpe(x, 0, metrics.Daily) }
	for _, w := range []int{1, 2, 5, 30} {
		got := metrics.Rolling(r, w, sharpe)
		if len(got) != len(r)-w+1 {
			t.Fatalf("w=%d: %d outputs, want %d", w, len(got), len(r)-w+1)
		}
		for i, v := range got {
			checkSame(t, "Rolling Sharpe", v, sharpe(metrics.Slice(r[i:i+w])))
		}
	}
	// Window 1: every Sharpe hits the n < 2 guard inside the window.
	for _, v := range metrics.Rolling(r, 1, sharpe) {
		checkSame(t, "Rolling Sharpe w=1", v, nan)
	}
	// w > n is clamped to n, as empyrical's vectorized rollers do.
	got := metrics.Rolling(r, 100, metrics.MaxDrawdown)
	if len(got) != 1 {
		t.Fatalf("w > n: %d outputs, want 1", len(got))
	}
	checkSame(t, "Rolling MaxDrawdown clamped", got[0], metrics.MaxDrawdown(metrics.Slice(r)))
	if got := metrics.Rolling(nil, 3, metrics.MaxDrawdown); got == nil || len(got) != 0 {
		t.Errorf("Rolling(empty) = %#v, want an empty slice", got)
	}
	// An appending f must not clobber the input.
	orig := r[3]
	metrics.Rolling(r, 3, func(x metrics.Column) float64 { s := append(x.(metrics.Slice), 99); return s[len(s)-1] })
	checkSame(t, "input after appending f", r[3], orig)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Rolling(w=0) did not panic")
			}
		}()
		metrics.Rolling(r, 0, metrics.MaxDrawdown)
	}()
}

func TestRollingPair(t *testing.T) {
	r := randomReturns(6, 40, 0.001, 0.02)
	b := randomReturns(7, 40, 0.0005, 0.015)
	got := metrics.RollingPair(r, b, 10, metrics.Beta)
	if len(got) != 31 {
		t.Fatalf("%d outputs, want 31", len(got))
	}
	for i, v := range got {
		checkSame(t, "RollingPair Beta", v, metrics.Beta(metrics.Slice(r[i:i+10]), metrics.Slice(b[i:i+10])))
	}
	got = metrics.RollingPair(r, b, 50, metrics.ExcessSharpe)
	if len(got) != 1 {
		t.Fatalf("w > n: %d outputs, want 1", len(got))
	}
	checkSame(t, "RollingPair clamped", got[0], metrics.ExcessSharpe(metrics.Slice(r), metrics.Slice(b)))
}

// RollingAt over a Column in many chunks, with NaN returns and flat
// stretches, gives bit for bit the metric of each window's slice.
func TestRollingAt(t *testing.T) {
	long := randomReturns(8, 3*metrics.ChunkLen+7, 0.0002, 0.01)
	for i := range long {
		switch {
		case i%997 == 0:
			long[i] = nan
		case i/3000%4 == 1:
			long[i] = 0 // a flat stretch: zero volatility inside it
		}
	}
	sharpe := func(x metrics.Column) float64 { return metrics.Sharpe(x, 0.0001, metrics.Daily) }
	for _, w := range []int{1, 2, 5, 1000, 2 * metrics.ChunkLen} {
		ends := []int{w - 1, w, w + 1}
		for e := w + 3500; e < len(long)-1; e += 2999 {
			ends = append(ends, e)
		}
		ends = append(ends, len(long)-1)
		got := metrics.RollingAt(metrics.Slice(long), w, ends, sharpe)
		if len(got) != len(ends) {
			t.Fatalf("w=%d: %d values for %d ends", w, len(got), len(ends))
		}
		for k, e := range ends {
			checkSame(t, "RollingAt Sharpe", got[k], sharpe(metrics.Slice(long[e-w+1:e+1])))
		}
	}
	// Equal returns in a window: zero volatility, so +Inf, not a large
	// finite number from rounding (three returns of 0.1).
	flat := []float64{0.3, 0.1, 0.1, 0.1, -0.2}
	got := metrics.RollingAt(metrics.Slice(flat), 3, []int{2, 3, 4}, sharpe)
	checkSame(t, "flat window", got[1], inf)
	if got := metrics.RollingAt(metrics.Slice(flat), 3, nil, sharpe); len(got) != 0 {
		t.Errorf("no ends: %v", got)
	}
	for _, bad := range [][]int{{1}, {2, 2}, {5}, {3, 2}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("ends %v did not panic", bad)
				}
			}()
			metrics.RollingAt(metrics.Slice(flat), 3, bad, sharpe)
		}()
	}
}
