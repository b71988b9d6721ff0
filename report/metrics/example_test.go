package metrics_test

import (
	"fmt"
	"time"

	"github.com/quantloop/quantloop/report/metrics"
)

func ExampleSharpe() {
	r := []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	fmt.Printf("Sharpe: %.5f\n", metrics.Sharpe(metrics.Slice(r), 0, metrics.Daily))
	// Zero volatility gives ±Inf, not a huge finite number.
	fmt.Println("Sharpe of a constant series:", metrics.Sharpe(metrics.Slice([]float64{0.1, 0.1, 0.1}), 0, metrics.Daily))
	fmt.Println("Sharpe of one return:", metrics.Sharpe(metrics.Slice([]float64{0.01}), 0, metrics.Daily))
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
	fmt.Printf("max drawdown: %.4f\n", metrics.MaxDrawdown(metrics.Slice([]float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01})))
	fmt.Println("only rises:", metrics.MaxDrawdown(metrics.Slice([]float64{0.01, 0.02})))
	fmt.Println("empty:", metrics.MaxDrawdown(metrics.Slice(nil)))
	// Output:
	// max drawdown: -0.1000
	// max drawdown: -0.0200
	// only rises: 0
	// empty: NaN
}

func ExampleRolling() {
	r := []float64{0.01, -0.02, 0.03, 0.01, -0.01}
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
