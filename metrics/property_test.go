package metrics_test

import (
	"math"
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

// propertySeries are deterministic pseudo-random return series for the
// property tests of METRICS.md §7.
var propertySeries = []struct {
	name string
	r, b []float64
}{
	{"calm", randomReturns(11, 250, 0.0004, 0.008), randomReturns(12, 250, 0.0003, 0.01)},
	{"volatile", randomReturns(21, 500, 0.001, 0.03), randomReturns(22, 500, 0.0005, 0.02)},
	{"losing", randomReturns(31, 120, -0.002, 0.015), randomReturns(32, 120, -0.001, 0.012)},
	{"short", randomReturns(41, 12, 0.01, 0.04), randomReturns(42, 12, 0.005, 0.03)},
}

// Property 1: max_drawdown(r - c) <= max_drawdown(r) <= max_drawdown(r + c).
func TestPropertyMaxDrawdownTranslation(t *testing.T) {
	for _, s := range propertySeries {
		for _, c := range []float64{1e-4, 0.001, 0.01} {
			lo, mid, hi := metrics.MaxDrawdown(metrics.Slice(shift(s.r, -c))), metrics.MaxDrawdown(metrics.Slice(s.r)), metrics.MaxDrawdown(metrics.Slice(shift(s.r, c)))
			if !(lo <= mid && mid <= hi) {
				t.Errorf("%s c=%v: MaxDrawdown %v, %v, %v not increasing", s.name, c, lo, mid, hi)
			}
		}
	}
}

// Property 2: sharpe(r + c, rf + c) == sharpe(r, rf), and Sharpe strictly
// decreases as the constant rf increases.
func TestPropertySharpe(t *testing.T) {
	for _, s := range propertySeries {
		for _, c := range []float64{-0.001, 0.0005, 0.01} {
			checkClose(t, s.name+" Sharpe translation", metrics.Sharpe(metrics.Slice(shift(s.r, c)), 0.0001+c, 252), metrics.Sharpe(metrics.Slice(s.r), 0.0001, 252), 1e-9)
		}
		prev := math.Inf(1)
		for rf := -0.002; rf <= 0.002; rf += 0.0005 {
			sh := metrics.Sharpe(metrics.Slice(s.r), rf, 252)
			if !(sh < prev) {
				t.Errorf("%s: Sharpe(rf=%v) = %v not below %v", s.name, rf, sh, prev)
			}
			prev = sh
		}
	}
}

// Property 3: sortino(r + c, MAR + c) == sortino(r, MAR), and downside risk
// does not decrease as MAR increases.
func TestPropertySortino(t *testing.T) {
	for _, s := range propertySeries {
		for _, c := range []float64{-0.001, 0.0005, 0.01} {
			checkClose(t, s.name+" Sortino translation", metrics.Sortino(metrics.Slice(shift(s.r, c)), 0.0002+c, 252), metrics.Sortino(metrics.Slice(s.r), 0.0002, 252), 1e-9)
		}
		prev := math.Inf(-1)
		for mar := -0.05; mar <= 0.05; mar += 0.005 {
			dr := metrics.DownsideRisk(metrics.Slice(s.r), mar, 252)
			if !(dr >= prev) {
				t.Errorf("%s: DownsideRisk(mar=%v) = %v below %v", s.name, mar, dr, prev)
			}
			prev = dr
		}
	}
}

// Property 4: Omega decreases as risk_free or required_return increases.
func TestPropertyOmega(t *testing.T) {
	for _, s := range propertySeries {
		prev := math.Inf(1)
		for rf := -0.002; rf <= 0.002; rf += 0.0005 {
			o := metrics.Omega(metrics.Slice(s.r), rf, 0, 252)
			if !(o < prev) {
				t.Errorf("%s: Omega(rf=%v) = %v not below %v", s.name, rf, o, prev)
			}
			prev = o
		}
		prev = math.Inf(1)
		for req := -0.5; req <= 0.5; req += 0.1 {
			o := metrics.Omega(metrics.Slice(s.r), 0, req, 252)
			if !(o < prev) {
				t.Errorf("%s: Omega(required=%v) = %v not below %v", s.name, req, o, prev)
			}
			prev = o
		}
	}
}

// Property 5: beta(k·x, x) = k, beta(x, -x) = -1, alpha(x, x) = 0,
// beta(x, x) = 1, and a constant benchmark gives NaN.
func TestPropertyBeta(t *testing.T) {
	for _, s := range propertySeries {
		x := s.b
		for _, k := range []float64{-2, 0.5, 1.5, 3} {
			checkClose(t, s.name+" Beta(k·x, x)", metrics.Beta(metrics.Slice(scale(x, k)), metrics.Slice(x)), k, 1e-12)
		}
		checkSame(t, s.name+" Beta(x, x)", metrics.Beta(metrics.Slice(x), metrics.Slice(x)), 1)
		checkSame(t, s.name+" Beta(x, -x)", metrics.Beta(metrics.Slice(x), metrics.Slice(scale(x, -1))), -1)
		checkSame(t, s.name+" Alpha(x, x)", metrics.Alpha(metrics.Slice(x), metrics.Slice(x), 0.0001, 252), 0)
		flat := make([]float64, len(x))
		for i := range flat {
			flat[i] = 0.0003
		}
		checkSame(t, s.name+" Beta(x, constant)", metrics.Beta(metrics.Slice(x), metrics.Slice(flat)), nan)
	}
}

// Property 6: (1+alpha(r+c))^(1/P) - (1+alpha(r))^(1/P) = c, beta unchanged.
func TestPropertyAlphaTranslation(t *testing.T) {
	const P = 252
	for _, s := range propertySeries {
		a0, b0 := metrics.AlphaBeta(metrics.Slice(s.r), metrics.Slice(s.b), 0.0001, P)
		for _, c := range []float64{-0.001, 0.0002, 0.003} {
			a1, b1 := metrics.AlphaBeta(metrics.Slice(shift(s.r, c)), metrics.Slice(s.b), 0.0001, P)
			checkClose(t, s.name+" beta under translation", b1, b0, 1e-10)
			got := math.Pow(1+a1, 1.0/P) - math.Pow(1+a0, 1.0/P)
			if math.Abs(got-c) > 1e-12 {
				t.Errorf("%s c=%v: alpha translation gives %v", s.name, c, got)
			}
		}
	}
}

// Property 7: CAGR strictly increases under upward translation; with a few
// NaN returns CAGR, alpha and beta are not NaN.
func TestPropertyCAGR(t *testing.T) {
	for _, s := range propertySeries {
		prev := math.Inf(-1)
		for c := -0.002; c <= 0.002; c += 0.0005 {
			g := metrics.CAGR(metrics.Slice(shift(s.r, c)), 252)
			if !(g > prev) {
				t.Errorf("%s: CAGR(r%+v) = %v not above %v", s.name, c, g, prev)
			}
			prev = g
		}
		rn := withNaN(s.r, 1, len(s.r)/2)
		bn := withNaN(s.b, 3)
		a, b := metrics.AlphaBeta(metrics.Slice(rn), metrics.Slice(bn), 0, 252)
		if g := metrics.CAGR(metrics.Slice(rn), 252); math.IsNaN(g) || math.IsNaN(a) || math.IsNaN(b) {
			t.Errorf("%s with NaN rows: CAGR %v, alpha %v, beta %v", s.name, g, a, b)
		}
	}
}

// Property 8: CVaR(cutoff) equals the mean of {r <= VaR(cutoff)} without ties.
func TestPropertyCVaR(t *testing.T) {
	for _, s := range propertySeries {
		for _, cutoff := range []float64{0.01, 0.05, 0.1, 0.25, 0.5} {
			v := metrics.ValueAtRisk(metrics.Slice(s.r), cutoff)
			var tail []float64
			for _, x := range s.r {
				if x <= v {
					tail = append(tail, x)
				}
			}
			var sum float64
			for _, x := range tail {
				sum += x
			}
			checkClose(t, s.name+" CVaR", metrics.ConditionalValueAtRisk(metrics.Slice(s.r), cutoff), sum/float64(len(tail)), 1e-12)
		}
	}
}
