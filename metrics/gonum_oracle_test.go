package metrics_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"

	"github.com/quantloop/quantloop/metrics"
)

// gonum's stat and floats packages are an independent implementation of
// the moment-based metrics (uncompensated sums, its own formulas), so on
// well-conditioned data they agree to rounding: a cross-check of the
// formulas, not of the last bits (see the package doc on why the metrics
// do not use them).
func TestAgainstGonumStat(t *testing.T) {
	const P, rf, tol = 252.0, 0.0001, 1e-11
	r := randomReturns(31, 2000, 0.0005, 0.012)
	b := randomReturns(32, 2000, 0.0003, 0.01)
	for i := range r {
		r[i] += 0.8 * b[i] // a beta near 0.8
	}
	x := make([]float64, len(r)) // excess returns
	for i := range r {
		x[i] = r[i] - rf
	}
	mean, std := stat.MeanStdDev(x, nil)
	checkClose(t, "Sharpe", metrics.Sharpe(metrics.Slice(r), rf, P), mean/std*math.Sqrt(P), tol)
	checkClose(t, "AnnualVolatility", metrics.AnnualVolatility(metrics.Slice(r), P), stat.StdDev(r, nil)*math.Sqrt(P), tol)
	checkClose(t, "Beta", metrics.Beta(metrics.Slice(r), metrics.Slice(b)), stat.Covariance(r, b, nil)/stat.Variance(b, nil), tol)
	// gonum's Skew and ExKurtosis are the bias-corrected sample
	// estimators, pandas' G1 and G2.
	checkClose(t, "AdjustedSkew", metrics.AdjustedSkew(metrics.Slice(r)), stat.Skew(r, nil), 1e-9)
	checkClose(t, "AdjustedKurtosis", metrics.AdjustedKurtosis(metrics.Slice(r)), stat.ExKurtosis(r, nil), 1e-9)
	// Stability: R² of the cumulative log returns against their index.
	c, k := make([]float64, len(r)), make([]float64, len(r))
	for i := range r {
		c[i], k[i] = math.Log1p(r[i]), float64(i)
	}
	floats.CumSum(c, c)
	rho := stat.Correlation(k, c, nil)
	checkClose(t, "Stability", metrics.Stability(metrics.Slice(r)), rho*rho, tol)
	// The quantstats expected return is the geometric mean of 1+r, less 1.
	g := make([]float64, len(r))
	for i := range r {
		g[i] = 1 + r[i]
	}
	checkClose(t, "ExpectedReturn", metrics.ExpectedReturn(metrics.Slice(r)), stat.GeometricMean(g, nil)-1, 1e-9)
}
