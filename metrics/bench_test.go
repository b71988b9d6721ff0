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

func BenchmarkSummarize(b *testing.B) {
	r := randomReturns(96, 1_000_000, 0.0004, 0.01)
	b.ReportAllocs()
	for b.Loop() {
		sink = metrics.Summarize(metrics.Slice(r), 0.0001, metrics.Daily, 0.05, 5).Omega
	}
}

// BenchmarkSummarizer is BenchmarkSummarize with the returns added one at
// a time, as a run adds them, and the rest of the passes at the end.
func BenchmarkSummarizer(b *testing.B) {
	r := randomReturns(96, 1_000_000, 0.0004, 0.01)
	b.ReportAllocs()
	for b.Loop() {
		s := metrics.NewSummarizer(0.0001, 0.05, 5)
		for _, v := range r {
			s.Add(v)
		}
		sink = s.Summary(metrics.Slice(r), metrics.Daily).Omega
	}
}
