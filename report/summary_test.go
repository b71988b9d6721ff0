package report

import (
	"math"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/metrics"
)

func day(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }

func bar(d int, open, close float64) []engine.Bar {
	return []engine.Bar{{Symbol: "B", Time: day(d), Open: engine.Price(open * 1e8), Close: engine.Price(close * 1e8)}}
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !(a[i] == b[i] || math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func TestAlignWealth(t *testing.T) {
	nan := math.NaN()
	times := []time.Time{day(2), day(3), day(4), day(5)}
	tests := []struct {
		name string
		bars [][]engine.Bar
		want []float64
	}{
		// Enters at the first bar's open 10; day 5 has no bar: the last
		// close carries.
		{"starts later", [][]engine.Bar{bar(3, 10, 11), bar(4, 11, 12)}, []float64{nan, 1.1, 1.2, 1.2}},
		// A bar before the first time: enter at its close 8.
		{"starts earlier", [][]engine.Bar{bar(1, 7, 8), bar(2, 8, 10), bar(5, 10, 12)}, []float64{1.25, 1.25, 1.25, 1.5}},
		{"no bars", nil, []float64{nan, nan, nan, nan}},
	}
	for _, tc := range tests {
		c := &benchCursor{feed: testkit.NewGroupFeed(tc.bars...)}
		c.read()
		err := c.err
		got := make([]float64, len(times))
		for i, tm := range times {
			if err == nil {
				got[i], err = c.wealthAt(tm)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if !sameFloats(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	var got []float64
	for c := range wealthReturns(metrics.Slice{nan, 2, 3, nan}).Chunks() {
		got = append(got, c...)
	}
	if want := []float64{nan, 1, 0.5, nan}; !sameFloats(got, want) {
		t.Errorf("wealthReturns = %v, want %v", got, want)
	}
}

// TestAnalyzeWorkedExample checks the assembly against METRICS.md §8.
func TestAnalyzeWorkedExample(t *testing.T) {
	r := []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	b := []float64{0.01, -0.005, 0.02, -0.01, 0.002, 0.004}
	times := []time.Time{day(1), day(2), day(3), day(4), day(5), day(8)}
	a := Analyze(Series{Times: metrics.TimeSlice(times), Returns: metrics.Slice(r), Benchmark: metrics.Slice(b), BenchmarkName: "B", PeriodsPerYear: 252, Trials: 1})
	close := func(name string, got Float, want, tol float64) {
		t.Helper()
		if d := math.Abs(float64(got)-want) / math.Abs(want); !(d <= tol) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	m := a.Returns
	close("total return", m.TotalReturn, 0.0294850412, 1e-12)
	close("sharpe", m.Sharpe, math.Sqrt(18), 1e-12)
	close("sortino", m.Sortino, 8.69483, 1e-5)
	close("max drawdown", m.MaxDrawdown, -0.02, 1e-12)
	close("calmar", m.Calmar, 119.438, 1e-5)
	close("omega", m.Omega, 2, 1e-12)
	close("tail ratio", m.TailRatio, 1.571429, 1e-6)
	close("VaR", m.ValueAtRisk, -0.0175, 1e-12)
	close("CVaR", m.CVaR, -0.02, 1e-12)
	close("stability", m.Stability, 0.0808238, 1e-5)
	close("recovery factor", m.RecoveryFactor, 1.5, 1e-12)
	close("exposure", m.Exposure, 0.84, 0)
	close("kelly", m.Kelly, 0.3, 1e-12)
	close("PSR", m.ProbabilisticSharpe, 0.7236601105752472, 1e-12)
	close("best month", m.BestMonth, 0.0294850412, 1e-12)
	if m.LongestDrawdownDays != 5 || m.MaxDrawdownBars != 3 {
		t.Errorf("longest drawdown %d days, %d bars; want 5, 3", m.LongestDrawdownDays, m.MaxDrawdownBars)
	}
	close("beta", a.Benchmark.Beta, 1.72353, 1e-5)
	close("alpha", a.Benchmark.Alpha, -0.229173, 1e-5)
	close("information ratio", a.Benchmark.InformationRatio, 0.178901, 1e-5)
	if len(a.Monthly) != 1 || a.Monthly[0].Period != "2024-01" || len(a.Annual) != 1 || a.Annual[0].Period != "2024" {
		t.Errorf("monthly %v, annual %v", a.Monthly, a.Annual)
	}
	want := []DrawdownRow{
		{Peak: "2024-01-03T00:00:00Z", Valley: "2024-01-04T00:00:00Z", Depth: -0.02, Duration: Float(math.NaN()), Bars: 3},
		{Peak: "2024-01-01T00:00:00Z", Valley: "2024-01-02T00:00:00Z", Recovery: "2024-01-03T00:00:00Z", Depth: -0.01, Duration: 3, Bars: 2},
	}
	if len(a.Drawdowns) != len(want) {
		t.Fatalf("drawdowns = %+v", a.Drawdowns)
	}
	for i, w := range want {
		g := a.Drawdowns[i]
		if g.Peak != w.Peak || g.Valley != w.Valley || g.Recovery != w.Recovery || g.Bars != w.Bars ||
			math.Abs(float64(g.Depth-w.Depth)) > 1e-15 || !(g.Duration == w.Duration || math.IsNaN(float64(g.Duration)) && math.IsNaN(float64(w.Duration))) {
			t.Errorf("drawdown %d = %+v, want %+v", i, g, w)
		}
	}
}

// Edge cases of METRICS.md §1.4–§1.5 through the assembly: no returns,
// zero volatility, no losing periods.
func TestAnalyzeEdgeCases(t *testing.T) {
	empty := Analyze(Series{PeriodsPerYear: 252})
	if !math.IsNaN(float64(empty.Returns.TotalReturn)) || !math.IsNaN(float64(empty.Returns.Sharpe)) ||
		!math.IsNaN(float64(empty.Returns.MaxDrawdown)) || len(empty.Drawdowns) != 0 || len(empty.Monthly) != 0 {
		t.Errorf("empty series: %+v", empty.Returns)
	}
	flat := Analyze(Series{Times: metrics.TimeSlice{day(1), day(2), day(3)}, Returns: metrics.Slice{0.01, 0.01, 0.01}, PeriodsPerYear: 252})
	if !math.IsInf(float64(flat.Returns.Sharpe), 1) || !math.IsInf(float64(flat.Returns.Sortino), 1) ||
		float64(flat.Returns.MaxDrawdown) != 0 || !math.IsNaN(float64(flat.Returns.Calmar)) ||
		!math.IsNaN(float64(flat.Returns.ProbabilisticSharpe)) || len(flat.Drawdowns) != 0 ||
		!math.IsInf(float64(flat.Returns.ProfitFactor), 1) {
		t.Errorf("constant gains: %+v", flat.Returns)
	}
}
