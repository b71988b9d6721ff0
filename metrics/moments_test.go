package metrics_test

import (
	"math"
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

func TestMoments(t *testing.T) {
	// x = [1, 2, 3, 4, 10]: mean 4, m2 = 10, m3 = 36, m4 = 278.8.
	x := []float64{1, 2, 3, 4, 10}
	checkClose(t, "Skew", metrics.Skew(metrics.Slice(x)), 36/math.Sqrt(1000), 1e-15)
	checkClose(t, "Kurtosis", metrics.Kurtosis(metrics.Slice(x)), 278.8/100-3, 1e-14)
	// G1 = g1·√(n(n-1))/(n-2) = 12/√50; G2 = ((n+1)g2+6)(n-1)/((n-2)(n-3)).
	checkClose(t, "AdjustedSkew", metrics.AdjustedSkew(metrics.Slice(x)), 12/math.Sqrt(50), 1e-15)
	checkClose(t, "AdjustedKurtosis", metrics.AdjustedKurtosis(metrics.Slice(x)), (6*(278.8/100-3)+6)*4/6, 1e-14)
	checkSame(t, "Skew(NaN skipped)", metrics.Skew(metrics.Slice([]float64{1, nan, 2, 3, 4, 10})), metrics.Skew(metrics.Slice(x)))

	constant := []float64{0.1, 0.1, 0.1, 0.1}
	checkSame(t, "Skew(constant)", metrics.Skew(metrics.Slice(constant)), nan)
	checkSame(t, "Kurtosis(constant)", metrics.Kurtosis(metrics.Slice(constant)), nan)
	checkSame(t, "AdjustedSkew(constant)", metrics.AdjustedSkew(metrics.Slice(constant)), 0)
	checkSame(t, "AdjustedKurtosis(constant)", metrics.AdjustedKurtosis(metrics.Slice(constant)), 0)
	checkSame(t, "AdjustedSkew(n=2)", metrics.AdjustedSkew(metrics.Slice([]float64{1, 2})), nan)
	checkSame(t, "AdjustedKurtosis(n=3)", metrics.AdjustedKurtosis(metrics.Slice([]float64{1, 2, 4})), nan)
	checkSame(t, "Skew(n=1)", metrics.Skew(metrics.Slice([]float64{1})), nan)
	// Symmetric data has zero skew; two points have excess kurtosis -2.
	checkSame(t, "Skew(symmetric)", metrics.Skew(metrics.Slice([]float64{-1, 0, 1})), 0)
	checkSame(t, "Kurtosis(two points)", metrics.Kurtosis(metrics.Slice([]float64{-1, 1})), -2)
	// scipy's relative threshold: m2 <= (1e-14·mean)² counts as zero.
	checkSame(t, "Skew(near-constant)", metrics.Skew(metrics.Slice([]float64{1e6, 1e6, 1e6 + 1e-9})), nan)
}
