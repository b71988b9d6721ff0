package report

import (
	"bytes"
	"encoding/json"
	"iter"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

// genColumn is a Column of n pseudo-random returns computed on the fly from
// their index, never stored: the stand-in for a series on disk.
type genColumn struct {
	n    int
	seed uint64
	mean float64
}

func (g genColumn) Len() int { return g.n }

// at returns value i: a splitmix64 hash of (seed, i) mapped to a roughly
// normal return (the sum of four uniforms).
func (g genColumn) at(i int) float64 {
	var u float64
	x := g.seed ^ uint64(i)*0x9e3779b97f4a7c15
	for range 4 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		z ^= z >> 31
		u += float64(z>>11) / (1 << 53)
	}
	return g.mean + 0.01*(u-2)
}

func (g genColumn) Chunks() iter.Seq[[]float64] {
	return func(yield func([]float64) bool) {
		buf := make([]float64, metrics.ChunkLen)
		for i := 0; i < g.n; i += metrics.ChunkLen {
			c := buf[:min(metrics.ChunkLen, g.n-i)]
			for k := range c {
				c[k] = g.at(i + k)
			}
			if !yield(c) {
				return
			}
		}
	}
}

// genTimes is n one-minute bar times from 2020-01-01, computed on the fly.
type genTimes struct{ n int }

func (g genTimes) Len() int { return g.n }

func (g genTimes) Chunks() iter.Seq[[]time.Time] {
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	return func(yield func([]time.Time) bool) {
		buf := make([]time.Time, metrics.ChunkLen)
		for i := 0; i < g.n; i += metrics.ChunkLen {
			c := buf[:min(metrics.ChunkLen, g.n-i)]
			for k := range c {
				c[k] = start.Add(time.Duration(i+k) * time.Minute)
			}
			if !yield(c) {
				return
			}
		}
	}
}

// collect stores a generated column, for comparison with its Slice.
func collect[E any](s iter.Seq[[]E]) []E {
	var out []E
	for ch := range s {
		out = append(out, ch...)
	}
	return out
}

// TestAnalyzeMemory checks that Analyze holds no per-bar memory: over 5
// million generated returns, a benchmark and times, it allocates less than
// 32 MiB in all.
func TestAnalyzeMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("analyzes 5 million bars")
	}
	const n = 5_000_000
	s := Series{Times: genTimes{n}, Returns: genColumn{n, 1, 0.0001}, Benchmark: genColumn{n, 2, 0.00005},
		BenchmarkName: "gen", PeriodsPerYear: 252 * 390, RiskFree: 0.02, Trials: 3}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	a := Analyze(s)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew >= 32<<20 {
		t.Errorf("Analyze allocated %d MiB for %d bars, want < 32 MiB", grew>>20, n)
	} else {
		t.Logf("Analyze allocated %.1f MiB for %d bars", float64(grew)/(1<<20), n)
	}
	if a.Periods != n || len(a.Monthly) == 0 || len(a.Drawdowns) == 0 || a.Benchmark == nil || math.IsNaN(float64(a.Returns.CVaR)) {
		t.Errorf("unexpected analysis: %d periods, %d months, %d drawdowns", a.Periods, len(a.Monthly), len(a.Drawdowns))
	}
}

