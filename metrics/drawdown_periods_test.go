package metrics_test

import (
	"slices"
	"testing"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

func TestWorkedExampleDrawdownPeriods(t *testing.T) {
	times := businessDays(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), len(exR))
	start := time.Date(2023, 12, 29, 0, 0, 0, 0, time.UTC) // backtest start

	// quantstats periods: 2024-01-02…01-02 (1 day) and 01-04…01-08 (5 days,
	// not recovered).
	periods := slices.Collect(metrics.DrawdownPeriods(metrics.Slice(exR)))
	if len(periods) != 2 {
		t.Fatalf("DrawdownPeriods = %+v, want 2 periods", periods)
	}
	p0, p1 := periods[0], periods[1]
	if p0.Start != 1 || p0.End != 1 || p0.Valley != 1 || !p0.Recovered || p0.CalendarDays(times) != 1 {
		t.Errorf("first period = %+v, %d days", p0, p0.CalendarDays(times))
	}
	if p1.Start != 3 || p1.End != 5 || p1.Valley != 3 || p1.Recovered || p1.CalendarDays(times) != 5 {
		t.Errorf("second period = %+v, %d days", p1, p1.CalendarDays(times))
	}
	checkClose(t, "second period depth", p1.Depth, -0.02, 1e-12)
	checkSame(t, "first period depth", p0.Depth, metrics.DrawdownSeries(exR)[1])

	// pyfolio table: peak 01-03, valley 01-04, no recovery; then peak 01-01,
	// valley 01-02, recovery 01-03, 3 business days.
	top := metrics.TopDrawdowns(metrics.Slice(exR), 5)
	if len(top) != 2 {
		t.Fatalf("TopDrawdowns = %+v, want 2 rows", top)
	}
	if d := top[0]; d.Peak != 2 || d.Valley != 3 || d.Recovered {
		t.Errorf("largest drawdown = %+v", d)
	}
	checkSame(t, "largest duration", top[0].BusinessDays(start, times), nan)
	checkSame(t, "largest depth", top[0].Depth, metrics.MaxDrawdown(metrics.Slice(exR)))
	if d := top[1]; d.Peak != 0 || d.Valley != 1 || !d.Recovered || d.Recovery != 2 {
		t.Errorf("second drawdown = %+v", d)
	}
	checkSame(t, "second duration", top[1].BusinessDays(start, times), 3)
	if got := metrics.TopDrawdowns(metrics.Slice(exR), 1); len(got) != 1 || got[0] != top[0] {
		t.Errorf("TopDrawdowns(top=1) = %+v", got)
	}

	// backtrader max.len = 3 bars.
	longest, current := metrics.DrawdownBars(metrics.Slice(exR))
	if longest != 3 || current != 3 {
		t.Errorf("DrawdownBars = %d, %d; want 3, 3", longest, current)
	}
}

func TestDrawdownPeriodsFirstBar(t *testing.T) {
	// A loss on the first bar is a drawdown from the starting capital.
	r := []float64{-0.01, 0.02, 0.01, -0.03, -0.01}
	periods := slices.Collect(metrics.DrawdownPeriods(metrics.Slice(r)))
	if len(periods) != 2 || periods[0].Start != 0 || periods[0].End != 0 || !periods[0].Recovered {
		t.Fatalf("DrawdownPeriods = %+v", periods)
	}
	if p := periods[1]; p.Start != 3 || p.End != 4 || p.Valley != 4 || p.Recovered {
		t.Errorf("second period = %+v", p)
	}
	top := metrics.TopDrawdowns(metrics.Slice(r), 10)
	if len(top) != 2 {
		t.Fatalf("TopDrawdowns = %+v", top)
	}
	if d := top[1]; d.Peak != -1 || d.Valley != 0 || d.Recovery != 1 || !d.Recovered {
		t.Errorf("first-bar drawdown = %+v", d)
	}
	// Start Friday 2024-01-05, recovery Tuesday 01-09: Fri, Mon, Tue.
	times := []time.Time{}
	for _, d := range []int{8, 9, 10, 11, 12} {
		times = append(times, time.Date(2024, 1, d, 16, 0, 0, 0, time.UTC))
	}
	start := time.Date(2024, 1, 5, 9, 0, 0, 0, time.UTC)
	checkSame(t, "first-bar duration", top[1].BusinessDays(start, times), 3)
	longest, current := metrics.DrawdownBars(metrics.Slice(r))
	if longest != 2 || current != 2 {
		t.Errorf("DrawdownBars = %d, %d; want 2, 2", longest, current)
	}
}

func TestDrawdownPeriodsNoDrawdown(t *testing.T) {
	r := []float64{0.01, 0, 0.02}
	if p := slices.Collect(metrics.DrawdownPeriods(metrics.Slice(r))); len(p) != 0 {
		t.Errorf("DrawdownPeriods = %+v, want none", p)
	}
	want := metrics.Drawdown{Peak: -1, Valley: -1, Recovery: -1, Recovered: true}
	if top := metrics.TopDrawdowns(metrics.Slice(r), 5); len(top) != 1 || top[0] != want {
		t.Errorf("TopDrawdowns = %+v, want [%+v]", top, want)
	}
	if l, c := metrics.DrawdownBars(metrics.Slice(r)); l != 0 || c != 0 {
		t.Errorf("DrawdownBars = %d, %d", l, c)
	}
	if top := metrics.TopDrawdowns(metrics.Slice(nil), 5); len(top) != 0 {
		t.Errorf("TopDrawdowns(empty) = %+v", top)
	}
}

func TestTopDrawdownsOrderAndRemoval(t *testing.T) {
	// Three separate recovered drawdowns of -10 %, -30 % and -20 %.
	r := []float64{-0.1, 1.0/0.9 - 1, 0.05, -0.3, 1.0/0.7 - 1, 0.01, -0.2, 0.3}
	top := metrics.TopDrawdowns(metrics.Slice(r), 10)
	if len(top) != 3 {
		t.Fatalf("TopDrawdowns = %+v", top)
	}
	wantValley := []int{3, 6, 0}
	wantDepth := []float64{-0.3, -0.2, -0.1}
	for i, d := range top {
		if d.Valley != wantValley[i] || !d.Recovered {
			t.Errorf("row %d = %+v, want valley %d", i, d, wantValley[i])
		}
		checkClose(t, "depth", d.Depth, wantDepth[i], 1e-12)
	}
	periods := slices.Collect(metrics.DrawdownPeriods(metrics.Slice(r)))
	if len(periods) != 3 {
		t.Fatalf("DrawdownPeriods = %+v", periods)
	}
}
