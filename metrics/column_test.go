package metrics

import (
	"fmt"
	"iter"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// copyColumn yields the values of v through a buffer that it reuses for
// every chunk, as a disk reader would, instead of sub-slices of v.
type copyColumn struct{ v []float64 }

func (c copyColumn) Len() int { return len(c.v) }

func (c copyColumn) Chunks() iter.Seq[[]float64] {
	return func(yield func([]float64) bool) {
		buf := make([]float64, ChunkLen)
		for i := 0; i < len(c.v); i += ChunkLen {
			n := copy(buf, c.v[i:min(i+ChunkLen, len(c.v))])
			if !yield(buf[:n]) {
				return
			}
			for k := range buf {
				buf[k] = math.NaN() // a stale chunk must not be read
			}
		}
	}
}

// copyTimes is copyColumn for Times.
type copyTimes struct{ t []time.Time }

func (c copyTimes) Len() int { return len(c.t) }

func (c copyTimes) Chunks() iter.Seq[[]time.Time] {
	return func(yield func([]time.Time) bool) {
		buf := make([]time.Time, ChunkLen)
		for i := 0; i < len(c.t); i += ChunkLen {
			n := copy(buf, c.t[i:min(i+ChunkLen, len(c.t))])
			if !yield(buf[:n]) {
				return
			}
			clear(buf)
		}
	}
}

// sameBits reports whether a and b are the same float64: equal bits, or
// both NaN.
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
}

// withinULP reports whether a and b are equal (NaN equal to NaN) or
// adjacent finite float64 values.
func withinULP(a, b float64) bool {
	if sameBits(a, b) || a == b {
		return true
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) || a != a || b != b || math.Signbit(a) != math.Signbit(b) {
		return false
	}
	d := int64(math.Float64bits(a)) - int64(math.Float64bits(b))
	return d == 1 || d == -1
}

// testLengths are the series lengths of the property tests.
var testLengths = []int{0, 1, 2, 3, 5, 17, ChunkLen - 1, ChunkLen, ChunkLen + 1, 3*ChunkLen + 17}

// shapes generates the kinds of return series of the property tests.
var shapes = []struct {
	name string
	gen  func(rng *rand.Rand, n int) []float64
}{
	{"normal", func(rng *rand.Rand, n int) []float64 {
		return fill(n, func(int) float64 { return 0.0005 + 0.01*rng.NormFloat64() })
	}},
	{"nan", func(rng *rand.Rand, n int) []float64 {
		return fill(n, func(int) float64 {
			if rng.IntN(20) == 0 {
				return math.NaN()
			}
			return 0.0002 + 0.02*rng.NormFloat64()
		})
	}},
	{"inf", func(rng *rand.Rand, n int) []float64 {
		return fill(n, func(int) float64 {
			switch rng.IntN(200) {
			case 0:
				return math.Inf(1)
			case 1:
				return math.Inf(-1)
			}
			return 0.01 * rng.NormFloat64()
		})
	}},
	{"ties", func(rng *rand.Rand, n int) []float64 {
		vals := []float64{-0.02, -0.01, 0, 0.01, 0.02}
		return fill(n, func(int) float64 { return vals[rng.IntN(len(vals))] })
	}},
	{"runs", func(rng *rand.Rand, n int) []float64 {
		var v float64
		return fill(n, func(int) float64 {
			if rng.IntN(30) == 0 {
				v = []float64{0, 0.001, -0.001, 0.03 * rng.NormFloat64()}[rng.IntN(4)]
			}
			return v
		})
	}},
	{"bear", func(rng *rand.Rand, n int) []float64 {
		return fill(n, func(int) float64 { return -0.001 + 0.01*rng.NormFloat64() })
	}},
	{"cycles", func(rng *rand.Rand, n int) []float64 {
		return fill(n, func(i int) float64 {
			return 0.01*math.Sin(float64(i)/float64(1+rng.IntN(50))) + 0.002*rng.NormFloat64()
		})
	}},
	{"zeros", func(rng *rand.Rand, n int) []float64 {
		return fill(n, func(int) float64 {
			if rng.IntN(10) == 0 {
				return 0.05 * rng.NormFloat64()
			}
			return 0
		})
	}},
	{"wild", func(rng *rand.Rand, n int) []float64 {
		vals := []float64{-1, -1.5, 1e300, -1e300, 1e-310, -1e-310, 5e-324, math.MaxFloat64, 3}
		return fill(n, func(int) float64 {
			if rng.IntN(50) == 0 {
				return vals[rng.IntN(len(vals))]
			}
			return 0.02 * rng.NormFloat64()
		})
	}},
}

func fill(n int, f func(int) float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// testTimes returns n increasing times with irregular gaps of one hour to
// four days, crossing year boundaries, in a fixed zone.
func testTimes(rng *rand.Rand, n int) []time.Time {
	zone := time.FixedZone("X", -5*3600)
	t := time.Date(2019, 12, 20, 9, 30, 0, 0, zone)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = t
		t = t.Add(time.Duration(1+rng.IntN(96)) * time.Hour)
	}
	return out
}

