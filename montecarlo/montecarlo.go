// Package montecarlo resamples a finished run's closed trades and period
// returns into many alternative equity paths and summarizes them: the
// quantiles of final equity, CAGR, maximum and longest drawdown, the
// probability that the drawdown exceeds given levels, and the probability
// of ruin.
//
// Three methods, each over N paths (default 1000):
//
//   - MethodShuffle: the closed trades' net P&L in a random order (a
//     permutation, Fisher–Yates). The final equity of every path is the
//     run's: the sum does not depend on the order, and it is taken exactly
//     (see Input.Trades).
//   - MethodResample: as many trades as the run closed, drawn uniformly
//     with replacement.
//   - MethodBlock: the stationary block bootstrap of the period returns
//     (Politis and Romano 1994): a path of as many returns as the run's is
//     made of blocks that start at a uniform index and whose lengths are
//     geometric with mean Options.BlockMean (each next return starts a new
//     block with probability 1/BlockMean, else continues the current one,
//     wrapping at the end of the series).
//
// Each path has its own random source, PCG seeded from (Options.Seed, the
// method, the path's index), and results are gathered by index, so the
// numbers are the same on any machine for any Options.Jobs. Quantiles are
// numpy's default linear interpolation between order statistics
// (Hyndman–Fan type 7, as metrics.Percentile).
package montecarlo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/metrics"
)

// Method names a way of making a path.
type Method string

// The methods; see the package documentation.
const (
	MethodShuffle  Method = "shuffle"
	MethodResample Method = "resample"
	MethodBlock    Method = "block"
)

// Methods are all methods, in the order a Report lists them.
var Methods = []Method{MethodShuffle, MethodResample, MethodBlock}

// MaxPaths bounds Options.Paths: every path keeps its summary and its
// fan's points (up to FanPoints) until the quantiles are taken, about
// 1.7 KB a path and method.
const MaxPaths = 100_000

// Defaults of Options.
const (
	DefaultPaths     = 1000
	DefaultRuinFloor = 0.5
	// FanPoints is the most steps a Result's fan chart samples.
	FanPoints = 200
	// HistogramBins is the number of bins of a Result's drawdown
	// histogram.
	HistogramBins = 20
)

// DefaultLevels are the drawdown levels of Options.Levels by default.
var DefaultLevels = []float64{0.1, 0.2, 0.3, 0.5}

// QuantileLevels are the quantiles a Quantiles holds, as fractions.
var QuantileLevels = [5]float64{0.05, 0.25, 0.5, 0.75, 0.95}

// Input is what the paths are made from.
type Input struct {
	// Initial is the initial equity.
	Initial decimal.Decimal
	// Trades are the closed trades' net P&L in the order they closed.
	// Trade paths are summed exactly: all values and Initial are scaled to
	// int64 at the largest number of decimal places among them; when that
	// does not fit (the sum of their absolute values must stay below
	// 2^62), the sums are float64 and Result.Exact is false.
	Trades []decimal.Decimal
	// Returns are the run's simple period returns, the first from Initial
	// to the first equity point.
	Returns []float64
	// PeriodsPerYear converts a path's length to years for CAGR: the run
	// lasts len(Returns)/PeriodsPerYear years, and so does every path,
	// trade paths included.
	PeriodsPerYear float64
}

// Options set how many paths are made and what is measured.
type Options struct {
	// Paths is the number of paths per method, at most MaxPaths; 0 is
	// DefaultPaths.
	Paths int
	// Seed seeds every path's random source.
	Seed uint64
	// Jobs is the number of paths made at once; 0 is runtime.GOMAXPROCS.
	// It changes no number.
	Jobs int
	// RuinFloor is the fraction of the initial equity below which a path
	// is ruined; 0 is DefaultRuinFloor.
	RuinFloor float64
	// Levels are the drawdowns (fractions) whose probability of being
	// exceeded is reported; nil is DefaultLevels.
	Levels []float64
	// BlockMean is the mean block length of MethodBlock, in periods; 0 is
	// DefaultBlockMean(len(Returns)).
	BlockMean float64
}

// DefaultBlockMean returns the mean block length used for n returns by
// default: n^(1/3) rounded, at least 1, the rate Politis and White (2004)
// give for the optimal block length's growth.
func DefaultBlockMean(n int) float64 {
	return max(1, math.Round(math.Cbrt(float64(n))))
}

// Quantiles are the 5, 25, 50, 75 and 95 % quantiles of a measure over
// the paths.
type Quantiles struct {
	P5  float64 `json:"p5"`
	P25 float64 `json:"p25"`
	P50 float64 `json:"p50"`
	P75 float64 `json:"p75"`
	P95 float64 `json:"p95"`
}

