package store

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sync"
)

// PBO is the probability of backtest overfitting of a set of trials by
// combinatorially symmetric cross-validation (Bailey, Borwein, López de
// Prado and Zhu, "The Probability of Backtest Overfitting", 2015).
type PBO struct {
	// Blocks is S, the number of blocks the bars are cut into; Splits
	// the number of splits of the blocks into halves, S choose S/2;
	// Trials is N.
	Blocks, Splits, Trials int
	// PBO is the fraction of splits whose logit is at most 0: those in
	// which the trial best in sample ranks in the lower half out of
	// sample.
	PBO float64
	// Logits are the splits' logits λ = ln(ω/(1-ω)), in the order of
	// the splits' bit masks, where ω is the out-of-sample rank of the
	// in-sample best trial divided by N+1.
	Logits []float64
}

// blockSums are the count, sum and sum of squares of the non-NaN returns
// of one trial in one block.
type blockSums struct {
	n          int
	sum, sumSq float64
}

// splitBlocks returns the sums of r in blocks contiguous blocks: block b
// holds the returns from index b·T/blocks up to (b+1)·T/blocks.
func splitBlocks(r []float64, blocks int) []blockSums {
	out := make([]blockSums, blocks)
	for b := range blocks {
		for _, x := range r[b*len(r)/blocks : (b+1)*len(r)/blocks] {
			if !math.IsNaN(x) {
				out[b].n++
				out[b].sum += x
				out[b].sumSq += x * x
			}
		}
	}
	return out
}

// CSCV returns the PBO of the trials whose per-bar returns are series,
// one series a trial, all of one length T, cut into blocks blocks (an
// even number from 2 to 24, at most T). Each trial's performance on a
// set of blocks is its per-period Sharpe ratio there, mean/std with the
// sample (n-1) standard deviation; ranks of equal performances are
// averaged, and the in-sample best is the first of equals.
func CSCV(series [][]float64, blocks int) (*PBO, error) {
	sums := make([][]blockSums, len(series))
	for i, r := range series {
		if len(r) != len(series[0]) {
			return nil, fmt.Errorf("pbo: trial %d has %d returns, trial 0 has %d", i, len(r), len(series[0]))
		}
		if blocks > len(r) {
			return nil, fmt.Errorf("pbo: %d blocks of %d returns", blocks, len(r))
		}
		sums[i] = splitBlocks(r, blocks)
	}
	return cscv(sums, blocks)
}

// cscv is CSCV from each trial's block sums.
func cscv(sums [][]blockSums, blocks int) (*PBO, error) {
	if blocks < 2 || blocks > 24 || blocks%2 != 0 {
		return nil, fmt.Errorf("pbo: %d blocks: want an even number from 2 to 24", blocks)
	}
	n := len(sums)
	if n < 2 {
		return nil, errors.New("pbo: want at least 2 trials")
	}
	res := &PBO{Blocks: blocks, Trials: n}
	var masks []uint32
	for mask := uint32(0); mask < 1<<blocks; mask++ {
		if bits.OnesCount32(mask) == blocks/2 {
			masks = append(masks, mask)
		}
	}
	// The splits are independent: parts of them go on GOMAXPROCS
	// goroutines, each logit in its split's place, so the result is the
	// same for any number.
	res.Logits = make([]float64, len(masks))
	parts := min(runtime.GOMAXPROCS(0), len(masks))
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := p*len(masks)/parts, (p+1)*len(masks)/parts
			logits(res.Logits[lo:hi], sums, masks[lo:hi])
		}()
	}
	wg.Wait()
	below := 0
	for _, l := range res.Logits {
		if l <= 0 {
			below++
		}
	}
	res.Splits = len(res.Logits)
	res.PBO = float64(below) / float64(res.Splits)
	return res, nil
}

// logits sets dst[k] to the logit of the split masks[k] of the trials
// whose block sums are sums.
func logits(dst []float64, sums [][]blockSums, masks []uint32) {
	n := len(sums)
	train, test := make([]float64, n), make([]float64, n)
	for k, mask := range masks {
		for i, s := range sums {
			train[i], test[i] = sharpesOf(s, mask)
		}
		best := 0
		for i := range train {
			if train[i] > train[best] || (math.IsNaN(train[best]) && !math.IsNaN(train[i])) {
				best = i
			}
		}
		w := rankOf(test, best) / float64(n+1)
		dst[k] = math.Log(w / (1 - w))
	}
}

// sharpesOf returns the Sharpe ratios of the blocks of s in mask and of
// those not in it, summing each in block order.
func sharpesOf(s []blockSums, mask uint32) (in, out float64) {
	var a, b blockSums
	for i, bs := range s {
		t := &b
		if mask&(1<<i) != 0 {
			t = &a
		}
		t.n += bs.n
		t.sum += bs.sum
		t.sumSq += bs.sumSq
	}
	return a.sharpe(), b.sharpe()
}

// sharpe returns the Sharpe ratio of the sums: mean over sample standard
// deviation; NaN for fewer than 2 returns or no variance.
func (t blockSums) sharpe() float64 {
	if t.n < 2 {
		return math.NaN()
	}
	mean := t.sum / float64(t.n)
	v := (t.sumSq - t.sum*mean) / float64(t.n-1)
	if v <= 0 {
		return math.NaN()
	}
	return mean / math.Sqrt(v)
}

// rankOf returns the rank, from 1, of x[i] among x in ascending order,
// equal values sharing the mean of their ranks; NaN ranks below every
// number (and NaNs are equal).
func rankOf(x []float64, i int) float64 {
	v := x[i]
	below, equal := 0, 0
	for _, y := range x {
		switch {
		case math.IsNaN(v) && math.IsNaN(y), y == v:
			equal++
		case math.IsNaN(y) || y < v:
			below++
		}
	}
	return float64(2*below+1+equal) / 2 // the mean of ranks below+1 .. below+equal
}