// eachSeries calls f for every shape and length, and for a few longer
// series that exercise the narrowing passes of the selection.
func eachSeries(t *testing.T, f func(t *testing.T, r []float64, rng *rand.Rand)) {
	for si, sh := range shapes {
		lengths := testLengths
		if raceEnabled {
			lengths = lengths[:len(lengths)-1] // the chunk edges, not the longer one
		}
		if !testing.Short() && !raceEnabled && (sh.name == "normal" || sh.name == "ties" || sh.name == "nan" || sh.name == "runs") {
			lengths = append(slices.Clone(lengths), 3*collectMax+5)
		}
		for _, n := range lengths {
			rng := rand.New(rand.NewPCG(uint64(si), uint64(n)))
			r := sh.gen(rng, n)
			t.Run(fmt.Sprintf("%s/%d", sh.name, n), func(t *testing.T) { f(t, r, rng) })
		}
	}
}

func TestPercentileOracle(t *testing.T) {
	qs := []float64{0, 1, 5, 25, 33.3, 50, 95, 99.9, 100}
	eachSeries(t, func(t *testing.T, r []float64, _ *rand.Rand) {
		clean := sliceDropNaN(r)
		for _, q := range qs {
			for _, v := range [][]float64{r, clean} {
				got, want := Percentile(Slice(v), q), sortPercentile(v, q)
				if !sameBits(got, want) {
					t.Errorf("Percentile(q=%v) = %v, want %v", q, got, want)
				}
				if got2 := Percentile(copyColumn{v}, q); !sameBits(got2, got) {
					t.Errorf("Percentile(copy, q=%v) = %v, want %v", q, got2, got)
				}
			}
			if got, want := ValueAtRisk(Slice(clean), q/100), sortPercentile(clean, q); !sameBits(got, want) {
				t.Errorf("ValueAtRisk(%v) = %v, want %v", q/100, got, want)
			}
		}
		if got, want := TailRatio(Slice(r)), sortTailRatio(r); !sameBits(got, want) {
			t.Errorf("TailRatio = %v, want %v", got, want)
		}
	})
}

func TestCVaROracle(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, _ *rand.Rand) {
		clean := sliceDropNaN(r)
		for _, cutoff := range []float64{0, 0.01, 0.05, 0.5, 0.99, 1} {
			for _, v := range [][]float64{r, clean} {
				got, want := ConditionalValueAtRisk(Slice(v), cutoff), sortCVaR(v, cutoff)
				if !withinULP(got, want) {
					t.Errorf("CVaR(%v) = %v, want %v within an ulp", cutoff, got, want)
				}
				if got2 := ConditionalValueAtRisk(copyColumn{v}, cutoff); !sameBits(got2, got) {
					t.Errorf("CVaR(copy, %v) = %v, want %v", cutoff, got2, got)
				}
			}
		}
	})
}

func TestStabilityOracle(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, _ *rand.Rand) {
		if got, want := Stability(Slice(r)), storedStability(r); !sameBits(got, want) {
			t.Errorf("Stability = %v, want %v", got, want)
		}
	})
}

func TestTopDrawdownsOracle(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, _ *rand.Rand) {
		for _, top := range []int{0, 1, 2, 5, 40} {
			got, want := TopDrawdowns(Slice(r), top), sliceTopDrawdowns(r, top)
			if !slices.Equal(got, want) {
				t.Fatalf("TopDrawdowns(top=%d) =\n%+v\nwant\n%+v", top, got, want)
			}
			if got2 := TopDrawdowns(copyColumn{r}, top); !slices.Equal(got2, got) {
				t.Fatalf("TopDrawdowns(copy, top=%d) differs", top)
			}
		}
	})
}

// TestTopDrawdownsNaNTail checks the padding rule: a NaN drawdown left in
// the series makes pyfolio repeat the no-drawdown row up to top rows.
func TestTopDrawdownsNaNTail(t *testing.T) {
	for _, r := range [][]float64{
		{math.Inf(1), 0.1},
		{0.1, -0.1, 0.2, math.Inf(1), -0.5},
		{-0.1, 0.3, -0.2, math.Inf(-1), -2},
		{-1, math.Inf(1)},
		{0.1, -0.2, 0.5, -2, 0.1, -3},
	} {
		for _, top := range []int{1, 2, 3, 6} {
			got, want := TopDrawdowns(Slice(r), top), sliceTopDrawdowns(r, top)
			if !slices.Equal(got, want) {
				t.Errorf("TopDrawdowns(%v, %d) = %+v, want %+v", r, top, got, want)
			}
		}
	}
}

