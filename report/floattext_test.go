package report

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestFloatText: floatText writes strconv's shortest text of every value
// of series whose values repeat, change sign, are zero of either sign or
// infinite, and of random bits.
func TestFloatText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	random := make([]float64, 10000)
	for i := range random {
		switch i % 4 {
		case 0:
			random[i] = math.Float64frombits(rng.Uint64())
		case 1:
			random[i] = random[i-1] // a repeat
		default:
			random[i] = rng.NormFloat64() * 0.01
		}
	}
	for _, tc := range []struct {
		name string
		xs   []float64
	}{
		{"repeats", []float64{0, 0, -0.1, -0.1, -0.1, 0, 0}},
		{"signed zeros", []float64{0, math.Copysign(0, -1), math.Copysign(0, -1), 0}},
		{"infinities", []float64{math.Inf(1), math.Inf(1), math.Inf(-1), 1e308, 5e-324}},
		{"close values", []float64{0.1, math.Nextafter(0.1, 1), 0.1, math.Nextafter(0.1, 0)}},
		{"random", random},
	} {
		var f floatText
		var got []byte
		for i, x := range tc.xs {
			got = f.append(got[:0], x)
			if want := strconv.FormatFloat(x, 'g', -1, 64); string(got) != want {
				t.Fatalf("%s: value %d (%b): %q, want %q", tc.name, i, math.Float64bits(x), got, want)
			}
		}
	}
}