// MarshalJSON writes q as an object of its five quantiles, a NaN (no
// value) as null.
func (q Quantiles) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, v := range q.Values() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `"p`...)
		b = strconv.AppendInt(b, int64(math.Round(QuantileLevels[i]*100)), 10)
		b = append(b, `":`...)
		b = appendFloat(b, v)
	}
	return append(b, '}'), nil
}

// Float is a float64 that JSON-encodes NaN and ±Inf, which JSON cannot
// hold, as null.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) { return appendFloat(nil, float64(f)), nil }

// appendFloat appends v's shortest round-trip text, or null for NaN and
// ±Inf.
func appendFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// Values returns q's quantiles in the order of QuantileLevels.
func (q Quantiles) Values() [5]float64 { return [5]float64{q.P5, q.P25, q.P50, q.P75, q.P95} }

// Probability is the share of paths whose maximum drawdown exceeds Level.
type Probability struct {
	Level       float64 `json:"level"`
	Probability float64 `json:"probability"`
}

// FanPoint is the quantiles of equity over the paths after Step steps (0
// is the initial equity).
type FanPoint struct {
	Step      int       `json:"step"`
	Quantiles Quantiles `json:"quantiles"`
}

// Bin is one bin of the drawdown histogram: Count paths had a maximum
// drawdown in [From, To) (the last bin includes To).
type Bin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// Result is one method's summary over its paths.
type Result struct {
	Method Method `json:"method"`
	// Steps is the length of each path: trades for the trade methods,
	// periods for MethodBlock; Unit names it ("trades" or "periods").
	Steps int    `json:"steps"`
	Unit  string `json:"unit"`
	// BlockMean is MethodBlock's mean block length; 0 for the others.
	BlockMean float64 `json:"block_mean,omitempty"`
	// Exact says whether the trade paths' sums are exact (see
	// Input.Trades); false for MethodBlock, whose paths are float64
	// products of returns.
	Exact bool `json:"exact"`
	// FinalEquity, CAGR, MaxDrawdown and LongestDrawdown are the
	// quantiles of each path's measure. CAGR is (final/initial)^(1/years)
	// − 1 (NaN for a final equity at or below zero, or a zero-length
	// run). MaxDrawdown is the largest 1 − equity/peak, as a fraction,
	// where the peak is the highest equity so far, the initial included;
	// a trade path is not floored at zero, so it may exceed 1.
	// LongestDrawdown is the longest run of consecutive steps below the
	// peak, in Unit.
	FinalEquity     Quantiles `json:"final_equity"`
	CAGR            Quantiles `json:"cagr"`
	MaxDrawdown     Quantiles `json:"max_drawdown"`
	LongestDrawdown Quantiles `json:"longest_drawdown"`
	// DrawdownOver is, per level, the share of paths whose maximum
	// drawdown exceeds it (strictly).
	DrawdownOver []Probability `json:"drawdown_over"`
	// Ruin is the share of paths whose equity was ever below the ruin
	// floor (strictly).
	Ruin float64 `json:"ruin"`
	// Fan is the equity quantiles at up to FanPoints steps spread evenly
	// over the path, the first (step 0) and the last included.
	Fan []FanPoint `json:"fan"`
	// Actual is the run's own path at the steps of Fan: its trades in the
	// order they closed, or its returns in order.
	Actual []float64 `json:"actual"`
	// Histogram counts the paths' maximum drawdowns in HistogramBins
	// equal bins from 0 to the largest (to 1 when every path's is 0).
	Histogram []Bin `json:"histogram"`
}

// Report is the summary of every method.
type Report struct {
	Paths     int       `json:"paths"`
	Seed      uint64    `json:"seed"`
	Initial   string    `json:"initial_equity"`
	RuinFloor float64   `json:"ruin_floor"`
	Levels    []float64 `json:"levels"`
	// Years is the run's length, len(Input.Returns)/PeriodsPerYear; NaN
	// (written null) when either is missing.
	Years   Float    `json:"years"`
	Results []Result `json:"results"`
}