// TestAnalyzeChunkBacking checks that Analyze gives the same results for a
// generated column as for the same values in a Slice, on a few lengths
// around the chunk size.
func TestAnalyzeChunkBacking(t *testing.T) {
	for _, n := range []int{0, 1, 2, metrics.ChunkLen - 1, metrics.ChunkLen, metrics.ChunkLen + 1, 5*metrics.ChunkLen + 3} {
		r, b, tm := genColumn{n, 7, -0.0002}, genColumn{n, 8, 0.0001}, genTimes{n}
		gen := Series{Times: tm, Returns: r, Benchmark: b, BenchmarkName: "b", PeriodsPerYear: 252, RiskFree: 0.03, Trials: 2}
		mem := gen
		mem.Times, mem.Returns, mem.Benchmark = metrics.TimeSlice(collect(tm.Chunks())), metrics.Slice(collect(r.Chunks())), metrics.Slice(collect(b.Chunks()))
		if mem.Returns.Len() != n {
			t.Fatalf("collected %d values, want %d", mem.Returns.Len(), n)
		}
		got, err := json.Marshal(Analyze(gen))
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(Analyze(mem))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("n=%d: Analyze of a generated column differs from its Slice:\n%s\n%s", n, got, want)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	const n = 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	r := make(metrics.Slice, n)
	bm := make(metrics.Slice, n)
	times := make(metrics.TimeSlice, n)
	start := time.Date(2000, 1, 3, 0, 0, 0, 0, time.UTC)
	for i := range r {
		r[i] = 0.0003 + 0.01*rng.NormFloat64()
		bm[i] = 0.0002 + 0.008*rng.NormFloat64()
		times[i] = start.Add(time.Duration(i) * time.Hour)
	}
	for _, bench := range []struct {
		name string
		b    metrics.Column
	}{{"returns", nil}, {"with_benchmark", bm}} {
		b.Run(bench.name, func(b *testing.B) {
			s := Series{Times: times, Returns: r, Benchmark: bench.b, BenchmarkName: "b", PeriodsPerYear: 252 * 7, RiskFree: 0.02, Trials: 1}
			b.ReportAllocs()
			for b.Loop() {
				Analyze(s)
			}
		})
	}
}

// TestAnalyzeMatchesMetrics checks Analyze's wiring: every figure is the
// one the metric function of its definition gives, on series with NaN,
// ±Inf and wipe-outs, with and without a risk-free rate.
func TestAnalyzeMatchesMetrics(t *testing.T) {
	for seed := range 12 {
		rng := rand.New(rand.NewPCG(uint64(seed), 5))
		n := []int{0, 1, 2, 3, 50, metrics.ChunkLen + 1, 3*metrics.ChunkLen + 9}[seed%7]
		r, bm := make([]float64, n), make([]float64, n)
		times := make([]time.Time, n)
		for i := range r {
			r[i] = 0.0002 + 0.01*rng.NormFloat64()
			bm[i] = 0.0001 + 0.008*rng.NormFloat64()
			switch rng.IntN(300) {
			case 0:
				r[i] = math.NaN()
			case 1:
				bm[i] = math.NaN()
			case 2:
				if seed%3 == 0 {
					r[i] = math.Inf(1)
				}
			}
			times[i] = time.Date(2019, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Hour)
		}
		rfAnnual := []float64{0, 0.03}[seed%2]
		P := 252.0
		s := Series{Times: metrics.TimeSlice(times), Returns: metrics.Slice(r), Benchmark: metrics.Slice(bm),
			PeriodsPerYear: P, RiskFree: rfAnnual, Trials: 4}
		a := Analyze(s)
		rf := float64(a.RiskFreePeriod)
		R, B := metrics.Slice(r), metrics.Slice(bm)
		x := metrics.Slice(metrics.ExcessReturns(r, fill(n, rf)))
		longest, _ := metrics.DrawdownBars(R)
		alpha, beta := metrics.AlphaBeta(R, B, rf, P)
		all, up, down := metrics.BattingAverage(R, B)
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"TotalReturn", float64(a.Returns.TotalReturn), metrics.CumReturnsFinal(R, 0)},
			{"AnnualReturn", float64(a.Returns.AnnualReturn), metrics.AnnualReturn(R, P)},
			{"AnnualVolatility", float64(a.Returns.AnnualVolatility), metrics.AnnualVolatility(R, P)},
			{"Sharpe", float64(a.Returns.Sharpe), metrics.Sharpe(R, rf, P)},
			{"Sortino", float64(a.Returns.Sortino), metrics.Sortino(R, rf, P)},
			{"MaxDrawdown", float64(a.Returns.MaxDrawdown), metrics.MaxDrawdown(R)},
			{"Calmar", float64(a.Returns.Calmar), metrics.Calmar(R, P)},
			{"DownsideRisk", float64(a.Returns.DownsideRisk), metrics.DownsideRisk(R, rf, P)},
			{"Omega", float64(a.Returns.Omega), metrics.Omega(R, rf, 0, P)},
			{"TailRatio", float64(a.Returns.TailRatio), metrics.TailRatio(R)},
			{"Stability", float64(a.Returns.Stability), metrics.Stability(R)},
			{"ValueAtRisk", float64(a.Returns.ValueAtRisk), metrics.ValueAtRisk(R, 0.05)},
			{"CVaR", float64(a.Returns.CVaR), metrics.ConditionalValueAtRisk(R, 0.05)},
			{"Skew", float64(a.Returns.Skew), metrics.Skew(R)},
			{"Kurtosis", float64(a.Returns.Kurtosis), metrics.Kurtosis(R)},
			{"PSR", float64(a.Returns.ProbabilisticSharpe), metrics.ProbabilisticSharpe(x, 0)},
			{"DSR", float64(a.Returns.DeflatedSharpe), metrics.DeflatedSharpe(x, 4, 0)},
			{"RecoveryFactor", float64(a.Returns.RecoveryFactor), metrics.RecoveryFactor(R, rf)},
			{"UlcerIndex", float64(a.Returns.UlcerIndex), metrics.UlcerIndex(R)},
			{"MaxDrawdownBars", float64(a.Returns.MaxDrawdownBars), float64(longest)},
			{"B.TotalReturn", float64(a.Benchmark.TotalReturn), metrics.CumReturnsFinal(B, 0)},
			{"B.AnnualReturn", float64(a.Benchmark.AnnualReturn), metrics.AnnualReturn(B, P)},
			{"B.AnnualVolatility", float64(a.Benchmark.AnnualVolatility), metrics.AnnualVolatility(B, P)},
			{"B.Sharpe", float64(a.Benchmark.Sharpe), metrics.Sharpe(B, rf, P)},
			{"B.MaxDrawdown", float64(a.Benchmark.MaxDrawdown), metrics.MaxDrawdown(B)},
			{"B.Alpha", float64(a.Benchmark.Alpha), alpha},
			{"B.Beta", float64(a.Benchmark.Beta), beta},
			{"B.InformationRatio", float64(a.Benchmark.InformationRatio), metrics.ExcessSharpe(R, B)},
			{"B.Capture", float64(a.Benchmark.Capture), metrics.Capture(R, B, P)},
			{"B.UpCapture", float64(a.Benchmark.UpCapture), metrics.UpCapture(R, B, P)},
			{"B.DownCapture", float64(a.Benchmark.DownCapture), metrics.DownCapture(R, B, P)},
			{"B.Batting0", float64(a.Benchmark.BattingAverage[0]), all},
			{"B.Batting1", float64(a.Benchmark.BattingAverage[1]), up},
			{"B.Batting2", float64(a.Benchmark.BattingAverage[2]), down},
		} {
			if math.Float64bits(c.got) != math.Float64bits(c.want) && !(math.IsNaN(c.got) && math.IsNaN(c.want)) {
				t.Errorf("seed %d (n=%d): %s = %v, want %v", seed, n, c.name, c.got, c.want)
			}
		}
	}
}

