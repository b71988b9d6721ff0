package backtest

import "github.com/quantloop/quantloop/metrics"

// basicsSink is a Sink that can give the basic figures of a run's
// returns, having computed most of them as the equity points came, so
// that computeMetrics need not read the curve for them. report.Writer is
// one.
type basicsSink interface {
	// Basics returns what metrics.ComputeBasics(r, P) returns, bit for
	// bit, r being the returns of the run's equity points measured from
	// the initial cash start, or ok false when the sink cannot give them.
	// It is called once the run has ended, after the last record.
	Basics(start float64, r metrics.Column, P float64) (w metrics.Wealth, m metrics.Moments, downsideRisk float64, ok bool)
}