// Run makes opt.Paths paths by each method and summarizes them. A method
// without data (no closed trades, or no returns) is left out of the
// report. It returns an error for bad options or when ctx is done.
func Run(ctx context.Context, in Input, opt Options) (*Report, error) {
	opt, err := opt.withDefaults(len(in.Returns))
	if err != nil {
		return nil, err
	}
	if in.Initial.Sign() <= 0 {
		return nil, fmt.Errorf("montecarlo: initial equity %s is not positive", in.Initial)
	}
	rep := &Report{Paths: opt.Paths, Seed: opt.Seed, Initial: in.Initial.String(), RuinFloor: opt.RuinFloor,
		Levels: opt.Levels, Years: Float(years(in)), Results: []Result{}}
	for _, m := range Methods {
		var g generator
		switch {
		case m == MethodBlock && len(in.Returns) > 0:
			g = newBlockGen(in, opt.BlockMean)
		case m != MethodBlock && len(in.Trades) > 0:
			g = newTradeGen(in, m == MethodShuffle)
		default:
			continue
		}
		r, err := run(ctx, m, g, in, opt, float64(rep.Years))
		if err != nil {
			return nil, err
		}
		rep.Results = append(rep.Results, r)
	}
	return rep, nil
}

// withDefaults returns opt with its zero values set to the defaults, or
// an error naming a bad option.
func (opt Options) withDefaults(n int) (Options, error) {
	if opt.Paths == 0 {
		opt.Paths = DefaultPaths
	}
	if opt.Jobs == 0 {
		opt.Jobs = runtime.GOMAXPROCS(0)
	}
	if opt.RuinFloor == 0 {
		opt.RuinFloor = DefaultRuinFloor
	}
	if opt.Levels == nil {
		opt.Levels = DefaultLevels
	}
	if opt.BlockMean == 0 {
		opt.BlockMean = DefaultBlockMean(n)
	}
	switch {
	case opt.Paths < 1 || opt.Paths > MaxPaths:
		return opt, fmt.Errorf("montecarlo: paths %d: want 1 to %d", opt.Paths, MaxPaths)
	case opt.Jobs < 1:
		return opt, fmt.Errorf("montecarlo: jobs %d: want at least 1", opt.Jobs)
	case !(opt.RuinFloor > 0 && opt.RuinFloor < 1):
		return opt, fmt.Errorf("montecarlo: ruin floor %v: want a fraction of the initial equity between 0 and 1", opt.RuinFloor)
	case !(opt.BlockMean >= 1) || math.IsInf(opt.BlockMean, 0):
		return opt, fmt.Errorf("montecarlo: block length %v: want a mean of at least 1 period", opt.BlockMean)
	}
	for _, l := range opt.Levels {
		if !(l > 0 && l < 1) {
			return opt, fmt.Errorf("montecarlo: drawdown level %v: want a fraction between 0 and 1", l)
		}
	}
	return opt, nil
}

// years is the run's length in years: len(Returns)/PeriodsPerYear, NaN
// when either is missing.
func years(in Input) float64 {
	if len(in.Returns) == 0 || !(in.PeriodsPerYear > 0) {
		return math.NaN()
	}
	return float64(len(in.Returns)) / in.PeriodsPerYear
}

// generator makes paths. path writes the equity after each step of one
// path, drawn from rng, into eq (len(eq) is steps()); a generator is safe for
// concurrent use.
type generator interface {
	steps() int
	unit() string
	exact() bool
	path(rng *rand.Rand, eq []float64)
	// actual writes the run's own path: the trades in the order they
	// closed, or the returns in order.
	actual(eq []float64)
}

// pathStats are one path's measures.
type pathStats struct {
	final, maxDD float64
	longest      int
	ruined       bool
	fan          []float64 // equity at the fan's steps
}

// run makes opt.Paths paths with g on opt.Jobs goroutines and summarizes
// them.
func run(ctx context.Context, m Method, g generator, in Input, opt Options, yrs float64) (Result, error) {
	initial := in.Initial.InexactFloat64()
	n := g.steps()
	fanSteps := fanSteps(n)
	stats := make([]pathStats, opt.Paths)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(opt.Jobs, opt.Paths) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			eq := make([]float64, n)
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= opt.Paths || ctx.Err() != nil {
					return
				}
				rng := rand.New(rand.NewPCG(opt.Seed, pathSeed(m, i)))
				g.path(rng, eq)
				stats[i] = measure(initial, opt.RuinFloor*initial, eq, fanSteps)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("montecarlo: %w", err)
	}
	r := summarize(m, g, stats, opt, fanSteps, initial, yrs)
	eq := make([]float64, n)
	g.actual(eq)
	r.Actual = measure(initial, opt.RuinFloor*initial, eq, fanSteps).fan
	return r, nil
}

