package store

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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

// runBlocks are the block sums of a run's returns for a sweep's PBO, and
// the number of its returns.
type runBlocks struct {
	returns int
	sums    []blockSums
}

// keepBlocks keeps the block sums of the runs that RecordAll added as
// members of the sweep sweepID, for its Analyze.
func (s *Store) keepBlocks(sweepID string, runs []*Run, added []bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocks == nil {
		s.blocks = map[string]map[string]runBlocks{}
	}
	kept := s.blocks[sweepID]
	if kept == nil {
		kept = map[string]runBlocks{}
		s.blocks[sweepID] = kept
	}
	for i, run := range runs {
		if !added[i] {
			continue
		}
		b := runBlocks{returns: len(run.BarReturns)}
		if b.returns >= PBOBlocks {
			b.sums = splitBlocks(run.BarReturns, PBOBlocks)
		}
		kept[run.ID] = b
	}
}

// takeBlocks returns the block sums keepBlocks kept for the sweep
// sweepID and forgets them.
func (s *Store) takeBlocks(sweepID string) map[string]runBlocks {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.blocks[sweepID]
	delete(s.blocks, sweepID)
	return kept
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
	byBlock := make([][]blockSums, blocks)
	for b := range byBlock {
		byBlock[b] = make([]blockSums, n)
		for i, s := range sums {
			byBlock[b][i] = s[b]
		}
	}
	// The splits are walked as a tree of the blocks' choices, in or out,
	// from block 0: the splits under a node share the sums of the blocks
	// above it, added in block order as each split alone would add them.
	// A split's blocks out of it are those of its complement, also a
	// split: only the splits with block 0 in are walked, each giving the
	// logits of both. The subtrees under the choices of the first blocks
	// go to GOMAXPROCS goroutines, each logit in its split's place, so the
	// result is the same for any number.
	depth := min(blocks, 6)
	var prefixes []uint32
	for p := uint32(1); p < 1<<depth; p += 2 {
		if ones := bits.OnesCount32(p); ones <= blocks/2 && depth-ones <= blocks/2 {
			prefixes = append(prefixes, p)
		}
	}
	res.Logits = make([]float64, len(masks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(prefixes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newSplitWalker(byBlock, masks, res.Logits)
			for {
				k := int(next.Add(1) - 1)
				if k >= len(prefixes) {
					return
				}
				w.walkFrom(prefixes[k], depth)
			}
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

// splitWalker computes the logits of the splits under a node of the tree
// of the blocks' choices (see cscv).
type splitWalker struct {
	byBlock [][]blockSums // the trials' sums of each block
	masks   []uint32      // the splits in ascending order
	dst     []float64     // the logit of each of masks
	// in[j] and out[j] are each trial's sums of the first j blocks of
	// the path walked that are in the mask and out of it.
	in, out [][]blockSums
	// train and test are the trials' Sharpe ratios in a split and out
	// of it.
	train, test []float64
}

// newSplitWalker returns a walker of the splits of the trials whose
// sums of each block are byBlock, setting dst[k] to the logit of masks[k].
func newSplitWalker(byBlock [][]blockSums, masks []uint32, dst []float64) *splitWalker {
	n, half := len(byBlock[0]), len(byBlock)/2
	w := &splitWalker{byBlock: byBlock, masks: masks, dst: dst,
		in: make([][]blockSums, half+1), out: make([][]blockSums, half+1),
		train: make([]float64, n), test: make([]float64, n)}
	for j := range w.in {
		w.in[j], w.out[j] = make([]blockSums, n), make([]blockSums, n)
	}
	return w
}

// walkFrom sets the logits of the splits whose first depth blocks are
// chosen as in prefix.
func (w *splitWalker) walkFrom(prefix uint32, depth int) {
	ones := 0
	for b := range depth {
		if prefix&(1<<b) != 0 {
			addBlock(w.in[ones+1], w.in[ones], w.byBlock[b])
			ones++
		} else {
			addBlock(w.out[b-ones+1], w.out[b-ones], w.byBlock[b])
		}
	}
	w.walk(depth, prefix, ones)
}

// walk sets the logits of the splits under the node of block b, whose
// choices above are those of mask, ones of them in.
func (w *splitWalker) walk(b int, mask uint32, ones int) {
	half := len(w.byBlock) / 2
	if b == len(w.byBlock) {
		in, out := w.in[half], w.out[half]
		for i := range in {
			w.train[i], w.test[i] = in[i].sharpe(), out[i].sharpe()
		}
		k, _ := slices.BinarySearch(w.masks, mask)
		w.dst[k] = logit(w.train, w.test)
		k, _ = slices.BinarySearch(w.masks, ^mask&(1<<b-1))
		w.dst[k] = logit(w.test, w.train)
		return
	}
	if ones < half {
		addBlock(w.in[ones+1], w.in[ones], w.byBlock[b])
		w.walk(b+1, mask|1<<b, ones+1)
	}
	if zeros := b - ones; zeros < half {
		addBlock(w.out[zeros+1], w.out[zeros], w.byBlock[b])
		w.walk(b+1, mask, ones)
	}
}

// addBlock sets dst to each trial's sums of acc and then block.
func addBlock(dst, acc, block []blockSums) {
	for i, bs := range block {
		dst[i] = blockSums{n: acc[i].n + bs.n, sum: acc[i].sum + bs.sum, sumSq: acc[i].sumSq + bs.sumSq}
	}
}

// logit returns the logit of a split whose trials' Sharpe ratios are
// train in the split's blocks and test in the others.
func logit(train, test []float64) float64 {
	best := 0
	for i := range train {
		if train[i] > train[best] || (math.IsNaN(train[best]) && !math.IsNaN(train[i])) {
			best = i
		}
	}
	w := rankOf(test, best) / float64(len(train)+1)
	return math.Log(w / (1 - w))
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
