package nth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPlace checks Place against a sort: every wanted rank holds the
// value a sort puts there, no value before it is greater and none after
// it smaller, and the values are only reordered; for values with many
// ties, all equal, sorted, reversed and random, and sets of ranks.
func TestPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	gens := map[string]func(i, n int) float64{
		"random":  func(int, int) float64 { return rng.NormFloat64() },
		"ties":    func(int, int) float64 { return float64(rng.IntN(5)) },
		"equal":   func(int, int) float64 { return 7 },
		"sorted":  func(i, _ int) float64 { return float64(i) },
		"reverse": func(i, n int) float64 { return float64(n - i) },
	}
	for name, gen := range gens {
		for _, n := range []int{1, 2, 16, 17, 100, 4600} {
			s := make([]float64, n)
			for i := range s {
				s[i] = gen(i, n)
			}
			want := slices.Sorted(slices.Values(s))
			for _, ranks := range [][]int{{0}, {n - 1}, {0, n - 1}, {n / 20, n / 2, n - 1 - n/20}, {n / 3}} {
				ranks = slices.Compact(ranks)
				got := slices.Clone(s)
				Place(got, ranks...)
				for _, r := range ranks {
					if got[r] != want[r] {
						t.Errorf("%s, n=%d, ranks %v: rank %d is %v, want %v", name, n, ranks, r, got[r], want[r])
					}
					if slices.Max(got[:r+1]) != got[r] || slices.Min(got[r:]) != got[r] {
						t.Errorf("%s, n=%d, ranks %v: rank %d is not between the values around it", name, n, ranks, r)
					}
				}
				if !slices.Equal(slices.Sorted(slices.Values(got)), want) {
					t.Errorf("%s, n=%d: the values changed", name, n)
				}
			}
		}
	}
}

func ExamplePlace() {
	s := []int{9, 1, 8, 2, 7, 3, 6, 4, 5}
	Place(s, 0, 4) // the least value and the median
	fmt.Println(s[0], s[4])
	// Output: 1 5
}
