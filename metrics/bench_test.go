package metrics_test

import (
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

var sink float64

func BenchmarkSharpe(b *testing.B) {
	r := randomReturns(99, 1_000_000, 0.0004, 0.01)
	b.ReportAllocs()
	b.SetBytes(int64(8 * len(r)))
	for b.Loop() {
		sink = metrics.Sharpe(metrics.Slice(r), 0.0001, metrics.Daily)
	}
}

func BenchmarkMaxDrawdown(b *testing.B) {
	r := randomReturns(98, 1_000_000, 0.0004, 0.01)
	b.ReportAllocs()
	b.SetBytes(int64(8 * len(r)))
	for b.Loop() {
		sink = metrics.MaxDrawdown(metrics.Slice(r))
	}
}

func BenchmarkPercentile(b *testing.B) {
	r := randomReturns(97, 1_000_000, 0.0004, 0.01)
	b.ReportAllocs()
	for b.Loop() {
		sink = metrics.ValueAtRisk(metrics.Slice(r), 0.05)
	}
}