func TestDrawdownPeriodsOracle(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		want := sliceDrawdownPeriods(r)
		if got := slices.Collect(DrawdownPeriods(Slice(r))); !slices.Equal(got, want) {
			t.Fatalf("DrawdownPeriods = %+v, want %+v", got, want)
		}
		if got := slices.Collect(DrawdownPeriods(copyColumn{r})); !slices.Equal(got, want) {
			t.Fatalf("DrawdownPeriods(copy) differs")
		}
		times := testTimes(rng, len(r))
		var dated []DatedDrawdownPeriod
		for p := range DatedDrawdownPeriods(copyColumn{r}, copyTimes{times}) {
			dated = append(dated, p)
		}
		if len(dated) != len(want) {
			t.Fatalf("DatedDrawdownPeriods: %d periods, want %d", len(dated), len(want))
		}
		for i, p := range dated {
			if p.DrawdownPeriod != want[i] || !p.StartTime.Equal(times[p.Start]) || !p.EndTime.Equal(times[p.End]) ||
				p.Days() != want[i].CalendarDays(times) {
				t.Fatalf("DatedDrawdownPeriods[%d] = %+v, want %+v", i, p, want[i])
			}
		}
		// Stopping early is allowed.
		for range DrawdownPeriods(Slice(r)) {
			break
		}
	})
}

func TestAggregateReturnsOracle(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		times := testTimes(rng, len(r))
		shuffled := slices.Clone(times)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for _, ts := range [][]time.Time{times, shuffled} {
			for _, p := range []Period{Week, Month, Quarter, Year} {
				want := sortAggregateReturns(r, ts, p)
				for _, got := range [][]PeriodReturn{
					AggregateReturns(Slice(r), TimeSlice(ts), p),
					AggregateReturns(copyColumn{r}, copyTimes{ts}, p),
				} {
					if len(got) != len(want) {
						t.Fatalf("%v: %d periods, want %d", p, len(got), len(want))
					}
					for i := range got {
						if got[i].Year != want[i].Year || got[i].Index != want[i].Index || !sameBits(got[i].Return, want[i].Return) {
							t.Fatalf("%v: row %d = %+v, want %+v", p, i, got[i], want[i])
						}
					}
				}
			}
		}
	})
}

// allMetrics evaluates every converted function on r, b and times and
// flattens the results.
func allMetrics(r, b Column, times Times) []float64 {
	var out []float64
	add := func(v ...float64) { out = append(out, v...) }
	addInt := func(v ...int) {
		for _, x := range v {
			out = append(out, float64(x))
		}
	}
	add(CumReturnsFinal(r, 0), CumReturnsFinal(r, 100), AnnualReturn(r, 252), CAGR(r, 12),
		AnnualVolatility(r, 252), Sharpe(r, 0.0001, 252), Sortino(r, 0.0001, 252), MaxDrawdown(r),
		Calmar(r, 252), DownsideRisk(r, 0.0001, 252), Omega(r, 0.0001, 0.05, 252), TailRatio(r),
		Stability(r), ValueAtRisk(r, 0.05), ConditionalValueAtRisk(r, 0.05), Percentile(r, 37),
		Skew(r), Kurtosis(r), AdjustedSkew(r), AdjustedKurtosis(r), ProbabilisticSharpe(r, 0.01),
		DeflatedSharpe(r, 10, 0), DeflatedSharpe(r, 10, 0.2), RecoveryFactor(r, 0.0001), UlcerIndex(r))
	ps := ComputePeriodStats(r)
	add(ps.Exposure, ps.WinRate, ps.AvgWin, ps.AvgLoss, ps.Payoff, ps.ProfitFactor, ps.GainPain, ps.Kelly)
	addInt(ps.MaxConsecutiveWins, ps.MaxConsecutiveLosses)
	addInt(DrawdownBars(r))
	for _, d := range TopDrawdowns(r, 7) {
		addInt(d.Peak, d.Valley, d.Recovery)
		add(d.Depth)
	}
	for p := range DatedDrawdownPeriods(r, times) {
		addInt(p.Start, p.Valley, p.End, p.Days())
		add(p.Depth)
	}
	for _, p := range []Period{Week, Month, Quarter, Year} {
		for _, a := range AggregateReturns(r, times, p) {
			addInt(a.Year, a.Index)
			add(a.Return)
		}
	}
	add(Beta(r, b), Alpha(r, b, 0.0001, 252))
	add(AlphaBeta(r, b, 0.0001, 252))
	add(UpAlphaBeta(r, b, 0.0001, 252))
	add(DownAlphaBeta(r, b, 0.0001, 252))
	add(ExcessSharpe(r, b), Capture(r, b, 252), UpCapture(r, b, 252), DownCapture(r, b, 252))
	add(BattingAverage(r, b))
	add(Sharpe(Shift(r, 0.001), 0, 252), Percentile(Shift(r, 0.001), 50))
	return out
}

// TestChunkBacking checks that every converted function gives the same
// bits whether the chunks are sub-slices of a Slice or copies in a reused
// buffer.
func TestChunkBacking(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		b := shapes[rng.IntN(len(shapes))].gen(rng, len(r))
		times := testTimes(rng, len(r))
		want := allMetrics(Slice(r), Slice(b), TimeSlice(times))
		got := allMetrics(copyColumn{r}, copyColumn{b}, copyTimes{times})
		if len(got) != len(want) {
			t.Fatalf("%d results, want %d", len(got), len(want))
		}
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Errorf("result %d = %v, want %v", i, got[i], want[i])
			}
		}
	})
}

