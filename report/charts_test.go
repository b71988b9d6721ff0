package report

import (
	"iter"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
)

// seqOf returns pts as a sequence.
func seqOf(pts plotter.XYs) iter.Seq2[float64, float64] {
	return func(yield func(float64, float64) bool) {
		for _, p := range pts {
			if !yield(p.X, p.Y) {
				return
			}
		}
	}
}

// thinSlice is thin over a slice, as it was first written: the reference
// the streaming thin must match.
func thinSlice(pts plotter.XYs, max int) plotter.XYs {
	if len(pts) <= max {
		return pts
	}
	buckets := max / 2
	var out plotter.XYs
	for b := range buckets {
		lo, hi := b*len(pts)/buckets, (b+1)*len(pts)/buckets
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if pts[i].Y < pts[imin].Y {
				imin = i
			}
			if pts[i].Y > pts[imax].Y {
				imax = i
			}
		}
		switch {
		case imin == imax:
			out = append(out, pts[imin])
		case imin < imax:
			out = append(out, pts[imin], pts[imax])
		default:
			out = append(out, pts[imax], pts[imin])
		}
	}
	return out
}

func TestThin(t *testing.T) {
	var pts plotter.XYs
	for i, y := range []float64{0, 5, 1, 9, 2, 3, 8, 4} {
		pts = append(pts, plotter.XY{X: float64(i), Y: y})
	}
	// Two runs of four: (min 0 at 0, max 9 at 3), (min 2 at 4, max 8 at 6).
	want := plotter.XYs{{X: 0, Y: 0}, {X: 3, Y: 9}, {X: 4, Y: 2}, {X: 6, Y: 8}}
	got := thin(seqOf(pts), 4)
	if len(got) != len(want) {
		t.Fatalf("thin = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("thin = %v, want %v", got, want)
			break
		}
	}
	if got := thin(seqOf(pts), 8); len(got) != 8 {
		t.Errorf("thin kept %d of 8 points under the limit", len(got))
	}
}

// TestThinMatchesSlice: the streaming thin keeps the points the slice
// version keeps, for lengths that do and do not divide evenly, with ties
// and constant runs.
func TestThinMatchesSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 100, 4001, 10007} {
		for _, max := range []int{4, 10, 4000} {
			pts := make(plotter.XYs, n)
			for i := range pts {
				pts[i] = plotter.XY{X: float64(i), Y: float64(rng.IntN(5))}
			}
			got, want := thin(seqOf(pts), max), thinSlice(pts, max)
			if len(got) != len(want) {
				t.Fatalf("n %d max %d: %d points, want %d", n, max, len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n %d max %d: point %d is %v, want %v", n, max, i, got[i], want[i])
				}
			}
		}
	}
}

// rollingEnds samples the windows of the rolling Sharpe chart.
func TestRollingEnds(t *testing.T) {
	if ends := rollingEnds(5, 4); len(ends) != 2 || ends[0] != 3 || ends[1] != 4 {
		t.Errorf("short series: ends %v", ends)
	}
	if ends := rollingEnds(5, 6); ends != nil {
		t.Errorf("window longer than the series: ends %v", ends)
	}
	// 2499 windows of 2 in 2500 returns: every third end (step 3) from
	// index 1 to 2497, then the last, 2499: 833 + 1 points.
	ends := rollingEnds(2500, 2)
	if len(ends) != 834 || ends[1] != 4 || ends[832] != 2497 || ends[833] != 2499 {
		t.Errorf("long series: %d ends, %v ... %v", len(ends), ends[:3], ends[len(ends)-2:])
	}
}

// A log-scale chart of equity that goes negative falls back to linear
// instead of failing.
func TestEquityChartNonPositive(t *testing.T) {
	d := &reportData{chart: newChartData(0)}
	for i, v := range []float64{100, -5, 20} {
		d.chart.add(day(i+1), 0, v, 0, math.NaN())
	}
	h, err := equityChart(d.chart, nil, newEquityLines(d.chart), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), "log scale unavailable") {
		t.Error("no fallback title")
	}
}