// fill returns n copies of v.
func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// countingColumn counts the passes made over a Column.
type countingColumn struct {
	metrics.Column
	passes *int
}

func (c countingColumn) Chunks() iter.Seq[[]float64] {
	*c.passes++
	return c.Column.Chunks()
}

// countingTimes counts the passes made over Times.
type countingTimes struct {
	metrics.Times
	passes *int
}

func (c countingTimes) Chunks() iter.Seq[[]time.Time] {
	*c.passes++
	return c.Times.Chunks()
}

// TestAnalyzePasses checks the number of passes that Analyze's doc comment
// states.
func TestAnalyzePasses(t *testing.T) {
	const n = 3*metrics.ChunkLen + 5
	r, b, tm := genColumn{n, 3, 0.0001}, genColumn{n, 4, 0.0001}, genTimes{n}
	for _, c := range []struct {
		riskFree           float64
		benchmark          bool
		returns, times, bm int
	}{
		{0.02, false, 4, 2, 0},
		{0, false, 4, 2, 0},
		{0.02, true, 4 + 3, 2, 3},
		{0, true, 4 + 3, 2, 3},
	} {
		var rp, tp, bp int
		s := Series{Times: countingTimes{tm, &tp}, Returns: countingColumn{r, &rp}, PeriodsPerYear: 252, RiskFree: c.riskFree}
		if c.benchmark {
			s.Benchmark = countingColumn{b, &bp}
		}
		Analyze(s)
		if rp != c.returns || tp != c.times || bp != c.bm {
			t.Errorf("risk free %v, benchmark %v: %d passes over returns, %d over times, %d over the benchmark; want %d, %d, %d",
				c.riskFree, c.benchmark, rp, tp, bp, c.returns, c.times, c.bm)
		}
	}
}