// TestFilteredOracle checks the streaming up/down benchmark metrics against
// the metrics of the filtered slices.
func TestFilteredOracle(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		b := shapes[rng.IntN(len(shapes))].gen(rng, len(r))
		var ru, bu, rd, bd []float64
		for i, w := range b {
			if w > 0 {
				ru, bu = append(ru, r[i]), append(bu, w)
			}
			if w < 0 {
				rd, bd = append(rd, r[i]), append(bd, w)
			}
		}
		check := func(name string, got, want float64) {
			t.Helper()
			if !sameBits(got, want) {
				t.Errorf("%s = %v, want %v", name, got, want)
			}
		}
		a1, b1 := UpAlphaBeta(copyColumn{r}, copyColumn{b}, 0.0001, 252)
		a2, b2 := AlphaBeta(Slice(ru), Slice(bu), 0.0001, 252)
		check("UpAlpha", a1, a2)
		check("UpBeta", b1, b2)
		a1, b1 = DownAlphaBeta(Slice(r), Slice(b), 0.0001, 252)
		a2, b2 = AlphaBeta(Slice(rd), Slice(bd), 0.0001, 252)
		check("DownAlpha", a1, a2)
		check("DownBeta", b1, b2)
		check("UpCapture", UpCapture(Slice(r), Slice(b), 252), Capture(Slice(ru), Slice(bu), 252))
		check("DownCapture", DownCapture(Slice(r), Slice(b), 252), Capture(Slice(rd), Slice(bd), 252))
		check("ExcessSharpe", ExcessSharpe(Slice(r), Slice(b)), storedExcessSharpe(r, b))
	})
}

// storedExcessSharpe is ExcessSharpe on a stored difference.
func storedExcessSharpe(r, b []float64) float64 {
	if len(r) < 2 {
		return math.NaN()
	}
	mean, std := meanStdShift(Slice(ExcessReturns(r, b)), 0, 1)
	if math.IsNaN(std) {
		std = 0
	}
	return mean / std
}

// TestSharpeMoments checks that the shared pass of ProbabilisticSharpe
// gives what Sharpe, Skew and Kurtosis give.
func TestSharpeMoments(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, _ *rand.Rand) {
		sr, n, f := sharpeMoments(Slice(r))
		wantSR := Sharpe(Slice(r), 0, 1)
		g3, g4 := Skew(Slice(r)), Kurtosis(Slice(r))+3
		wantF := 1 - g3*wantSR + (g4-1)/4*wantSR*wantSR
		if !sameBits(sr, wantSR) || n != len(sliceDropNaN(r)) || !sameBits(f, wantF) {
			t.Errorf("sharpeMoments = %v, %d, %v; want %v, %d, %v", sr, n, f, wantSR, len(sliceDropNaN(r)), wantF)
		}
	})
}

// TestExactSum compares exactSum with a sum in big.Float, rounded once.
func TestExactSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		n := rng.IntN(50)
		var s exactSum
		exact := new(big.Float).SetPrec(4000)
		for range n {
			x := rng.NormFloat64() * math.Ldexp(1, rng.IntN(200)-100)
			if rng.IntN(5) == 0 {
				x = math.Ldexp(float64(rng.IntN(7)-3), rng.IntN(20)) // exact ties
			}
			q := 1
			if rng.IntN(4) == 0 {
				q = 1 + rng.IntN(1000)
				s.addTimes(x, q)
			} else {
				s.add(x)
			}
			term := new(big.Float).SetPrec(4000).SetFloat64(x)
			exact.Add(exact, term.Mul(term, new(big.Float).SetInt64(int64(q))))
		}
		want, _ := exact.Float64()
		if got := s.value(); got != want {
			t.Fatalf("trial %d: exactSum = %v, want %v", trial, got, want)
		}
	}
	var s exactSum
	s.add(math.Inf(1))
	s.add(1)
	if v := s.value(); !math.IsInf(v, 1) {
		t.Errorf("sum with +Inf = %v", v)
	}
	s.add(math.Inf(-1))
	if v := s.value(); !math.IsNaN(v) {
		t.Errorf("sum with ±Inf = %v", v)
	}
}

func TestOrderKey(t *testing.T) {
	vals := []float64{math.Inf(-1), -math.MaxFloat64, -1, -5e-324, math.Copysign(0, -1), 0, 5e-324, 1, math.MaxFloat64, math.Inf(1)}
	for i := 1; i < len(vals); i++ {
		if !(orderKey(vals[i-1]) < orderKey(vals[i])) {
			t.Errorf("orderKey(%v) >= orderKey(%v)", vals[i-1], vals[i])
		}
	}
	for _, v := range vals {
		if !sameBits(keyValue(orderKey(v)), v) {
			t.Errorf("keyValue(orderKey(%v)) = %v", v, keyValue(orderKey(v)))
		}
	}
}

