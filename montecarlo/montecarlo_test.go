package montecarlo

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"
)

// coinFlips returns n trades, half +1 and half −1.
func coinFlips(n int) []decimal.Decimal {
	t := make([]decimal.Decimal, n)
	for i := range t {
		t[i] = decimal.NewFromInt(int64(1 - 2*(i%2)))
	}
	return t
}

// TestResampleBinomial checks the quantiles of final equity against the
// closed form: drawing n trades of ±1 with replacement from an even mix
// is n fair coin flips, so the final equity is initial + 2B − n with B
// binomial(n, 1/2).
func TestResampleBinomial(t *testing.T) {
	const n, initial = 100, 1000
	in := Input{Initial: decimal.NewFromInt(initial), Trades: coinFlips(n), Returns: []float64{0}, PeriodsPerYear: 1}
	rep, err := Run(context.Background(), in, Options{Paths: 4000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	r := find(t, rep, MethodResample)
	b := distuv.Binomial{N: n, P: 0.5}
	for i, q := range r.FinalEquity.Values() {
		// The smallest lattice value whose CDF reaches the level: the
		// exact quantile; the empirical one (interpolated) lies within one
		// lattice step (2) of it at this many paths (the sampling error of
		// the 5 % quantile is about 0.3 here).
		k := 0.0
		for b.CDF(k) < QuantileLevels[i] {
			k++
		}
		want := initial + 2*k - n
		if math.Abs(q-want) > 2 {
			t.Errorf("quantile %v of final equity = %v, want %v ± 2", QuantileLevels[i], q, want)
		}
	}
	// Ruin below 500 needs 500 net losses of 100 trades: never.
	if r.Ruin != 0 {
		t.Errorf("ruin = %v, want 0", r.Ruin)
	}
}

// TestShuffleKeepsFinalEquity: a permutation keeps the sum, and the sums
// are exact, so every path ends at initial + Σ trades bit for bit, even
// with decimal fractions whose float64 sum depends on the order.
func TestShuffleKeepsFinalEquity(t *testing.T) {
	var trades []decimal.Decimal
	for _, s := range []string{"0.1", "0.2", "-0.3", "1e-7", "12345.67", "-999.99", "0.7", "-0.05"} {
		trades = append(trades, decimal.RequireFromString(s))
	}
	in := Input{Initial: decimal.RequireFromString("10000.01"), Trades: trades, Returns: []float64{0.01}, PeriodsPerYear: 252}
	rep, err := Run(context.Background(), in, Options{Paths: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := find(t, rep, MethodShuffle)
	want := in.Initial.Add(decimal.Sum(trades[0], trades[1:]...)).InexactFloat64() // 21345.7200001
	if !r.Exact {
		t.Fatal("shuffle paths are not exact")
	}
	for i, q := range r.FinalEquity.Values() {
		if q != want {
			t.Errorf("quantile %v of final equity = %v, want %v exactly", QuantileLevels[i], q, want)
		}
	}
	if last := r.Fan[len(r.Fan)-1]; last.Step != len(trades) || last.Quantiles.P5 != want || last.Quantiles.P95 != want {
		t.Errorf("last fan point = %+v, want step %d at %v", last, len(trades), want)
	}
}

// TestMeasureByHand checks one path's measures worked out by hand.
func TestMeasureByHand(t *testing.T) {
	// 100 → 110 → 99 → 88 → 105 → 121 → 60: peaks 110 then 121; below the
	// peak at 99, 88, 105 (3 steps), then at 60 (1 step); the largest
	// drawdown is 1 − 60/121; 60 is below the floor 70.
	eq := []float64{110, 99, 88, 105, 121, 60}
	st := measure(100, 70, eq, []int{0, 3, 6})
	if st.final != 60 || st.longest != 3 || !st.ruined || st.maxDD != 1-60.0/121 {
		t.Errorf("measure = %+v", st)
	}
	if want := []float64{100, 88, 60}; !equal(st.fan, want) {
		t.Errorf("fan = %v, want %v", st.fan, want)
	}
}

// TestBlockMeanOneIsIID: with mean block length 1 every return starts a
// new block, so a path is an i.i.d. draw of returns; with returns of
// +10 % and −10 % in equal number, the final equity after n periods is
// initial·1.1^B·0.9^(n−B), B binomial(n, 1/2), and its median is at
// B = n/2.
func TestBlockMeanOneIsIID(t *testing.T) {
	const n = 50
	r := make([]float64, n)
	for i := range r {
		r[i] = 0.1 - 0.2*float64(i%2)
	}
	in := Input{Initial: decimal.NewFromInt(1), Returns: r, PeriodsPerYear: 252}
	rep, err := Run(context.Background(), in, Options{Paths: 4000, Seed: 3, BlockMean: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := find(t, rep, MethodBlock)
	want := math.Pow(1.1, n/2) * math.Pow(0.9, n/2)
	// One lattice step either side: a factor 1.1/0.9.
	if q := got.FinalEquity.P50; q < want*0.9/1.1*0.999 || q > want*1.1/0.9*1.001 {
		t.Errorf("median final equity = %v, want %v within one step", q, want)
	}
	if got.BlockMean != 1 || got.Steps != n || got.Unit != "periods" {
		t.Errorf("result = %+v", got)
	}
}

// TestDeterministicAcrossJobs: the report is byte for byte the same for
// any number of workers.
func TestDeterministicAcrossJobs(t *testing.T) {
	in := Input{Initial: decimal.NewFromInt(1000), Trades: coinFlips(37), PeriodsPerYear: 252}
	for i := range 300 {
		in.Returns = append(in.Returns, math.Sin(float64(i))/50)
	}
	var first []byte
	for _, jobs := range []int{1, 2, 4} {
		rep, err := Run(context.Background(), in, Options{Paths: 300, Seed: 42, Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatalf("jobs %d gives another report", jobs)
		}
	}
	// Another seed gives other numbers.
	rep, _ := Run(context.Background(), in, Options{Paths: 300, Seed: 43})
	if b, _ := json.Marshal(rep); bytes.Equal(b, first) {
		t.Error("seed 43 gives the report of seed 42")
	}
}

// TestBadOptions: each bad option is named.
func TestBadOptions(t *testing.T) {
	in := Input{Initial: decimal.NewFromInt(1), Returns: []float64{0}}
	for _, opt := range []Options{{Paths: -1}, {Paths: MaxPaths + 1}, {Jobs: -2}, {RuinFloor: 1.5}, {BlockMean: 0.5}, {Levels: []float64{2}}} {
		if _, err := Run(context.Background(), in, opt); err == nil {
			t.Errorf("Run with %+v: no error", opt)
		}
	}
	if _, err := Run(context.Background(), Input{}, Options{}); err == nil {
		t.Error("Run with no initial equity: no error")
	}
}

// TestCAGRNaNIsNull: a run of unknown length has no CAGR, written null.
func TestCAGRNaNIsNull(t *testing.T) {
	in := Input{Initial: decimal.NewFromInt(10), Trades: coinFlips(4)}
	rep, err := Run(context.Background(), in, Options{Paths: 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep.Results[0].CAGR)
	if err != nil || string(b) != `{"p5":null,"p25":null,"p50":null,"p75":null,"p95":null}` {
		t.Errorf("CAGR = %s, %v", b, err)
	}
	if b, err := json.Marshal(rep); err != nil || !bytes.Contains(b, []byte(`"years":null`)) {
		t.Errorf("report: %v, years not null in %s", err, b)
	}
}

func find(t *testing.T, rep *Report, m Method) Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Method == m {
			return r
		}
	}
	t.Fatalf("no %s result", m)
	return Result{}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestQuantiles works numpy's linear rule by hand: sorted 1..5 (the NaN
// left out), q at position 4q: 0.05 → 1.2, 0.25 → 2, 0.5 → 3, 0.75 → 4,
// 0.95 → 4.8; no value left gives NaN.
func TestQuantiles(t *testing.T) {
	if got, want := quantiles([]float64{5, math.NaN(), 1, 4, 2, 3}).Values(), [5]float64{1.2, 2, 3, 4, 4.8}; !slices.EqualFunc(got[:], want[:], func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }) {
		t.Errorf("quantiles = %v, want %v", got, want)
	}
	for _, q := range quantiles([]float64{math.NaN()}).Values() {
		if !math.IsNaN(q) {
			t.Errorf("quantiles of NaN alone = %v, want NaN", q)
		}
	}
}

// TestInexactFallback: P&L too large for int64 sums falls back to
// float64 sums, says so, and still gives the paths.
func TestInexactFallback(t *testing.T) {
	big := decimal.RequireFromString("3e18")
	in := Input{Initial: decimal.NewFromInt(1), Trades: []decimal.Decimal{big, big.Neg(), big}}
	rep, err := Run(context.Background(), in, Options{Paths: 20})
	if err != nil {
		t.Fatal(err)
	}
	r := find(t, rep, MethodShuffle)
	if r.Exact || r.FinalEquity.P50 != 3e18+1 {
		t.Errorf("exact %v, median final equity %v; want inexact, 3e18+1 in float64", r.Exact, r.FinalEquity.P50)
	}
}

// TestActualPath: the run's own path is the trades in their order and
// the returns compounded in order, at the fan's steps.
func TestActualPath(t *testing.T) {
	in := Input{Initial: decimal.NewFromInt(100), Trades: []decimal.Decimal{decimal.NewFromInt(10), decimal.NewFromInt(-30)},
		Returns: []float64{0.5, -0.5}, PeriodsPerYear: 2}
	rep, err := Run(context.Background(), in, Options{Paths: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, rep, MethodShuffle).Actual; !equal(got, []float64{100, 110, 80}) {
		t.Errorf("shuffle's actual path = %v, want [100 110 80]", got)
	}
	if got := find(t, rep, MethodBlock).Actual; !equal(got, []float64{100, 150, 75}) {
		t.Errorf("block's actual path = %v, want [100 150 75]", got)
	}
}
