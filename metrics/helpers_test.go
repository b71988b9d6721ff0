package metrics_test

import (
	"math"
	"math/rand/v2"
	"testing"
)

// same reports whether got and want are the same float64 value, treating
// all NaNs as equal and distinguishing +Inf from -Inf.
func same(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return got == want
}

// checkSame fails the test unless got is exactly want (NaN equals NaN).
func checkSame(t *testing.T, name string, got, want float64) {
	t.Helper()
	if !same(got, want) {
		t.Errorf("%s = %v (%b), want exactly %v (%b)", name, got, got, want, want)
	}
}

// checkClose fails the test unless got is within relative tolerance tol of
// want (absolute tolerance when want is 0). Non-finite wants must match
// exactly.
func checkClose(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(want) || math.IsInf(want, 0) {
		checkSame(t, name, got, want)
		return
	}
	diff := math.Abs(got - want)
	if want != 0 {
		diff /= math.Abs(want)
	}
	if !(diff <= tol) {
		t.Errorf("%s = %.17g, want %.17g (rel. diff %.3g > %.3g)", name, got, want, diff, tol)
	}
}

// randomReturns returns n deterministic pseudo-random daily-like returns.
func randomReturns(seed uint64, n int, mean, vol float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	r := make([]float64, n)
	for i := range r {
		r[i] = mean + vol*rng.NormFloat64()
	}
	return r
}

// shift returns x[i]+c.
func shift(x []float64, c float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v + c
	}
	return out
}

// scale returns k·x[i].
func scale(x []float64, k float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = k * v
	}
	return out
}

// withNaN returns a copy of x with NaN at the given indexes.
func withNaN(x []float64, idx ...int) []float64 {
	out := append([]float64(nil), x...)
	for _, i := range idx {
		out[i] = math.NaN()
	}
	return out
}

// without returns a copy of x without the given indexes.
func without(x []float64, idx ...int) []float64 {
	drop := map[int]bool{}
	for _, i := range idx {
		drop[i] = true
	}
	var out []float64
	for i, v := range x {
		if !drop[i] {
			out = append(out, v)
		}
	}
	return out
}

var nan = math.NaN()
var inf = math.Inf(1)

// f returns x as a non-constant float64, so that expressions built on it are
// evaluated in float64 arithmetic rather than Go's exact constant arithmetic.
func f(x float64) float64 { return x }