// TestSignedZeroPercentile documents the one tie the selection orders
// differently from a sort: -0 sorts before +0, so a zero result can only
// differ in sign from the sort-based value of sortPercentile.
func TestSignedZeroPercentile(t *testing.T) {
	r := []float64{0, math.Copysign(0, -1), 0.01, -0.01, 0, math.Copysign(0, -1)}
	for q := 0.0; q <= 100; q += 2.5 {
		if got, want := Percentile(Slice(r), q), sortPercentile(r, q); got != want {
			t.Errorf("Percentile(%v) = %v, want %v", q, got, want)
		}
	}
}

func TestTimesAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	times := testTimes(rng, 3*ChunkLen+5)
	idx := []int{5, 0, 3*ChunkLen + 4, ChunkLen, ChunkLen - 1, -1, len(times)}
	got := TimesAt(copyTimes{times}, idx...)
	for k, i := range idx {
		var want time.Time
		if i >= 0 && i < len(times) {
			want = times[i]
		}
		if !got[k].Equal(want) {
			t.Errorf("TimesAt[%d] = %v, want %v", i, got[k], want)
		}
	}
}

func TestZipMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic on a length mismatch")
		}
	}()
	Beta(Slice(make([]float64, ChunkLen+1)), copyColumn{make([]float64, ChunkLen)})
}

// TestCombinedHelpers checks that Moments, Wealth, TailStats and
// UpDownCapture give exactly what the single-metric functions give.
func TestCombinedHelpers(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		b := shapes[rng.IntN(len(shapes))].gen(rng, len(r))
		for _, c := range []Column{Slice(r), copyColumn{r}} {
			check := func(name string, got, want float64) {
				t.Helper()
				if !sameBits(got, want) {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
			for _, rf := range []float64{0, math.Copysign(0, -1), 0.0003} {
				x := Shift(c, rf)
				m := ComputeMoments(x)
				check("AnnualVolatility", m.AnnualVolatility(252), AnnualVolatility(x, 252))
				check("Sharpe", m.Sharpe(252), Sharpe(c, rf, 252))
				check("Sortino", m.Sortino(252, DownsideRisk(c, rf, 252)), Sortino(c, rf, 252))
				check("Skew", m.Skew(), Skew(x))
				check("Kurtosis", m.Kurtosis(), Kurtosis(x))
				check("AdjustedSkew", m.AdjustedSkew(), AdjustedSkew(x))
				check("AdjustedKurtosis", m.AdjustedKurtosis(), AdjustedKurtosis(x))
				check("ProbabilisticSharpe", m.ProbabilisticSharpe(0.01), ProbabilisticSharpe(x, 0.01))
				check("DeflatedSharpe", m.DeflatedSharpe(7, 0), DeflatedSharpe(x, 7, 0))
				check("DeflatedSharpe var", m.DeflatedSharpe(7, 0.3), DeflatedSharpe(x, 7, 0.3))
			}
			w := ComputeWealth(c)
			check("CumReturnsFinal", w.CumReturnsFinal(0), CumReturnsFinal(c, 0))
			check("CumReturnsFinal start", w.CumReturnsFinal(1000), CumReturnsFinal(c, 1000))
			check("AnnualReturn", w.AnnualReturn(252), AnnualReturn(c, 252))
			check("MaxDrawdown", w.MaxDrawdown, MaxDrawdown(c))
			check("Calmar", w.Calmar(252), Calmar(c, 252))
			check("UlcerIndex", w.UlcerIndex(), UlcerIndex(c))
			check("RecoveryFactor", w.RecoveryFactor(0.0002), RecoveryFactor(c, 0.0002))
			if longest, current := DrawdownBars(c); w.LongestDrawdownBars != longest || w.CurrentDrawdownBars != current {
				t.Errorf("drawdown bars = %d, %d, want %d, %d", w.LongestDrawdownBars, w.CurrentDrawdownBars, longest, current)
			}
			check("Capture", w.AnnualReturn(252)/ComputeWealth(Slice(b)).AnnualReturn(252), Capture(c, Slice(b), 252))
			for _, cutoff := range []float64{0, 0.05, 0.5, 1, -0.1, 1.5, math.NaN()} {
				ts := ComputeTailStats(c, cutoff)
				check("ValueAtRisk", ts.ValueAtRisk, ValueAtRisk(c, cutoff))
				check("CVaR", ts.CVaR, ConditionalValueAtRisk(c, cutoff))
				check("TailRatio", ts.TailRatio, TailRatio(c))
			}
			up, down := UpDownCapture(c, Slice(b), 252)
			check("UpCapture", up, UpCapture(c, Slice(b), 252))
			check("DownCapture", down, DownCapture(c, Slice(b), 252))
		}
	})
}

