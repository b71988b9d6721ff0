package indicator

import (
	"math/rand/v2"
	"testing"
)

// TestOstree checks count and sum below a bound against a plain scan,
// over a sliding window of values with many repeats.
func TestOstree(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 17
	tree := newOstree(n)
	var win []float64
	for step := range 3000 {
		if len(win) == n {
			tree.remove(win[0])
			win = win[1:]
		}
		x := float64(rng.IntN(8)) / 4
		tree.insert(x)
		win = append(win, x)
		bound := float64(rng.IntN(10))/4 - 0.125*float64(rng.IntN(2))
		var c int32
		var s float64
		for _, v := range win {
			if v < bound {
				c++
				s += v
			}
		}
		gc, gs := tree.below(bound)
		if gc != c || gs != s || tree.count(tree.root) != int32(len(win)) {
			t.Fatalf("step %d: below(%v) = %d, %v, want %d, %v (size %d)", step, bound, gc, gs, c, s, tree.count(tree.root))
		}
	}
}
