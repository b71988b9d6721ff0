package metrics_test

import (
	"math"
	"testing"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

// The worked example of METRICS.md §8 (daily, P = 252, rf = 0).
var (
	exR = []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	exB = []float64{0.01, -0.005, 0.02, -0.01, 0.002, 0.004}
)

const tol = 1e-12

func TestWorkedExampleWealth(t *testing.T) {
	want := []float64{1.02, 1.0098, 1.040094, 1.01929212, 1.01929212, 1.0294850412}
	got := metrics.CumReturns(exR, 1)
	if len(got) != len(want) {
		t.Fatalf("len(CumReturns) = %d, want %d", len(got), len(want))
	}
	for i := range want {
		checkClose(t, "CumReturns(r, 1)", got[i], want[i], 1e-14)
	}
	cum := metrics.CumReturns(exR, 0)
	for i := range want {
		checkClose(t, "CumReturns(r, 0)", cum[i], want[i]-1, 1e-12)
	}
	checkClose(t, "CumReturnsFinal(r, 0)", metrics.CumReturnsFinal(metrics.Slice(exR), 0), 0.0294850412, tol)
	checkClose(t, "CumReturnsFinal(r, 1)", metrics.CumReturnsFinal(metrics.Slice(exR), 1), 1.0294850412, 1e-15)
	checkClose(t, "CumReturnsFinal(r, 100)", metrics.CumReturnsFinal(metrics.Slice(exR), 100), 102.94850412, 1e-15)
}

func TestWorkedExampleRatios(t *testing.T) {
	const P = metrics.Daily
	cagr := math.Pow(1.0294850412, 252.0/6) - 1
	tests := []struct {
		name      string
		got, want float64
		rounded   float64 // the spec's rounded figure, checked to its digits
		digits    float64
	}{
		{"AnnualReturn", metrics.AnnualReturn(metrics.Slice(exR), P), cagr, 2.38877, 5e-6},
		{"CAGR", metrics.CAGR(metrics.Slice(exR), P), cagr, 2.38877, 5e-6},
		{"AnnualVolatility", metrics.AnnualVolatility(metrics.Slice(exR), P), math.Sqrt(0.00175 / 5 * 252), 0.296985, 5e-7},
		{"Sharpe", metrics.Sharpe(metrics.Slice(exR), 0, P), math.Sqrt(18), 4.24264, 5e-6},
		{"DownsideRisk", metrics.DownsideRisk(metrics.Slice(exR), 0, P), math.Sqrt((0.01*0.01 + 0.02*0.02) / 6 * 252), 0.144914, 5e-7},
		{"Sortino", metrics.Sortino(metrics.Slice(exR), 0, P), math.Sqrt(75.6), 8.69483, 5e-6},
		{"MaxDrawdown", metrics.MaxDrawdown(metrics.Slice(exR)), -0.02, -0.02, 1e-15},
		{"Calmar", metrics.Calmar(metrics.Slice(exR), P), cagr / 0.02, 119.438, 5e-4},
		{"Omega", metrics.Omega(metrics.Slice(exR), 0, 0, P), 2, 2, 1e-15},
		{"TailRatio", metrics.TailRatio(metrics.Slice(exR)), 0.0275 / 0.0175, 1.571429, 5e-7},
		{"ValueAtRisk", metrics.ValueAtRisk(metrics.Slice(exR), 0.05), -0.0175, -0.0175, 1e-15},
		{"ConditionalValueAtRisk", metrics.ConditionalValueAtRisk(metrics.Slice(exR), 0.05), -0.02, -0.02, 1e-15},
		{"Stability", metrics.Stability(metrics.Slice(exR)), naiveStability(exR), 0.0808238, 5e-8},
		{"Beta", metrics.Beta(metrics.Slice(exR), metrics.Slice(exB)), 1970.0 / 1143, 1.72353, 5e-6},
		{"Alpha", metrics.Alpha(metrics.Slice(exR), metrics.Slice(exB), 0, P), math.Pow(1-1.18/1143, 252) - 1, -0.229173, 5e-7},
		{"ExcessSharpe", metrics.ExcessSharpe(metrics.Slice(exR), metrics.Slice(exB)), 0.0015 / math.Sqrt(0.0003515/5), 0.178901, 5e-7},
	}
	for _, tt := range tests {
		checkClose(t, tt.name, tt.got, tt.want, tol)
		if d := math.Abs(tt.got - tt.rounded); !(d <= tt.digits) {
			t.Errorf("%s = %.9g, spec says ≈ %v", tt.name, tt.got, tt.rounded)
		}
	}
	// With ddof = 0 (wrong) the Sharpe ratio would be about 4.64758.
	if s := metrics.Sharpe(metrics.Slice(exR), 0, P); math.Abs(s-4.64758) < 1e-3 {
		t.Errorf("Sharpe = %v uses the population std", s)
	}
}

func TestWorkedExampleExactValues(t *testing.T) {
	// Values the spec gives exactly, reproduced with numpy's arithmetic.
	checkSame(t, "Percentile(r, 95)", metrics.Percentile(metrics.Slice(exR), 95), f(0.03)-(f(0.03)-0.02)*(1-f(0.75)))
	checkSame(t, "Percentile(r, 5)", metrics.Percentile(metrics.Slice(exR), 5), f(-0.02)+(f(-0.01)-(-0.02))*f(0.25))
	checkSame(t, "ValueAtRisk(r, 0.05)", metrics.ValueAtRisk(metrics.Slice(exR), 0.05), metrics.Percentile(metrics.Slice(exR), 5))
	checkSame(t, "ConditionalValueAtRisk(r, 0.05)", metrics.ConditionalValueAtRisk(metrics.Slice(exR), 0.05), -0.02)
	checkSame(t, "MaxDrawdown", metrics.MaxDrawdown(metrics.Slice(exR)), metrics.CumReturnsFinal(metrics.Slice(exR[:4]), 1)/metrics.CumReturnsFinal(metrics.Slice(exR[:3]), 1)-1)
	a, b := metrics.AlphaBeta(metrics.Slice(exR), metrics.Slice(exB), 0, metrics.Daily)
	checkSame(t, "AlphaBeta alpha", a, metrics.Alpha(metrics.Slice(exR), metrics.Slice(exB), 0, metrics.Daily))
	checkSame(t, "AlphaBeta beta", b, metrics.Beta(metrics.Slice(exR), metrics.Slice(exB)))
}

func TestWorkedExampleDrawdownSeries(t *testing.T) {
	dd := metrics.DrawdownSeries(exR)
	want := []float64{0, 1.0098/1.02 - 1, 0, 1.01929212/1.040094 - 1, 1.01929212/1.040094 - 1, 1.0294850412/1.040094 - 1}
	if len(dd) != len(exR) {
		t.Fatalf("len(DrawdownSeries) = %d, want %d", len(dd), len(exR))
	}
	for i := range want {
		checkClose(t, "DrawdownSeries", dd[i], want[i], 1e-12)
	}
	checkClose(t, "DrawdownSeries[1]", dd[1], -0.01, 1e-12)
	checkClose(t, "DrawdownSeries[3]", dd[3], -0.02, 1e-12)
}

func TestWorkedExampleAggregate(t *testing.T) {
	times := businessDays(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), len(exR))
	if !times[5].Equal(time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("last business day = %v", times[5])
	}
	weeks := metrics.AggregateReturns(metrics.Slice(exR), metrics.TimeSlice(times), metrics.Week)
	if len(weeks) != 2 {
		t.Fatalf("weekly groups = %v, want 2", weeks)
	}
	if weeks[0].Year != 2024 || weeks[0].Index != 1 || weeks[1].Year != 2024 || weeks[1].Index != 2 {
		t.Errorf("weekly keys = %+v", weeks)
	}
	checkClose(t, "week 1", weeks[0].Return, 0.01929212, 1e-12)
	checkClose(t, "week 2", weeks[1].Return, 0.01, 1e-12)
	months := metrics.AggregateReturns(metrics.Slice(exR), metrics.TimeSlice(times), metrics.Month)
	if len(months) != 1 || months[0].Index != 1 {
		t.Fatalf("monthly groups = %+v", months)
	}
	checkSame(t, "month total", months[0].Return, metrics.CumReturnsFinal(metrics.Slice(exR), 0))
	if got := metrics.InferPeriodsPerYear(times); got != metrics.Daily {
		t.Errorf("InferPeriodsPerYear = %v, want 252", got)
	}
}

// naiveStability is an independent textbook implementation of §2.13.
func naiveStability(r []float64) float64 {
	var c []float64
	s := 0.0
	for _, v := range r {
		if math.IsNaN(v) {
			continue
		}
		s += math.Log(1 + v)
		c = append(c, s)
	}
	n := float64(len(c))
	var sx, sy, sxx, syy, sxy float64
	for k, y := range c {
		x := float64(k)
		sx += x
		sy += y
	}
	mx, my := sx/n, sy/n
	for k, y := range c {
		x := float64(k)
		sxx += (x - mx) * (x - mx)
		syy += (y - my) * (y - my)
		sxy += (x - mx) * (y - my)
	}
	rho := sxy / math.Sqrt(sxx*syy)
	return rho * rho
}

// businessDays returns n consecutive Monday–Friday dates from start.
func businessDays(start time.Time, n int) []time.Time {
	var out []time.Time
	for d := start; len(out) < n; d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, d)
		}
	}
	return out
}
