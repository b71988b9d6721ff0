package metrics_test

import (
	"math"
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

// scalarMetrics lists every single-series metric with P = 252, rf = mar = 0
// and cutoff 0.05, for the table-driven edge cases of METRICS.md §1.4–§1.5.
var scalarMetrics = []struct {
	name string
	f    func([]float64) float64
}{
	{"CumReturnsFinal", func(r []float64) float64 { return metrics.CumReturnsFinal(metrics.Slice(r), 0) }},
	{"AnnualReturn", func(r []float64) float64 { return metrics.AnnualReturn(metrics.Slice(r), 252) }},
	{"AnnualVolatility", func(r []float64) float64 { return metrics.AnnualVolatility(metrics.Slice(r), 252) }},
	{"Sharpe", func(r []float64) float64 { return metrics.Sharpe(metrics.Slice(r), 0, 252) }},
	{"MaxDrawdown", func(r []float64) float64 { return metrics.MaxDrawdown(metrics.Slice(r)) }},
	{"Calmar", func(r []float64) float64 { return metrics.Calmar(metrics.Slice(r), 252) }},
	{"DownsideRisk", func(r []float64) float64 { return metrics.DownsideRisk(metrics.Slice(r), 0, 252) }},
	{"Sortino", func(r []float64) float64 { return metrics.Sortino(metrics.Slice(r), 0, 252) }},
	{"Omega", func(r []float64) float64 { return metrics.Omega(metrics.Slice(r), 0, 0, 252) }},
	{"TailRatio", func(r []float64) float64 { return metrics.TailRatio(metrics.Slice(r)) }},
	{"Stability", func(r []float64) float64 { return metrics.Stability(metrics.Slice(r)) }},
	{"ValueAtRisk", func(r []float64) float64 { return metrics.ValueAtRisk(metrics.Slice(r), 0.05) }},
	{"ConditionalValueAtRisk", func(r []float64) float64 { return metrics.ConditionalValueAtRisk(metrics.Slice(r), 0.05) }},
	{"Skew", func(r []float64) float64 { return metrics.Skew(metrics.Slice(r)) }},
	{"Kurtosis", func(r []float64) float64 { return metrics.Kurtosis(metrics.Slice(r)) }},
}

func TestEdgeCases(t *testing.T) {
	up := []float64{0.01, 0.02, 0.03} // no losing period
	// want maps a metric name to its exact expected value for each input.
	tests := []struct {
		input string
		r     []float64
		want  map[string]float64
	}{
		{"empty", []float64{}, map[string]float64{
			"CumReturnsFinal": nan, "AnnualReturn": nan, "AnnualVolatility": nan,
			"Sharpe": nan, "MaxDrawdown": nan, "Calmar": nan, "DownsideRisk": nan,
			"Sortino": nan, "Omega": nan, "TailRatio": nan, "Stability": nan,
			"ValueAtRisk": nan, "ConditionalValueAtRisk": nan, "Skew": nan, "Kurtosis": nan,
		}},
		{"n=1 gain", []float64{0.01}, map[string]float64{
			"CumReturnsFinal": 0.010000000000000009, "AnnualReturn": math.Pow(1.01, 1/(f(1)/252)) - 1,
			"AnnualVolatility": nan, "Sharpe": nan, "MaxDrawdown": 0, "Calmar": nan,
			"DownsideRisk": 0, "Sortino": nan, "Omega": nan, "TailRatio": 1, "Stability": nan,
			"ValueAtRisk": 0.01, "ConditionalValueAtRisk": 0.01, "Skew": nan, "Kurtosis": nan,
		}},
		{"n=1 loss", []float64{-0.05}, map[string]float64{
			// A first-bar loss is a drawdown (leading 1.0, §1.1 engine rule).
			"MaxDrawdown": (1+f(-0.05))/1 - 1, "DownsideRisk": 0.05 * math.Sqrt(252), "Sharpe": nan,
		}},
		{"three 0.1", []float64{0.1, 0.1, 0.1}, map[string]float64{
			// Zero-volatility rule (§1.5): std is exactly 0, not ~1e-17.
			"AnnualVolatility": 0, "Sharpe": inf, "Sortino": inf, "DownsideRisk": 0,
			"Omega": nan, "MaxDrawdown": 0, "Calmar": nan, "Skew": nan, "Kurtosis": nan,
			"TailRatio": 1,
		}},
		{"three -0.1", []float64{-0.1, -0.1, -0.1}, map[string]float64{
			"AnnualVolatility": 0, "Sharpe": math.Inf(-1), "Omega": 0,
		}},
		{"all zero", []float64{0, 0, 0, 0}, map[string]float64{
			"AnnualVolatility": 0, "Sharpe": nan, "Sortino": nan, "DownsideRisk": 0,
			"Omega": nan, "MaxDrawdown": 0, "TailRatio": nan, "Stability": 0,
			"CumReturnsFinal": 0, "AnnualReturn": 0,
		}},
		{"no losing periods", up, map[string]float64{
			"Sortino": inf, "DownsideRisk": 0, "Omega": nan, "MaxDrawdown": 0, "Calmar": nan,
		}},
		{"5th percentile 0", []float64{0, 0, 0, 0.01, 0.02}, map[string]float64{
			"TailRatio": inf,
		}},
		{"all NaN", []float64{nan, nan, nan}, map[string]float64{
			"CumReturnsFinal": 0, "AnnualReturn": 0, "AnnualVolatility": nan,
			"Sharpe": nan, "MaxDrawdown": 0, "DownsideRisk": nan, "Sortino": nan,
			"Omega": nan, "TailRatio": nan, "Stability": nan, "ValueAtRisk": nan,
			"ConditionalValueAtRisk": nan, "Skew": nan, "Kurtosis": nan,
		}},
		{"negative base, fractional exponent", []float64{-1.5, 0, 0, 0, 0}, map[string]float64{
			"CumReturnsFinal": -1.5, "AnnualReturn": nan, "Calmar": nan,
		}},
		{"negative base, integer exponent", []float64{-1.5, 0}, map[string]float64{
			"AnnualReturn": math.Pow(-0.5, 126) - 1,
		}},
	}
	for _, tt := range tests {
		for _, m := range scalarMetrics {
			want, ok := tt.want[m.name]
			if !ok {
				continue
			}
			checkSame(t, m.name+"("+tt.input+")", m.f(tt.r), want)
		}
	}
}

func TestZeroVolatilityNaive(t *testing.T) {
	// Without the explicit rule the two-pass std of three 0.1 values is
	// about 1e-17, not 0; make sure the rule is what gives +Inf.
	r := []float64{0.1, 0.1, 0.1}
	m := (r[0] + r[1] + r[2]) / 3
	if m == 0.1 {
		t.Skip("mean happens to be exact on this platform")
	}
	checkSame(t, "Sharpe(three 0.1)", metrics.Sharpe(metrics.Slice(r), 0, 252), inf)
	checkSame(t, "Sharpe(three 0.1, rf=0.1)", metrics.Sharpe(metrics.Slice(r), 0.1, 252), nan)
	checkSame(t, "AnnualVolatility(three 0.1)", metrics.AnnualVolatility(metrics.Slice(r), 252), 0)
}

func TestExcessSharpeEdges(t *testing.T) {
	checkSame(t, "ExcessSharpe(empty)", metrics.ExcessSharpe(metrics.Slice(nil), metrics.Slice(nil)), nan)
	checkSame(t, "ExcessSharpe(n=1)", metrics.ExcessSharpe(metrics.Slice([]float64{0.1}), metrics.Slice([]float64{0})), nan)
	// Constant active return: std exactly 0 → ±Inf.
	checkSame(t, "ExcessSharpe(constant +)", metrics.ExcessSharpe(metrics.Slice([]float64{0.1, 0.1, 0.1}), metrics.Slice([]float64{0, 0, 0})), inf)
	checkSame(t, "ExcessSharpe(constant -)", metrics.ExcessSharpe(metrics.Slice([]float64{0, 0, 0}), metrics.Slice([]float64{0.1, 0.1, 0.1})), math.Inf(-1))
	checkSame(t, "ExcessSharpe(equal)", metrics.ExcessSharpe(metrics.Slice([]float64{0.1, 0.2}), metrics.Slice([]float64{0.1, 0.2})), nan)
	// One valid row: the NaN std is treated as 0 (empyrical nan_to_num).
	checkSame(t, "ExcessSharpe(one valid row)", metrics.ExcessSharpe(metrics.Slice([]float64{0.02, nan}), metrics.Slice([]float64{0.01, 0.01})), inf)
	checkSame(t, "ExcessSharpe(no valid row)", metrics.ExcessSharpe(metrics.Slice([]float64{nan, nan}), metrics.Slice([]float64{0.01, 0.01})), nan)
}

func TestBenchmarkEdges(t *testing.T) {
	r := []float64{0.01, -0.02, 0.03, 0.00}
	flat := []float64{0.001, 0.001, 0.001, 0.001}
	checkSame(t, "Beta(constant benchmark)", metrics.Beta(metrics.Slice(r), metrics.Slice(flat)), nan)
	checkSame(t, "Alpha(constant benchmark)", metrics.Alpha(metrics.Slice(r), metrics.Slice(flat), 0, 252), nan)
	// The rounded mean of three 1e8+0.1 leaves a variance of ~2e-16, above
	// the 1e-30 threshold; the explicit zero-variance rule still gives NaN.
	checkSame(t, "Beta(large constant benchmark)", metrics.Beta(metrics.Slice(r[:3]), metrics.Slice([]float64{1e8 + 0.1, 1e8 + 0.1, 1e8 + 0.1})), nan)
	checkSame(t, "Beta(tiny benchmark variance)", metrics.Beta(metrics.Slice(r), metrics.Slice([]float64{0, 1e-16, 0, 1e-16})), nan)
	checkSame(t, "Beta(empty)", metrics.Beta(metrics.Slice(nil), metrics.Slice(nil)), nan)
	checkSame(t, "Beta(n=1)", metrics.Beta(metrics.Slice([]float64{0.01}), metrics.Slice([]float64{0.02})), nan)
	checkSame(t, "Alpha(n=1)", metrics.Alpha(metrics.Slice([]float64{0.01}), metrics.Slice([]float64{0.02}), 0, 252), nan)
	checkSame(t, "Beta(one valid pair)", metrics.Beta(metrics.Slice([]float64{0.01, nan}), metrics.Slice([]float64{0.02, 0.03})), nan)
	checkSame(t, "Beta(no valid pair)", metrics.Beta(metrics.Slice([]float64{nan, 0.01}), metrics.Slice([]float64{0.02, nan})), nan)
	// Capture with a flat benchmark: division by a zero growth rate.
	checkSame(t, "Capture(r, zeros)", metrics.Capture(metrics.Slice([]float64{0.01, 0.01}), metrics.Slice([]float64{0, 0}), 252), inf)
	checkSame(t, "UpCapture(no up rows)", metrics.UpCapture(metrics.Slice(r), metrics.Slice(scale(flat, -1)), 252), nan)
	checkSame(t, "DownCapture(no down rows)", metrics.DownCapture(metrics.Slice(r), metrics.Slice(flat), 252), nan)
	a, b := metrics.UpAlphaBeta(metrics.Slice(r), metrics.Slice(scale(flat, -1)), 0, 252)
	checkSame(t, "UpAlphaBeta alpha (no rows)", a, nan)
	checkSame(t, "UpAlphaBeta beta (no rows)", b, nan)
	all, up, down := metrics.BattingAverage(metrics.Slice(nil), metrics.Slice(nil))
	checkSame(t, "BattingAverage(empty) all", all, nan)
	checkSame(t, "BattingAverage(empty) up", up, nan)
	checkSame(t, "BattingAverage(empty) down", down, nan)
}

func TestLengthMismatchPanics(t *testing.T) {
	a, b := []float64{0.1, 0.2}, []float64{0.1}
	calls := map[string]func(){
		"Beta":           func() { metrics.Beta(metrics.Slice(a), metrics.Slice(b)) },
		"Alpha":          func() { metrics.Alpha(metrics.Slice(a), metrics.Slice(b), 0, 252) },
		"ExcessSharpe":   func() { metrics.ExcessSharpe(metrics.Slice(a), metrics.Slice(b)) },
		"ExcessReturns":  func() { metrics.ExcessReturns(a, b) },
		"UpCapture":      func() { metrics.UpCapture(metrics.Slice(a), metrics.Slice(b), 252) },
		"DownAlphaBeta":  func() { metrics.DownAlphaBeta(metrics.Slice(a), metrics.Slice(b), 0, 252) },
		"BattingAverage": func() { metrics.BattingAverage(metrics.Slice(a), metrics.Slice(b)) },
		"RollingPair": func() {
			metrics.RollingPair(a, b, 1, func(x, y metrics.Column) float64 { return 0 })
		},
	}
	for name, call := range calls {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic on a length mismatch", name)
				}
			}()
			call()
		}()
	}
}

