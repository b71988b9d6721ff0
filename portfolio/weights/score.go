package weights

import (
	"cmp"
	"math"
	"slices"
)

// Top returns the indices of the k highest scores, highest first. Equal
// scores rank by index, lower first, so that with assets sorted by
// symbol, ties go by symbol name. NaN scores are never chosen; fewer than
// k indices are returned when fewer than k scores are numbers.
func Top(scores []float64, k int) []int {
	idx := make([]int, 0, len(scores))
	for i, s := range scores {
		if !math.IsNaN(s) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	return idx[:max(0, min(k, len(idx)))]
}
