package metrics_test

import (
	"math"
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

// TestNaNPolicy checks each row of the NaN table of METRICS.md §1.3.
func TestNaNPolicy(t *testing.T) {
	r := randomReturns(1, 40, 0.001, 0.02)
	b := randomReturns(2, 40, 0.0005, 0.015)
	holes := []int{0, 7, 23, 39}
	rn := withNaN(r, holes...)
	rd := without(r, holes...)
	bd := without(b, holes...)

	t.Run("compounding treats NaN as 0", func(t *testing.T) {
		checkSame(t, "CumReturnsFinal", metrics.CumReturnsFinal(metrics.Slice(rn), 0), metrics.CumReturnsFinal(metrics.Slice(rd), 0))
		checkSame(t, "MaxDrawdown", metrics.MaxDrawdown(metrics.Slice(rn)), metrics.MaxDrawdown(metrics.Slice(rd)))
		cn, cd := metrics.CumReturns(rn, 0), metrics.CumReturns(rd, 0)
		checkSame(t, "CumReturns last", cn[len(cn)-1], cd[len(cd)-1])
		checkSame(t, "CumReturns at NaN row", cn[7], cn[6])
	})

	t.Run("CAGR counts NaN rows in n", func(t *testing.T) {
		w := metrics.CumReturnsFinal(metrics.Slice(rd), 1)
		checkSame(t, "AnnualReturn", metrics.AnnualReturn(metrics.Slice(rn), 252), math.Pow(w, 1/(float64(len(rn))/252))-1)
		if metrics.AnnualReturn(metrics.Slice(rn), 252) == metrics.AnnualReturn(metrics.Slice(rd), 252) {
			t.Error("AnnualReturn ignores the NaN rows in n")
		}
		checkSame(t, "AnnualReturn([0.1, NaN], 1)", metrics.AnnualReturn(metrics.Slice([]float64{0.1, nan}), 1), math.Sqrt(1.1)-1)
		checkClose(t, "AnnualReturn([0.1], 1)", metrics.AnnualReturn(metrics.Slice([]float64{0.1}), 1), 0.1, 1e-15)
	})

	t.Run("moments skip NaN", func(t *testing.T) {
		pairs := []struct {
			name string
			f    func([]float64) float64
		}{
			{"AnnualVolatility", func(x []float64) float64 { return metrics.AnnualVolatility(metrics.Slice(x), 252) }},
			{"Sharpe", func(x []float64) float64 { return metrics.Sharpe(metrics.Slice(x), 0.0001, 252) }},
			{"Sortino", func(x []float64) float64 { return metrics.Sortino(metrics.Slice(x), 0.0001, 252) }},
			{"DownsideRisk", func(x []float64) float64 { return metrics.DownsideRisk(metrics.Slice(x), 0.0001, 252) }},
			{"Omega", func(x []float64) float64 { return metrics.Omega(metrics.Slice(x), 0.0001, 0.05, 252) }},
			{"TailRatio", func(r []float64) float64 { return metrics.TailRatio(metrics.Slice(r)) }},
			{"Stability", func(r []float64) float64 { return metrics.Stability(metrics.Slice(r)) }},
			{"Skew", func(r []float64) float64 { return metrics.Skew(metrics.Slice(r)) }},
			{"Kurtosis", func(r []float64) float64 { return metrics.Kurtosis(metrics.Slice(r)) }},
			{"AdjustedSkew", func(r []float64) float64 { return metrics.AdjustedSkew(metrics.Slice(r)) }},
			{"AdjustedKurtosis", func(r []float64) float64 { return metrics.AdjustedKurtosis(metrics.Slice(r)) }},
		}
		for _, p := range pairs {
			got, want := p.f(rn), p.f(rd)
			if math.IsNaN(want) {
				t.Fatalf("%s of the NaN-free series is NaN", p.name)
			}
			checkSame(t, p.name, got, want)
		}
		checkSame(t, "ExcessSharpe", metrics.ExcessSharpe(metrics.Slice(rn), metrics.Slice(b)), metrics.ExcessSharpe(metrics.Slice(rd), metrics.Slice(bd)))
	})

	t.Run("guards use the total n", func(t *testing.T) {
		// Two rows, one valid: the n >= 2 guard passes, the std is NaN.
		two := []float64{0.01, nan}
		checkSame(t, "AnnualVolatility", metrics.AnnualVolatility(metrics.Slice(two), 252), nan)
		checkSame(t, "Sharpe", metrics.Sharpe(metrics.Slice(two), 0, 252), nan)
		checkSame(t, "Sortino (no downside)", metrics.Sortino(metrics.Slice(two), 0, 252), inf)
		checkSame(t, "Stability (one valid value)", metrics.Stability(metrics.Slice(two)), 0)
		checkSame(t, "Omega (no loss)", metrics.Omega(metrics.Slice(two), 0, 0, 252), nan)
		checkSame(t, "Omega", metrics.Omega(metrics.Slice([]float64{-0.01, nan}), 0, 0, 252), 0)
		// Downside risk averages over the valid count, not len(r).
		checkSame(t, "DownsideRisk", metrics.DownsideRisk(metrics.Slice([]float64{-0.01, nan}), 0, 1), 0.01)
		checkSame(t, "TailRatio(single valid)", metrics.TailRatio(metrics.Slice([]float64{nan, 0.02})), 1)
	})

	t.Run("alpha and beta use pairwise deletion", func(t *testing.T) {
		bn := withNaN(b, 3, 11)
		rr := withNaN(r, 7, 23)
		keep := []int{3, 11, 7, 23}
		wantBeta := metrics.Beta(metrics.Slice(without(r, keep...)), metrics.Slice(without(b, keep...)))
		checkSame(t, "Beta", metrics.Beta(metrics.Slice(rr), metrics.Slice(bn)), wantBeta)
		wantAlpha := metrics.Alpha(metrics.Slice(without(r, keep...)), metrics.Slice(without(b, keep...)), 0.0001, 252)
		checkSame(t, "Alpha", metrics.Alpha(metrics.Slice(rr), metrics.Slice(bn), 0.0001, 252), wantAlpha)
		if math.IsNaN(wantBeta) || math.IsNaN(wantAlpha) {
			t.Error("alpha or beta is NaN on valid data")
		}
	})

	t.Run("VaR and CVaR reject NaN", func(t *testing.T) {
		checkSame(t, "ValueAtRisk", metrics.ValueAtRisk(metrics.Slice(rn), 0.05), nan)
		checkSame(t, "ConditionalValueAtRisk", metrics.ConditionalValueAtRisk(metrics.Slice(rn), 0.05), nan)
		checkSame(t, "Percentile", metrics.Percentile(metrics.Slice(rn), 50), nan)
	})

	t.Run("benchmark extras", func(t *testing.T) {
		// Rows with a NaN or zero benchmark are in neither capture group.
		rr := []float64{0.01, 0.02, -0.01, 0.03, nan, 0.01}
		bb := []float64{0.02, nan, -0.02, 0, 0.01, -0.01}
		checkSame(t, "UpCapture", metrics.UpCapture(metrics.Slice(rr), metrics.Slice(bb), 252),
			metrics.Capture(metrics.Slice([]float64{0.01, nan}), metrics.Slice([]float64{0.02, 0.01}), 252))
		checkSame(t, "DownCapture", metrics.DownCapture(metrics.Slice(rr), metrics.Slice(bb), 252),
			metrics.Capture(metrics.Slice([]float64{-0.01, 0.01}), metrics.Slice([]float64{-0.02, -0.01}), 252))
		// Batting average: b >= 0 is "up"; NaN rows count as misses overall.
		all, up, down := metrics.BattingAverage(metrics.Slice(rr), metrics.Slice(bb))
		// active = r-b: -0.01, NaN, 0.01, 0.03, NaN, 0.02 → 3 hits of 6.
		checkSame(t, "BattingAverage all", all, 0.5)
		// b >= 0 rows: 0, 3, 4 → hits at 3 → 1/3.
		checkSame(t, "BattingAverage up", up, f(1)/3)
		// b < 0 rows: 2, 5 → both hits.
		checkSame(t, "BattingAverage down", down, 1)
	})
}