// TestSummarize checks that every field of Summarize is exactly what the
// function that its comment names returns.
func TestSummarize(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		for _, c := range []Column{Slice(r), copyColumn{r}} {
			for _, rf := range []float64{0, math.Copysign(0, -1), 0.0003} {
				for _, top := range []int{0, 1, 5} {
					cutoff := []float64{0.05, 0, 1, 0.5, -1}[rng.IntN(5)]
					P := []float64{252, 1, 12}[rng.IntN(3)]
					sm := Summarize(c, rf, P, cutoff, top)
					check := func(name string, got, want float64) {
						t.Helper()
						if !sameBits(got, want) {
							t.Errorf("rf %v, top %d, cutoff %v, P %v: %s = %v, want %v", rf, top, cutoff, P, name, got, want)
						}
					}
					if w := ComputeWealth(c); !sameWealth(sm.Wealth, w) {
						t.Errorf("Wealth = %+v, want %+v", sm.Wealth, w)
					}
					for _, m := range []struct {
						name      string
						got, want Moments
					}{{"Moments", sm.Moments, ComputeMoments(c)}, {"ExcessMoments", sm.ExcessMoments, ComputeMoments(Shift(c, rf))}} {
						g, w := m.got, m.want
						if g.Len != w.Len || g.N != w.N || !sameBits(g.Mean, w.Mean) || !sameBits(g.S2, w.S2) ||
							!sameBits(g.S3, w.S3) || !sameBits(g.S4, w.S4) {
							t.Errorf("%s = %+v, want %+v", m.name, g, w)
						}
					}
					check("DownsideRisk", sm.DownsideRisk, DownsideRisk(c, rf, P))
					check("Omega", sm.Omega, Omega(c, rf, 0, P))
					check("Stability", sm.Stability, Stability(c))
					wantTail := ComputeTailStats(c, cutoff)
					check("ValueAtRisk", sm.Tail.ValueAtRisk, wantTail.ValueAtRisk)
					check("CVaR", sm.Tail.CVaR, wantTail.CVaR)
					check("TailRatio", sm.Tail.TailRatio, wantTail.TailRatio)
					if ps, want := sm.PeriodStats, ComputePeriodStats(c); !samePeriodStats(ps, want) {
						t.Errorf("PeriodStats = %+v, want %+v", ps, want)
					}
					if got, want := sm.TopDrawdowns, TopDrawdowns(c, top); !slices.Equal(got, want) {
						t.Errorf("TopDrawdowns = %+v, want %+v", got, want)
					}
					best, worst := math.NaN(), math.NaN()
					for _, v := range r {
						if v == v {
							if best != best || v > best {
								best = v
							}
							if worst != worst || v < worst {
								worst = v
							}
						}
					}
					check("Best", sm.Best, best)
					check("Worst", sm.Worst, worst)
				}
			}
		}
	})
}

// samePeriodStats compares PeriodStats bit for bit.
func samePeriodStats(a, b PeriodStats) bool {
	return sameBits(a.Exposure, b.Exposure) && sameBits(a.WinRate, b.WinRate) && sameBits(a.AvgWin, b.AvgWin) &&
		sameBits(a.AvgLoss, b.AvgLoss) && sameBits(a.Payoff, b.Payoff) && sameBits(a.ProfitFactor, b.ProfitFactor) &&
		sameBits(a.GainPain, b.GainPain) && sameBits(a.Kelly, b.Kelly) &&
		a.MaxConsecutiveWins == b.MaxConsecutiveWins && a.MaxConsecutiveLosses == b.MaxConsecutiveLosses
}

// sameWealth compares Wealth values bit for bit.
func sameWealth(a, b Wealth) bool {
	return a.Len == b.Len && sameBits(a.Growth, b.Growth) && sameBits(a.MaxDrawdown, b.MaxDrawdown) &&
		a.LongestDrawdownBars == b.LongestDrawdownBars && a.CurrentDrawdownBars == b.CurrentDrawdownBars &&
		sameBits(a.ulcer, b.ulcer) && sameBits(a.sum, b.sum)
}

// TestCalendar checks that Calendar gives what AggregateReturns and
// DatedDrawdownPeriods give.
func TestCalendar(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		times := testTimes(rng, len(r))
		periods := []Period{Month, Year, Week, Quarter}
		var got []DatedDrawdownPeriod
		aggs := Calendar(copyColumn{r}, copyTimes{times}, periods, func(p DatedDrawdownPeriod) { got = append(got, p) })
		want := slices.Collect(DatedDrawdownPeriods(Slice(r), TimeSlice(times)))
		if len(got) != len(want) {
			t.Fatalf("%d periods, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].DrawdownPeriod != want[i].DrawdownPeriod || !got[i].StartTime.Equal(want[i].StartTime) || !got[i].EndTime.Equal(want[i].EndTime) {
				t.Fatalf("period %d = %+v, want %+v", i, got[i], want[i])
			}
		}
		for k, p := range periods {
			w := AggregateReturns(Slice(r), TimeSlice(times), p)
			if len(aggs[k]) != len(w) {
				t.Fatalf("%v: %d rows, want %d", p, len(aggs[k]), len(w))
			}
			for i := range w {
				if aggs[k][i].Year != w[i].Year || aggs[k][i].Index != w[i].Index || !sameBits(aggs[k][i].Return, w[i].Return) {
					t.Fatalf("%v: row %d = %+v, want %+v", p, i, aggs[k][i], w[i])
				}
			}
		}
	})
}

