package metrics_test

import (
	"fmt"
	"iter"
	"reflect"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

func ExampleSharpe() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	fmt.Printf("Sharpe: %.5f\n", metrics.Sharpe(r, 0, metrics.Daily))
	// Zero volatility gives ±Inf, not a huge finite number.
	fmt.Println("Sharpe of a constant series:", metrics.Sharpe(metrics.Slice{0.1, 0.1, 0.1}, 0, metrics.Daily))
	fmt.Println("Sharpe of one return:", metrics.Sharpe(metrics.Slice{0.01}, 0, metrics.Daily))
	// Output:
	// Sharpe: 4.24264
	// Sharpe of a constant series: +Inf
	// Sharpe of one return: NaN
}

func ExampleMaxDrawdown() {
	// Equity 100 → 90 → 99: measured from the starting capital, the first
	// bar's loss is a drawdown.
	r := metrics.SimpleReturnsFrom(100, []float64{90, 99})
	fmt.Printf("max drawdown: %.4f\n", metrics.MaxDrawdown(metrics.Slice(r)))
	fmt.Printf("max drawdown: %.4f\n", metrics.MaxDrawdown(metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}))
	fmt.Println("only rises:", metrics.MaxDrawdown(metrics.Slice{0.01, 0.02}))
	fmt.Println("empty:", metrics.MaxDrawdown(metrics.Slice(nil)))
	// Output:
	// max drawdown: -0.1000
	// max drawdown: -0.0200
	// only rises: 0
	// empty: NaN
}

func ExampleRolling() {
	r := []float64{0.01, -0.02, 0.03, 0.01, -0.01}
	// Each window is passed as a Slice, so a metric can be passed as is.
	mdd := metrics.Rolling(r, 3, metrics.MaxDrawdown)
	for _, v := range mdd {
		fmt.Printf("%.4f ", v)
	}
	fmt.Println()
	// Output:
	// -0.0200 -0.0200 -0.0100
}

func ExampleInferPeriodsPerYear() {
	// Two trading days of 1-minute bars, 390 per session.
	var times []time.Time
	for _, d := range []int{4, 5} {
		open := time.Date(2024, 3, d, 14, 30, 0, 0, time.UTC)
		for i := range 390 {
			times = append(times, open.Add(time.Duration(i)*time.Minute))
		}
	}
	fmt.Println(metrics.InferPeriodsPerYear(times))
	// Output:
	// 98280
}

// sawtooth is a Column that computes its values when read instead of
// storing them, as a disk-backed column reads them: return i is +1% on
// three bars out of four and -2% on the fourth.
type sawtooth struct{ n int }

func (s sawtooth) Len() int { return s.n }

func (s sawtooth) Chunks() iter.Seq[[]float64] {
	return func(yield func([]float64) bool) {
		buf := make([]float64, metrics.ChunkLen) // reused for every chunk
		for i := 0; i < s.n; i += metrics.ChunkLen {
			c := buf[:min(metrics.ChunkLen, s.n-i)]
			for k := range c {
				c[k] = 0.01
				if (i+k)%4 == 3 {
					c[k] = -0.02
				}
			}
			if !yield(c) {
				return
			}
		}
	}
}

func ExampleColumn() {
	// A million returns, never held in memory.
	r := sawtooth{1_000_000}
	fmt.Printf("max drawdown %.4f, VaR(5%%) %.2f, CVaR(5%%) %.2f\n",
		metrics.MaxDrawdown(r), metrics.ValueAtRisk(r, 0.05), metrics.ConditionalValueAtRisk(r, 0.05))
	// Output:
	// max drawdown -0.0200, VaR(5%) -0.02, CVaR(5%) -0.02
}

func ExampleShift() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	// The excess returns over a per-period rate of 0.1%, computed on the fly.
	x := metrics.Shift(r, 0.001)
	fmt.Printf("PSR %.4f\n", metrics.ProbabilisticSharpe(x, 0))
	// Output:
	// PSR 0.6830
}