func TestSimpleReturns(t *testing.T) {
	got := metrics.SimpleReturns([]float64{100, 110, 99, 0, 5, 0, 0, -1})
	// 0/5 - 1 = -1, 5/0 - 1 = +Inf, 0/0 - 1 = NaN, -1/0 - 1 = -Inf.
	want := []float64{f(110)/100 - 1, f(99)/110 - 1, -1, inf, -1, nan, math.Inf(-1)}
	if len(got) != 7 {
		t.Fatalf("len = %d, want 7", len(got))
	}
	for i := range want {
		checkSame(t, "SimpleReturns", got[i], want[i])
	}
	if n := len(metrics.SimpleReturns([]float64{100})); n != 0 {
		t.Errorf("len(SimpleReturns(one point)) = %d, want 0", n)
	}
	if n := len(metrics.SimpleReturns(nil)); n != 0 {
		t.Errorf("len(SimpleReturns(nil)) = %d, want 0", n)
	}

	// Engine rule: the first return is measured from the starting capital.
	eng := metrics.SimpleReturnsFrom(100, []float64{90, 99})
	if len(eng) != 2 {
		t.Fatalf("len(SimpleReturnsFrom) = %d, want 2", len(eng))
	}
	checkSame(t, "SimpleReturnsFrom[0]", eng[0], f(90)/100-1)
	checkSame(t, "SimpleReturnsFrom[1]", eng[1], f(99)/90-1)
	checkClose(t, "MaxDrawdown(first-bar loss)", metrics.MaxDrawdown(metrics.Slice(eng)), -0.1, 1e-15)
	checkSame(t, "MaxDrawdown(pct_change without start)", metrics.MaxDrawdown(metrics.Slice(metrics.SimpleReturns([]float64{90, 99}))), 0)
	if n := len(metrics.SimpleReturnsFrom(100, nil)); n != 0 {
		t.Errorf("len(SimpleReturnsFrom(nil)) = %d, want 0", n)
	}
}

