package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sortedQuantile is quantile spelled out over a sorted copy, the test's
// reference: s[i] + (pos - i)·(s[i+1] - s[i]).
func sortedQuantile(x []float64, q float64) float64 {
	s := slices.Sorted(slices.Values(x))
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

// TestQuantileBySelection: the quartiles found by selection are, bit for
// bit, those of the sorted values, and the trade histogram is the one the
// sorted values give, on values of every arrangement: distinct, few
// distinct values many times over, one value, sorted, reversed, and
// lengths 1 to 3.
func TestQuantileBySelection(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var cases [][]float64
	for _, n := range []int{1, 2, 3, 4, 5, 7, 10, 100, 1001, 5000} {
		distinct := make([]float64, n)
		few := make([]float64, n)
		same := make([]float64, n)
		for i := range n {
			distinct[i] = r.NormFloat64() * 0.02
			few[i] = float64(r.IntN(4)-1) * 0.125
			same[i] = -0.03
		}
		sorted := slices.Sorted(slices.Values(distinct))
		reversed := slices.Clone(sorted)
		slices.Reverse(reversed)
		cases = append(cases, distinct, few, same, sorted, reversed)
	}
	for _, x := range cases {
		for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
			s := slices.Clone(x)
			got, want := quantile(s, q), sortedQuantile(x, q)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("quantile %v of %d values = %v, want %v", q, len(x), got, want)
			}
			if !slices.Equal(slices.Sorted(slices.Values(s)), slices.Sorted(slices.Values(x))) {
				t.Fatalf("quantile changed the values, not only their order")
			}
		}
		got := tradeReturnHistogram(x, 7)
		// %v writes the shortest text that reads back to each float.
		if want := sortedHistogram(x, 7); fmt.Sprintf("%v", got) != fmt.Sprintf("%v", want) {
			t.Fatalf("histogram of %d values = %+v, want %+v", len(x), got, want)
		}
	}
}

// sortedHistogram is tradeReturnHistogram with the quartiles and the
// extremes read from a sorted copy.
func sortedHistogram(x []float64, bins int) histogram {
	h := histogram{N: len(x), Mean: math.NaN(), SD: math.NaN()}
	s := slices.Sorted(slices.Values(x))
	q1, q3 := sortedQuantile(x, 0.25), sortedQuantile(x, 0.75)
	iqr := q3 - q1
	h.Lo, h.Hi = s[0], s[len(s)-1]
	if iqr > 0 {
		h.Lo, h.Hi = max(h.Lo, q1-3*iqr), min(h.Hi, q3+3*iqr)
	}
	h.fill(slices.Values(x), bins)
	return h
}