// pathSeed is the second PCG seed of path i of method m: a hash of the
// method's name in the high bits, xor the path's index, so that methods
// and paths draw different streams.
func pathSeed(m Method, i int) uint64 {
	var k uint64
	for _, c := range []byte(m) {
		k = k*131 + uint64(c)
	}
	return k<<32 ^ uint64(i)
}

// fanSteps returns the steps (0..n) the fan chart samples: all when there
// are at most FanPoints, else FanPoints spread evenly, 0 and n included.
func fanSteps(n int) []int {
	k := min(n+1, FanPoints)
	s := make([]int, k)
	for j := range s {
		if k == 1 {
			break
		}
		s[j] = int(math.Round(float64(j) * float64(n) / float64(k-1)))
	}
	return s
}

// measure returns the measures of the path eq that starts at initial.
func measure(initial, floor float64, eq []float64, fanSteps []int) pathStats {
	st := pathStats{final: initial, fan: make([]float64, len(fanSteps))}
	peak, run := initial, 0
	for _, e := range eq {
		if e > peak {
			peak = e
		}
		if e < peak {
			run++
			st.longest = max(st.longest, run)
			st.maxDD = max(st.maxDD, 1-e/peak)
		} else {
			run = 0
		}
		if e < floor {
			st.ruined = true
		}
		st.final = e
	}
	for j, s := range fanSteps {
		if s == 0 {
			st.fan[j] = initial
		} else {
			st.fan[j] = eq[s-1]
		}
	}
	return st
}

// summarize gathers the paths' measures, in path order, into a Result.
func summarize(m Method, g generator, stats []pathStats, opt Options, fanSteps []int, initial, yrs float64) Result {
	r := Result{Method: m, Steps: g.steps(), Unit: g.unit(), Exact: g.exact(), DrawdownOver: []Probability{}}
	if m == MethodBlock {
		r.BlockMean = opt.BlockMean
	}
	n := float64(len(stats))
	final, cagr, dd, longest := make([]float64, len(stats)), make([]float64, len(stats)), make([]float64, len(stats)), make([]float64, len(stats))
	ruined := 0
	for i, s := range stats {
		final[i], dd[i], longest[i] = s.final, s.maxDD, float64(s.longest)
		cagr[i] = CAGR(initial, s.final, yrs)
		if s.ruined {
			ruined++
		}
	}
	r.FinalEquity, r.CAGR, r.MaxDrawdown, r.LongestDrawdown = quantiles(final), quantiles(cagr), quantiles(dd), quantiles(longest)
	for _, l := range opt.Levels {
		c := 0
		for _, d := range dd {
			if d > l {
				c++
			}
		}
		r.DrawdownOver = append(r.DrawdownOver, Probability{Level: l, Probability: float64(c) / n})
	}
	r.Ruin = float64(ruined) / n
	col := make([]float64, len(stats))
	for j, s := range fanSteps {
		for i := range stats {
			col[i] = stats[i].fan[j]
		}
		r.Fan = append(r.Fan, FanPoint{Step: s, Quantiles: quantiles(col)})
	}
	r.Histogram = histogram(dd)
	return r
}

// CAGR returns the compound annual growth rate from initial to final
// over years: (final/initial)^(1/years) − 1; NaN when final is not
// positive or years is not.
func CAGR(initial, final, years float64) float64 {
	if !(final > 0) || !(years > 0) || !(initial > 0) {
		return math.NaN()
	}
	return math.Pow(final/initial, 1/years) - 1
}

// quantiles returns the QuantileLevels quantiles of v, leaving out NaN
// values; NaN where none is left. The rule is numpy's default "linear"
// (Hyndman–Fan type 7), metrics.Percentile's.
func quantiles(v []float64) Quantiles {
	w := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) {
			w = append(w, x)
		}
	}
	var q [5]float64
	for i, l := range QuantileLevels {
		q[i] = metrics.Percentile(metrics.Slice(w), l*100)
	}
	return Quantiles{q[0], q[1], q[2], q[3], q[4]}
}

// histogram counts dd in HistogramBins equal bins from 0 to max(dd) (1
// when every drawdown is 0).
func histogram(dd []float64) []Bin {
	top := 0.0
	for _, d := range dd {
		top = max(top, d)
	}
	if top == 0 {
		top = 1
	}
	bins := make([]Bin, HistogramBins)
	w := top / HistogramBins
	for i := range bins {
		bins[i].From, bins[i].To = float64(i)*w, float64(i+1)*w
	}
	bins[len(bins)-1].To = top
	for _, d := range dd {
		i := min(int(d/w), HistogramBins-1)
		bins[i].Count++
	}
	return bins
}
