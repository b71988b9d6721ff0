package metrics_test

import (
	"slices"
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

func TestPercentile(t *testing.T) {
	tests := []struct {
		name string
		v    []float64
		q    float64
		want float64
	}{
		// t = 0.9 >= 0.5: numpy computes b - (b-a)(1-t) = 0.27999999999999997,
		// whereas a + (b-a)t would give 0.28.
		{"upper lerp form", []float64{0.3, 0.1}, 90, 0.27999999999999997},
		// t = 0.1 < 0.5: a + (b-a)t = 0.11000000000000001, whereas the upper
		// form would give 0.11.
		{"lower lerp form", []float64{0.2, 0.1}, 10, 0.11000000000000001},
		// t = 0.05: a + (b-a)t = 0.11, the upper form gives 0.11000000000000001.
		{"lower lerp form 2", []float64{0.1, 0.3}, 5, 0.11},
		{"t exactly 0.5", []float64{1, 2, 3, 4}, 50, 2.5},
		{"pos from q/100 first", []float64{1, 2, 3, 4, 5}, 30, 2.2},
		// numpy computes (m-1)·(q/100) = 0.003; (m-1)·q/100 would give
		// 0.0030000000000000005.
		{"q/100 before (m-1)", []float64{0, 1, 2, 3}, 0.1, 0.003},
		{"min", []float64{3, -1, 2}, 0, -1},
		{"max", []float64{3, -1, 2}, 100, 3},
		{"single", []float64{0.7}, 37, 0.7},
		{"worked example p95", []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}, 95, f(0.03) - (f(0.03)-0.02)*(1-f(0.75))},
		{"worked example p5", []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}, 5, f(-0.02) + (f(-0.01)+0.02)*f(0.25)},
		{"ties", []float64{1, 1, 1, 2}, 50, 1},
		{"negative q", []float64{1, 2}, -1, nan},
		{"q above 100", []float64{1, 2}, 100.5, nan},
		{"NaN q", []float64{1, 2}, nan, nan},
		{"empty", nil, 50, nan},
		{"NaN value", []float64{1, nan, 3}, 50, nan},
	}
	for _, tt := range tests {
		checkSame(t, "Percentile/"+tt.name, metrics.Percentile(metrics.Slice(tt.v), tt.q), tt.want)
	}
}

func TestPercentileDoesNotModifyInput(t *testing.T) {
	v := []float64{3, 1, 2}
	orig := slices.Clone(v)
	metrics.Percentile(metrics.Slice(v), 50)
	metrics.ValueAtRisk(metrics.Slice(v), 0.05)
	metrics.ConditionalValueAtRisk(metrics.Slice(v), 0.05)
	metrics.TailRatio(metrics.Slice(v))
	if !slices.Equal(v, orig) {
		t.Errorf("input modified: %v", v)
	}
}

func TestValueAtRiskCutoff(t *testing.T) {
	r := []float64{-0.03, 0.01, -0.01, 0.02, 0}
	checkSame(t, "ValueAtRisk(0)", metrics.ValueAtRisk(metrics.Slice(r), 0), -0.03)
	checkSame(t, "ValueAtRisk(1)", metrics.ValueAtRisk(metrics.Slice(r), 1), 0.02)
	checkSame(t, "ValueAtRisk(1.5)", metrics.ValueAtRisk(metrics.Slice(r), 1.5), nan)
	// k = floor(4·0.5) = 2: mean of the three smallest.
	checkSame(t, "ConditionalValueAtRisk(0.5)", metrics.ConditionalValueAtRisk(metrics.Slice(r), 0.5), (f(-0.03)+f(-0.01)+0)/3)
	checkSame(t, "ConditionalValueAtRisk(0)", metrics.ConditionalValueAtRisk(metrics.Slice(r), 0), -0.03)
	checkSame(t, "ConditionalValueAtRisk(-0.1)", metrics.ConditionalValueAtRisk(metrics.Slice(r), -0.1), nan)
}
