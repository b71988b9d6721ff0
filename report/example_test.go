package report_test

import (
	"fmt"
	"time"

	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/report/metrics"
)

func ExampleAnalyze() {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	a := report.Analyze(report.Series{
		Times:          metrics.TimeSlice{day(1), day(2), day(3), day(4), day(5), day(8)},
		Returns:        metrics.Slice{0.02, -0.01, 0.03, -0.02, 0.00, 0.01},
		PeriodsPerYear: 252,
	})
	fmt.Printf("sharpe %.5f, max drawdown %.2f, PSR %.4f\n", a.Returns.Sharpe, a.Returns.MaxDrawdown, a.Returns.ProbabilisticSharpe)
	fmt.Printf("worst drawdown: peak %s, valley %s, recovered: %v\n", a.Drawdowns[0].Peak[:10], a.Drawdowns[0].Valley[:10], a.Drawdowns[0].Recovery != "")
	// Output:
	// sharpe 4.24264, max drawdown -0.02, PSR 0.7237
	// worst drawdown: peak 2024-01-03, valley 2024-01-04, recovered: false
}
