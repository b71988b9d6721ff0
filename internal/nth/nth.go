// Package nth places the elements of given ranks of a slice where sorting
// it would put them, in linear time on average, without sorting the rest.
package nth

import (
	"cmp"
	"slices"
)

// Place reorders s so that s[r], for each r of ranks, holds the value that
// sorting s would put there, with no greater value before it and no
// smaller one after it. The ranks must ascend, without repeats, each in
// [0, len(s)); the values of s must be totally ordered by < (no NaN).
//
// Each step splits the part of s that holds ranks not yet placed three
// ways around the median of its first, middle and last values (below,
// equal, above), so that runs of equal values cost no more than distinct
// ones, and goes on only into the parts that hold such ranks; a part of
// at most 16 values is sorted.
func Place[T cmp.Ordered](s []T, ranks ...int) {
	placeFrom(s, ranks, 0)
}

// placeFrom is Place of s, whose first value has the rank off, with the
// ranks counted from there.
func placeFrom[T cmp.Ordered](s []T, ranks []int, off int) {
	for len(ranks) > 0 {
		if len(s) <= 16 {
			slices.Sort(s)
			return
		}
		a, b, c := s[0], s[len(s)/2], s[len(s)-1]
		pivot := max(min(a, b), min(max(a, b), c)) // the median of the three
		lt, i, gt := 0, 0, len(s)                  // s[:lt] < pivot, s[lt:i] == pivot, s[gt:] > pivot
		for i < gt {
			switch v := s[i]; {
			case v < pivot:
				s[lt], s[i] = v, s[lt]
				lt++
				i++
			case v > pivot:
				gt--
				s[gt], s[i] = v, s[gt]
			default:
				i++
			}
		}
		// The ranks below lt are in s[:lt], those from gt in s[gt:]; those
		// between are placed, all equal to pivot.
		below := 0
		for below < len(ranks) && ranks[below] < off+lt {
			below++
		}
		above := below
		for above < len(ranks) && ranks[above] < off+gt {
			above++
		}
		if below > 0 {
			placeFrom(s[:lt], ranks[:below], off)
		}
		s, ranks, off = s[gt:], ranks[above:], off+gt
	}
}
