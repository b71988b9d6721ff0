package report

import (
	"time"

	"github.com/quantloop/quantloop/report/metrics"
)

// columnSeries is temporary until the column API lands.
type columnSeries struct {
	Times          metrics.Times
	Returns        metrics.Column
	Benchmark      metrics.Column
	BenchmarkName  string
	PeriodsPerYear float64
	RiskFree       float64
	Trials         int
}

func analyzeColumns(c columnSeries) *Analysis {
	s := Series{Times: metrics.CollectTimes(c.Times, c.Times.Len()), Returns: metrics.Collect(c.Returns),
		PeriodsPerYear: c.PeriodsPerYear, RiskFree: c.RiskFree, Trials: c.Trials, BenchmarkName: c.BenchmarkName}
	if c.Benchmark != nil {
		s.Benchmark = metrics.Collect(c.Benchmark)
	}
	if s.Times == nil {
		s.Times = []time.Time{}
	}
	return Analyze(s)
}