// TestCompare checks that every field of Compare is exactly what the
// function that its comment names returns.
func TestCompare(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, rng *rand.Rand) {
		b := shapes[rng.IntN(len(shapes))].gen(rng, len(r))
		if rng.IntN(4) == 0 {
			b = fill(len(r), func(int) float64 { return 0.001 }) // constant benchmark
		}
		R, B := copyColumn{r}, copyColumn{b}
		for _, rf := range []float64{0, math.Copysign(0, -1), 0.0003} {
			P := []float64{252, 1, 12}[rng.IntN(3)]
			c := Compare(R, B, rf, P)
			check := func(name string, got, want float64) {
				t.Helper()
				if !sameBits(got, want) {
					t.Errorf("rf %v, P %v: %s = %v, want %v", rf, P, name, got, want)
				}
			}
			if w := ComputeWealth(Slice(b)); !sameWealth(c.Wealth, w) {
				t.Errorf("Wealth = %+v, want %+v", c.Wealth, w)
			}
			for _, m := range []struct {
				name      string
				got, want Moments
			}{{"Moments", c.Moments, ComputeMoments(Slice(b))}, {"ExcessMoments", c.ExcessMoments, ComputeMoments(Shift(Slice(b), rf))}} {
				g, w := m.got, m.want
				if g.Len != w.Len || g.N != w.N || !sameBits(g.Mean, w.Mean) || !sameBits(g.S2, w.S2) ||
					!sameBits(g.S3, w.S3) || !sameBits(g.S4, w.S4) {
					t.Errorf("%s = %+v, want %+v", m.name, g, w)
				}
			}
			alpha, beta := AlphaBeta(Slice(r), Slice(b), rf, P)
			check("Alpha", c.Alpha, alpha)
			check("Beta", c.Beta, beta)
			check("ExcessSharpe", c.ExcessSharpe, ExcessSharpe(Slice(r), Slice(b)))
			check("UpCapture", c.UpCapture, UpCapture(Slice(r), Slice(b), P))
			check("DownCapture", c.DownCapture, DownCapture(Slice(r), Slice(b), P))
			all, up, down := BattingAverage(Slice(r), Slice(b))
			check("Batting all", c.BattingAverage[0], all)
			check("Batting up", c.BattingAverage[1], up)
			check("Batting down", c.BattingAverage[2], down)
			check("Capture", ComputeWealth(Slice(r)).AnnualReturn(P)/c.Wealth.AnnualReturn(P), Capture(Slice(r), Slice(b), P))
		}
	})
}

// TestSelectionLargeBuckets covers the narrowing passes: buckets too full
// to collect, and ranks pinned to a single repeated value.
func TestSelectionLargeBuckets(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	n := 2*collectMax + 1000
	for name, r := range map[string][]float64{
		"mostly zero": fill(n, func(int) float64 {
			if rng.IntN(10) == 0 {
				return 0.01 * rng.NormFloat64()
			}
			return 0
		}),
		"one binade": fill(n, func(int) float64 { return 1 + rng.Float64()*1e-9 }),
		"two values": fill(n, func(i int) float64 { return float64(i%2) * 0.01 }),
	} {
		for _, q := range []float64{0, 5, 50, 95, 100} {
			if got, want := Percentile(copyColumn{r}, q), sortPercentile(r, q); !sameBits(got, want) {
				t.Errorf("%s: Percentile(%v) = %v, want %v", name, q, got, want)
			}
		}
		if got, want := ConditionalValueAtRisk(Slice(r), 0.05), sortCVaR(r, 0.05); !withinULP(got, want) {
			t.Errorf("%s: CVaR = %v, want %v", name, got, want)
		}
		if got, want := TailRatio(Slice(r)), sortTailRatio(r); !sameBits(got, want) {
			t.Errorf("%s: TailRatio = %v, want %v", name, got, want)
		}
	}
}

// TestSelectionKeptKeys covers both ways of selection at their border: up
// to collectMax values the selector keeps their keys and sorts them, past
// it it counts them in histograms; both give the sorted order statistics.
func TestSelectionKeptKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 2, 3, collectMax - 1, collectMax, collectMax + 1} {
		r := fill(n, func(i int) float64 {
			if i%7 == 3 {
				return 0.005 // repeats
			}
			return 0.01 * rng.NormFloat64()
		})
		var sel selector
		sel.scan(Slice(r), false)
		if kept := sel.top == nil; kept != (n <= collectMax) {
			t.Errorf("n=%d: keys kept %v, want %v", n, kept, n <= collectMax)
		}
		for _, q := range []float64{0, 5, 33.3, 50, 95, 100} {
			if got, want := Percentile(copyColumn{r}, q), sortPercentile(r, q); !sameBits(got, want) {
				t.Errorf("n=%d: Percentile(%v) = %v, want %v", n, q, got, want)
			}
		}
		if got, want := ConditionalValueAtRisk(Slice(r), 0.05), sortCVaR(r, 0.05); !withinULP(got, want) {
			t.Errorf("n=%d: CVaR = %v, want %v", n, got, want)
		}
		if got, want := Summarize(Slice(r), 0, 252, 0.05, 1).Tail, ComputeTailStats(copyColumn{r}, 0.05); !sameBits(got.TailRatio, want.TailRatio) ||
			!sameBits(got.ValueAtRisk, want.ValueAtRisk) || !sameBits(got.CVaR, want.CVaR) {
			t.Errorf("n=%d: Summarize's tail %+v, ComputeTailStats %+v", n, got, want)
		}
	}
}