func TestCumReturnsEmptyAndNaN(t *testing.T) {
	if got := metrics.CumReturns(nil, 0); got == nil || len(got) != 0 {
		t.Errorf("CumReturns(nil) = %#v, want an empty slice", got)
	}
	if got := metrics.DrawdownSeries(nil); got == nil || len(got) != 0 {
		t.Errorf("DrawdownSeries(nil) = %#v, want an empty slice", got)
	}
	got := metrics.CumReturns([]float64{0.1, nan, 0.1}, 0)
	checkSame(t, "CumReturns[1] (NaN as 0)", got[1], got[0])
	checkSame(t, "CumReturns[2]", got[2], f(1.1)*1.1-1)
	got = metrics.CumReturns([]float64{0.1, nan, 0.1}, 2)
	checkSame(t, "CumReturns(start=2)[2]", got[2], f(1.1)*1.1*2)
	dd := metrics.DrawdownSeries([]float64{0.1, nan, -0.1})
	checkSame(t, "DrawdownSeries[1] (NaN as 0)", dd[1], 0)
	checkClose(t, "DrawdownSeries[2]", dd[2], -0.1, 1e-15)
}

func TestOmegaThreshold(t *testing.T) {
	r := []float64{0.08, -0.02, 0.03, 0.01}
	// P == 1: the required return is used as is (τ = 0.02).
	checkClose(t, "Omega(P=1)", metrics.Omega(metrics.Slice(r), 0, 0.02, 1), (f(0.08)-0.02+(f(0.03)-0.02))/(0.04+(0.02-f(0.01))), 1e-15)
	// P = 252: τ = 1.02^(1/252) - 1.
	tau := math.Pow(1.02, 1.0/252) - 1
	checkClose(t, "Omega(P=252)", metrics.Omega(metrics.Slice(r), 0, 0.02, 252), (0.08-tau+0.03-tau+0.01-tau)/(0.02+tau), 1e-14)
	checkSame(t, "Omega(required <= -1)", metrics.Omega(metrics.Slice(r), 0, -1, 252), nan)
	// rf is subtracted per period before the threshold.
	checkSame(t, "Omega(rf)", metrics.Omega(metrics.Slice(r), 0.01, 0, 252), metrics.Omega(metrics.Slice(shift(r, -0.01)), 0, 0, 252))
}

func TestStabilityFlatCumulative(t *testing.T) {
	// After the first bar the cumulative log return is flat: its variance is
	// exactly 0 by the §1.5 rule, so ρ = 0 (scipy linregress), whereas the
	// rounded mean would leave a spurious ~1e-34 variance.
	for _, r := range [][]float64{
		{0.2, 0, 0},
		{0.05, 0, 0, 0, 0, 0},
		{0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		{0.5, 0, 0, 0, 0},
	} {
		checkSame(t, "Stability(flat cumulative)", metrics.Stability(metrics.Slice(r)), 0)
	}
	checkSame(t, "Stability(linear)", metrics.Stability(metrics.Slice([]float64{0, 0, 0})), 0)
	// Constant log growth: the cumulative log return is exactly linear.
	checkClose(t, "Stability(constant growth)", metrics.Stability(metrics.Slice([]float64{0.01, 0.01, 0.01, 0.01})), 1, 1e-14)
}
