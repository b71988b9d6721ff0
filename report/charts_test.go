package report

import (
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/plotter"

	"github.com/quantloop/quantloop/report/metrics"
)

func TestThin(t *testing.T) {
	var pts plotter.XYs
	for i, y := range []float64{0, 5, 1, 9, 2, 3, 8, 4} {
		pts = append(pts, plotter.XY{X: float64(i), Y: y})
	}
	// Two runs of four: (min 0 at 0, max 9 at 3), (min 2 at 4, max 8 at 6).
	want := plotter.XYs{{X: 0, Y: 0}, {X: 3, Y: 9}, {X: 4, Y: 2}, {X: 6, Y: 8}}
	got := thin(pts, 4)
	if len(got) != len(want) {
		t.Fatalf("thin = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("thin = %v, want %v", got, want)
			break
		}
	}
	if got := thin(pts, 8); len(got) != 8 {
		t.Errorf("thin kept %d of 8 points under the limit", len(got))
	}
}

func TestRollingSharpe(t *testing.T) {
	r := []float64{0.01, -0.02, 0.03, 0.01, -0.01}
	ends, vals := rollingSharpe(r, 4, 0, 252)
	if len(ends) != 2 || ends[0] != 3 || ends[1] != 4 ||
		vals[0] != metrics.Sharpe(metrics.Slice(r[0:4]), 0, 252) || vals[1] != metrics.Sharpe(metrics.Slice(r[1:5]), 0, 252) {
		t.Errorf("ends %v, values %v", ends, vals)
	}
	if ends, _ := rollingSharpe(r, 6, 0, 252); ends != nil {
		t.Errorf("window longer than the series: ends %v", ends)
	}
	// 2499 windows of 2 in 2500 returns: every third end (step 3) from
	// index 1 to 2497, then the last, 2499: 833 + 1 points.
	long := make([]float64, 2500)
	ends, _ = rollingSharpe(long, 2, 0, 252)
	if len(ends) != 834 || ends[1] != 4 || ends[832] != 2497 || ends[833] != 2499 {
		t.Errorf("long series: %d ends, %v ... %v", len(ends), ends[:3], ends[len(ends)-2:])
	}
}

// A log-scale chart of equity that goes negative falls back to linear
// instead of failing.
func TestEquityChartNonPositive(t *testing.T) {
	d := &reportData{times: []time.Time{day(1), day(2), day(3)}, equity: []float64{100, -5, 20}}
	h, err := equityChart(d, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), "log scale unavailable") {
		t.Error("no fallback title")
	}
}