// TestMapPasses: a pass over a Map column reuses the buffer of the pass
// before, and passes that overlap (the column zipped with itself) each
// have their own, so every pass reads the mapped values.
func TestMapPasses(t *testing.T) {
	v := fill(3*ChunkLen+5, func(i int) float64 { return float64(i) })
	m := Map(Slice(v), func() func(float64) float64 { return func(x float64) float64 { return 2 * x } })
	read := func() []float64 {
		var out []float64
		for ch := range m.Chunks() {
			out = append(out, ch...)
		}
		return out
	}
	first, second := read(), read()
	for i := range v {
		if first[i] != 2*v[i] || second[i] != 2*v[i] {
			t.Fatalf("value %d: %v then %v, want %v", i, first[i], second[i], 2*v[i])
		}
	}
	var pairs int
	for a, b := range zipColumns(m, m) {
		for i := range a {
			if a[i] != b[i] || a[i] != 2*v[pairs] {
				t.Fatalf("zipped value %d: %v and %v, want %v", pairs, a[i], b[i], 2*v[pairs])
			}
			pairs++
		}
	}
	if pairs != len(v) {
		t.Fatalf("zipped %d values, want %d", pairs, len(v))
	}
}

// TestComputeBasics: ComputeBasics gives what ComputeWealth,
// ComputeMoments and DownsideRisk give, bit for bit.
func TestComputeBasics(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, _ *rand.Rand) {
		for _, c := range []Column{Slice(r), copyColumn{r}} {
			w, m, d := ComputeBasics(c, 252)
			if ww := ComputeWealth(c); fmt.Sprintf("%#v", w) != fmt.Sprintf("%#v", ww) {
				t.Errorf("wealth %#v, want %#v", w, ww)
			}
			if mm := ComputeMoments(c); fmt.Sprintf("%#v", m) != fmt.Sprintf("%#v", mm) {
				t.Errorf("moments %#v, want %#v", m, mm)
			}
			if dd := DownsideRisk(c, 0, 252); !sameBits(d, dd) {
				t.Errorf("downside risk %v, want %v", d, dd)
			}
		}
	})
}

// TestSummaryBasics: a Summarizer for the rate +0 gives in its Summary
// the Wealth, Moments and DownsideRisk that ComputeBasics gives, bit for
// bit, for several periods per year (report.Writer's Basics relies on
// it).
func TestSummaryBasics(t *testing.T) {
	eachSeries(t, func(t *testing.T, r []float64, _ *rand.Rand) {
		for _, P := range []float64{252, 365.25 * 24 * 60, 1, math.NaN()} {
			s := NewSummarizer(0, 0.05, 5)
			for _, v := range r {
				s.Add(v)
			}
			sm := s.Summary(Slice(r), P)
			w, m, d := ComputeBasics(copyColumn{r}, P)
			if fmt.Sprintf("%#v", sm.Wealth) != fmt.Sprintf("%#v", w) {
				t.Errorf("P %v: wealth %#v, want %#v", P, sm.Wealth, w)
			}
			if fmt.Sprintf("%#v", sm.Moments) != fmt.Sprintf("%#v", m) {
				t.Errorf("P %v: moments %#v, want %#v", P, sm.Moments, m)
			}
			if !sameBits(sm.DownsideRisk, d) {
				t.Errorf("P %v: downside risk %v, want %v", P, sm.DownsideRisk, d)
			}
		}
	})
}

// TestBusinessDays checks businessDays against walking the dates one
// by one: pairs of times in any order, in zones other than UTC, the same
// day, weekends at either end, spans of days and of decades.
func TestBusinessDays(t *testing.T) {
	walk := func(a, b time.Time) int {
		ya, ma, da := a.Date()
		yb, mb, db := b.Date()
		n := 0
		for d := time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC); !d.After(time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n++
			}
		}
		return n
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	rng := rand.New(rand.NewPCG(17, 18))
	start := time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		a := start.Add(time.Duration(rng.Int64N(int64(20 * 365 * 24 * time.Hour))))
		span := time.Duration(rng.Int64N(int64(30 * 24 * time.Hour)))
		if i%3 == 0 {
			span = time.Duration(rng.Int64N(int64(20 * 365 * 24 * time.Hour)))
		}
		b := a.Add(span)
		if i%5 == 0 {
			a, b = b, a // reversed: no days
		}
		if i%2 == 0 {
			a, b = a.In(ny), b.In(ny)
		}
		if got, want := businessDays(a, b), walk(a, b); got != want {
			t.Fatalf("businessDays(%v, %v) = %d, want %d", a, b, got, want)
		}
	}
}