func ExampleDrawdownPeriods() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	for p := range metrics.DrawdownPeriods(r) {
		fmt.Printf("bars %d–%d, valley %d, depth %.4f, recovered %v\n", p.Start, p.End, p.Valley, p.Depth, p.Recovered)
	}
	// Output:
	// bars 1–1, valley 1, depth -0.0100, recovered true
	// bars 3–5, valley 3, depth -0.0200, recovered false
}

func ExampleTopDrawdowns() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	for _, d := range metrics.TopDrawdowns(r, 5) {
		fmt.Printf("peak %d, valley %d, recovery %d (%v), depth %.4f\n", d.Peak, d.Valley, d.Recovery, d.Recovered, d.Depth)
	}
	// Output:
	// peak 2, valley 3, recovery -1 (false), depth -0.0200
	// peak 0, valley 1, recovery 2 (true), depth -0.0100
}

func ExampleComputeTailStats() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	ts := metrics.ComputeTailStats(r, 0.05)
	fmt.Printf("VaR %.4f, CVaR %.4f, tail ratio %.6f\n", ts.ValueAtRisk, ts.CVaR, ts.TailRatio)
	// Output:
	// VaR -0.0175, CVaR -0.0200, tail ratio 1.571429
}

func ExampleRollingAt() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01, 0.01, 0.01}
	// The maximum drawdown of the windows of 3 returns ending at bars 3
	// and 7.
	fmt.Printf("%.4f\n", metrics.RollingAt(r, 3, []int{3, 7}, metrics.MaxDrawdown))
	// Output:
	// [-0.0200 0.0000]
}

func ExampleRollingSharpe() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01, 0.01, 0.01}
	// The Sharpe ratio of the windows of 3 returns ending at bars 2, 5 and
	// 7; the last window's returns are equal, so its volatility is 0.
	fmt.Printf("%.4f\n", metrics.RollingSharpe(r, 3, []int{2, 5, 7}, 0, metrics.Daily))
	// Output:
	// [10.1678 -3.4641 +Inf]
}

func ExampleUpDownCaptureRatio() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	b := metrics.Slice{0.01, -0.005, 0.02, -0.01, 0.002, 0.004}
	fmt.Printf("up %.4f, down %.4f, up/down %.4f\n", metrics.UpCapture(r, b, metrics.Daily),
		metrics.DownCapture(r, b, metrics.Daily), metrics.UpDownCaptureRatio(r, b, metrics.Daily))
	// Output:
	// up 4.8157, down 1.1503, up/down 4.1864
}

func ExampleBetaFragilityHeuristic() {
	r := metrics.Slice{0.01, 0.03, -0.02, 0.00, 0.02}
	b := metrics.Slice{0.02, -0.01, 0.01, 0.03, 0.00}
	// At the benchmark's middle value (0.01) the strategy returns -0.02,
	// less than the weighted returns at the extremes (0.015): positive, not
	// fragile.
	fmt.Printf("%.3f\n", metrics.BetaFragilityHeuristic(r, b))
	// Output:
	// 0.035
}

func ExampleExpectedReturn() {
	r := metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	fmt.Printf("%.6f per period\n", metrics.ExpectedReturn(r))
	// Output:
	// 0.004855 per period
}

// A Summarizer takes the returns as a run makes them; its Summary, given
// the same series afterwards, is Summarize's, bit for bit.
func ExampleSummarizer() {
	r := metrics.Slice{0.01, -0.02, 0.03, 0.005, -0.01}
	s := metrics.NewSummarizer(0, 0.05, 2)
	for _, v := range r {
		s.Add(v) // as each bar's return comes
	}
	live := s.Summary(r, 252)
	batch := metrics.Summarize(r, 0, 252, 0.05, 2)
	fmt.Printf("mean %.4f, best %.3f, worst %.3f, max drawdown %.4f\n",
		live.Moments.Mean, live.Best, live.Worst, live.Wealth.MaxDrawdown)
	fmt.Println("same as Summarize:", reflect.DeepEqual(live, batch))
	// Output:
	// mean 0.0030, best 0.030, worst -0.020, max drawdown -0.0200
	// same as Summarize: true
}
