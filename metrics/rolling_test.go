package metrics_test

import (
	"math"
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

// gappyReturns returns n random returns with a NaN every 997 and flat
// stretches of zeros (no position, so no volatility) of 3000.
func gappyReturns(seed uint64, n int) []float64 {
	r := randomReturns(seed, n, 0.0002, 0.01)
	for i := range r {
		switch {
		case i%997 == 0:
			r[i] = nan
		case i/3000%4 == 1:
			r[i] = 0
		}
	}
	return r
}

// RollingAt over a Column in many chunks, with NaN returns and flat
// stretches, gives bit for bit the metric of each window's slice.
func TestRollingAt(t *testing.T) {
	long := gappyReturns(8, 3*metrics.ChunkLen+7)
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

// RollingSharpe is, to 1e-11 of max(1, |Sharpe|), the Sharpe ratio of
// each window's slice, on windows that wrap around the ring and cross
// chunks, with NaN returns and flat stretches; where the zero-volatility
// rule decides, or the variance is tiny next to the mean, it is exactly
// Sharpe's.
func TestRollingSharpe(t *testing.T) {
	const rf = 0.0001
	long := gappyReturns(3, 50*metrics.ChunkLen+5)
	for _, w := range []int{1, 2, 5, 1000, 20000} {
		var ends []int
		step := max(1, (len(long)-w+1)/1000)
		for e := w - 1; e < len(long); e += step {
			ends = append(ends, e)
		}
		got := metrics.RollingSharpe(metrics.Slice(long), w, ends, rf, metrics.Daily)
		if len(got) != len(ends) {
			t.Fatalf("w %d: %d values for %d ends", w, len(got), len(ends))
		}
		flat := 0
		for k, e := range ends {
			x := metrics.Slice(long[e-w+1 : e+1])
			want := metrics.Sharpe(x, rf, metrics.Daily)
			if math.IsInf(want, 0) || math.IsNaN(want) {
				flat++
				checkSame(t, "RollingSharpe, no volatility", got[k], want)
				continue
			}
			if d := math.Abs(got[k] - want); !(d <= 1e-11*max(1, math.Abs(want))) {
				t.Errorf("w %d, window ending %d: %v, want %v", w, e, got[k], want)
			}
		}
		if w > 1 && w < 3000 && flat == 0 {
			t.Errorf("w %d: no window without volatility was checked", w)
		}
	}
	// Equal values give ±Inf or NaN (a zero excess return); 0.1 three
	// times has a running variance of about 1e-34, not 0. Values equal
	// but for one ulp give Sharpe's finite result, not Inf.
	tests := []struct {
		name string
		r    []float64
		rf   float64
	}{
		{"equal positive", []float64{0.3, 0.1, 0.1, 0.1, -0.2, 0.1}, 0},
		{"equal negative", []float64{-0.3, -0.1, -0.1, -0.1}, 0},
		{"equal to rf", []float64{0.02, 0.01, 0.01, 0.01}, 0.01},
		{"one ulp apart", []float64{0.3, 0.1, 0.1, math.Nextafter(0.1, 1), 0.1}, 0},
		{"NaN inside", []float64{0.2, 0.1, nan, 0.1, 0.1, nan}, 0},
	}
	for _, tc := range tests {
		var ends []int
		for e := 2; e < len(tc.r); e++ {
			ends = append(ends, e)
		}
		got := metrics.RollingSharpe(metrics.Slice(tc.r), 3, ends, tc.rf, metrics.Daily)
		for k, e := range ends {
			checkSame(t, tc.name, got[k], metrics.Sharpe(metrics.Slice(tc.r[e-2:e+1]), tc.rf, metrics.Daily))
		}
	}
}
