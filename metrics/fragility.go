package metrics

import "math"

// BetaFragilityHeuristic returns empyrical's beta fragility heuristic of r
// against the aligned benchmark b (empyrical beta_fragility_heuristic,
// after the IMF working paper WP/12/216, "A New Heuristic Measure of
// Fragility and Tail Risks: Application to Stress Testing"). It compares a
// weighted mean of the strategy's returns at the benchmark's lowest and
// highest values with its return at the benchmark's middle value. A
// negative value says the strategy does better in the middle than at the
// extremes, so losses could follow a change in beta; its size is the size
// of the potential loss.
//
// The rows where either value is NaN are dropped (pairwise deletion). The m
// rows left are ordered by benchmark value, equal values in row order (a
// stable sort; -0 equals +0), and three are taken: s, the first; e, the
// last; and c, the one at position round(m/2) (0-based, halves rounded to
// even as Python's round does: m = 3 gives 2, m = 5 gives 2). With
// Δ = b_e - b_s, the weights are w_s = (b_c - b_s)/Δ and w_e = (b_e - b_c)/Δ,
// or 1/2 each when Δ is 0, and
//
//	H = w_s·r_s + w_e·r_e - r_c
//
// evaluated in that order. These are empyrical's weights: the linear
// interpolation between s and e at b_c would swap them. It is NaN if
// len(r) < 3 (NaN rows counted) or if no row is valid (where empyrical
// raises an error). One valid row gives 0.
// empyrical 0.5.5 sorts with an unstable sort, so where the benchmark has
// equal values at a taken position its choice of row is unspecified;
// empyrical-reloaded sorts stably, as here.
//
// It reads the series a fixed, small number of times (the middle value is
// found by selection, as in [Percentile]) and panics if the lengths differ.
func BetaFragilityHeuristic(r, b Column) float64 {
	mustSameLength(r, b)
	if r.Len() < 3 {
		return math.NaN()
	}
	var m int
	var rs, bs, re, be float64
	for x, y := range zipColumns(r, b) {
		for i, w := range y {
			v := x[i]
			if math.IsNaN(v) || math.IsNaN(w) {
				continue
			}
			if m == 0 || w < bs {
				rs, bs = v, w
			}
			if m == 0 || w >= be {
				re, be = v, w
			}
			m++
		}
	}
	if m == 0 {
		return math.NaN()
	}
	rc, bc := middleRow(r, b, m)
	ws, we := 0.5, 0.5
	if span := be - bs; span != 0 {
		ws, we = (bc-bs)/span, (be-bc)/span
	}
	return float64(ws*rs) + float64(we*re) - rc
}

// middleRow returns the row (r, b) at position round(m/2), halves to even,
// of the m rows of r and b without a NaN, ordered stably by b.
func middleRow(r, b Column, m int) (rc, bc float64) {
	k := m / 2
	if m%2 == 1 && k%2 == 1 {
		k++
	}
	// The benchmark values of the valid rows, NaN elsewhere, with -0 made
	// +0 so that the selection's order ties them as a sort does.
	valid := pairwise{r, b, func(v, w float64) float64 {
		if math.IsNaN(v) {
			return math.NaN()
		}
		return w + 0
	}}
	var sel selector
	sel.scan(valid, true)
	bc = sel.find(valid, []int{k})[0]
	// k is the (k-below)-th of the rows whose benchmark equals bc, in row
	// order, where below rows have a smaller benchmark.
	below := 0
	for ch := range valid.Chunks() {
		for _, w := range ch {
			if w < bc {
				below++
			}
		}
	}
	j := k - below
	for x, y := range zipColumns(r, valid) {
		for i, w := range y {
			if w == bc {
				if j == 0 {
					return x[i], bc
				}
				j--
			}
		}
	}
	return math.NaN(), bc // not reached: the selection found bc among the rows
}
