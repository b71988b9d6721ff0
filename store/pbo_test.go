package store

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestCSCVByHand checks a case worked out by hand: two trials, four
// returns, two blocks. Trial A is best in the first block and worst in
// the second, B the other way round: in both splits the in-sample best
// ranks 1 of 2 out of sample, ω = 1/3, λ = ln(1/2), so PBO is 1.
func TestCSCVByHand(t *testing.T) {
	a := []float64{0.01, 0.03, -0.02, -0.01} // Sharpe 1.414 then -1.414
	b := []float64{0.0, 0.01, 0.01, 0.02}    // 0.707 then 2.121
	p, err := CSCV([][]float64{a, b}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Splits != 2 || p.PBO != 1 || math.Abs(p.Logits[0]-math.Log(0.5)) > 1e-15 || math.Abs(p.Logits[1]-math.Log(0.5)) > 1e-15 {
		t.Fatalf("%+v", p)
	}
	// B alone keeps its rank out of sample when A is worse everywhere.
	c := []float64{-0.01, 0.0, -0.03, -0.01}
	p, _ = CSCV([][]float64{c, b}, 2)
	if p.PBO != 0 || math.Abs(p.Logits[0]-math.Log(2)) > 1e-15 {
		t.Fatalf("%+v", p)
	}
}

func TestRankOf(t *testing.T) {
	x := []float64{3, 1, 2, 2, math.NaN()}
	for i, want := range []float64{5, 2, 3.5, 3.5, 1} {
		if got := rankOf(x, i); got != want {
			t.Errorf("rank of x[%d] = %v, want %v", i, got, want)
		}
	}
}

// noise returns n trials of t independent normal returns, trial 0 with
// the mean edge (in standard deviations).
func noise(seed uint64, n, t int, edge float64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, t)
		for j := range out[i] {
			out[i][j] = 0.01 * rng.NormFloat64()
			if i == 0 {
				out[i][j] += 0.01 * edge
			}
		}
	}
	return out
}

// TestCSCVKnownAnswers: trials of pure noise overfit half the time (PBO
// near 0.5: the in-sample best is a random trial out of sample); one
// trial with a real edge is the best in and out of sample (PBO near 0).
func TestCSCVKnownAnswers(t *testing.T) {
	sum := 0.0
	for seed := range uint64(5) {
		p, err := CSCV(noise(seed, 30, 1600, 0), 16)
		if err != nil {
			t.Fatal(err)
		}
		if p.Splits != 12870 || p.Trials != 30 || len(p.Logits) != 12870 {
			t.Fatalf("%d splits, %d trials", p.Splits, p.Trials)
		}
		sum += p.PBO
	}
	if mean := sum / 5; mean < 0.35 || mean > 0.65 {
		t.Errorf("noise: mean PBO %.3f over 5 seeds, want near 0.5", mean)
	}
	p, err := CSCV(noise(9, 30, 1600, 0.3), 16)
	if err != nil {
		t.Fatal(err)
	}
	if p.PBO > 0.01 {
		t.Errorf("a real edge: PBO %.4f, want near 0", p.PBO)
	}
	for _, bad := range []int{0, 3, 26, 2000} {
		if _, err := CSCV(noise(1, 3, 1000, 0), bad); err == nil {
			t.Errorf("%d blocks: no error", bad)
		}
	}
	if _, err := CSCV(noise(1, 1, 100, 0), 4); err == nil {
		t.Error("one trial: no error")
	}
}

// TestCSCVAnyProcs checks that the logits are the same, bit for bit,
// whatever the number of goroutines the splits are shared by.
func TestCSCVAnyProcs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	series := make([][]float64, 9)
	for i := range series {
		for range 200 {
			series[i] = append(series[i], rng.NormFloat64()*0.01+float64(i)*1e-4)
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first *PBO
	for _, procs := range []int{1, 2, 3, 7} {
		runtime.GOMAXPROCS(procs)
		p, err := CSCV(series, 10)
		if err != nil {
			t.Fatal(err)
		}
		if p.Splits != 252 || len(p.Logits) != 252 {
			t.Fatalf("GOMAXPROCS %d: %d splits, %d logits; want 252 (10 choose 5)", procs, p.Splits, len(p.Logits))
		}
		if first == nil {
			first = p
			continue
		}
		for k := range p.Logits {
			if math.Float64bits(p.Logits[k]) != math.Float64bits(first.Logits[k]) {
				t.Fatalf("GOMAXPROCS %d: logit %d is %v, with 1 it is %v", procs, k, p.Logits[k], first.Logits[k])
			}
		}
		if p.PBO != first.PBO {
			t.Fatalf("GOMAXPROCS %d: PBO %v, with 1 %v", procs, p.PBO, first.PBO)
		}
	}
}

// TestCSCVEachSplit checks the logits of the walk over the tree of the
// blocks' choices, bit for bit, against each split computed alone: its
// blocks' sums added in block order, the in-sample best and its rank out
// of sample, as the definition reads. The trials have NaN returns, ties
// (two equal trials) and a block too short for a Sharpe ratio.
func TestCSCVEachSplit(t *testing.T) {
	for _, blocks := range []int{2, 4, 10, 16} {
		series := noise(uint64(blocks), 7, 40*blocks, 0.1)
		series = append(series, series[3])
		for j := range series[5] {
			if j%9 == 4 {
				series[5][j] = math.NaN()
			}
		}
		for j := range 40 {
			series[6][j] = math.NaN()
		}
		p, err := CSCV(series, blocks)
		if err != nil {
			t.Fatal(err)
		}
		sums := make([][]blockSums, len(series))
		for i, r := range series {
			sums[i] = splitBlocks(r, blocks)
		}
		n := len(series)
		k := 0
		for mask := uint32(0); mask < 1<<blocks; mask++ {
			if bits.OnesCount32(mask) != blocks/2 {
				continue
			}
			train, test := make([]float64, n), make([]float64, n)
			for i, s := range sums {
				var in, out blockSums
				for b, bs := range s {
					acc := &out
					if mask&(1<<b) != 0 {
						acc = &in
					}
					acc.n, acc.sum, acc.sumSq = acc.n+bs.n, acc.sum+bs.sum, acc.sumSq+bs.sumSq
				}
				train[i], test[i] = in.sharpe(), out.sharpe()
			}
			best := 0
			for i := range train {
				if train[i] > train[best] || (math.IsNaN(train[best]) && !math.IsNaN(train[i])) {
					best = i
				}
			}
			w := rankOf(test, best) / float64(n+1)
			if want := math.Log(w / (1 - w)); math.Float64bits(p.Logits[k]) != math.Float64bits(want) {
				t.Fatalf("%d blocks, split %b: logit %v, want %v", blocks, mask, p.Logits[k], want)
			}
			k++
		}
		if k != len(p.Logits) {
			t.Fatalf("%d blocks: %d logits, want %d", blocks, len(p.Logits), k)
		}
	}
}
