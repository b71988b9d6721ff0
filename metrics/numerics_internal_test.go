package metrics

import (
	"math"
	"testing"
)

func TestCompensatedSum(t *testing.T) {
	tests := []struct {
		name string
		x    []float64
		want float64
	}{
		{"cancellation", []float64{1e16, 1, -1e16}, 1},
		{"small terms", []float64{1, 1e-16, 1e-16, 1e-16, 1e-16}, 1 + 4e-16},
		{"tenths", []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 1},
		{"+Inf", []float64{1, math.Inf(1), 2}, math.Inf(1)},
		{"Inf-Inf", []float64{math.Inf(1), math.Inf(-1)}, math.NaN()},
		{"NaN", []float64{1, math.NaN()}, math.NaN()},
		{"empty", nil, 0},
	}
	for _, tt := range tests {
		var s sum
		for _, v := range tt.x {
			s.add(v)
		}
		got := s.value()
		if !(got == tt.want || math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("%s: sum = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Plain summation gets the tenths wrong; the test above is meaningful.
	plain := 0.0
	for range 10 {
		plain += 0.1
	}
	if plain == 1 {
		t.Error("plain summation of ten 0.1 is exact; pick another case")
	}
}

func TestMeanStdShift(t *testing.T) {
	mean, std := meanStdShift(Slice{1, 2, 3, 4, math.NaN()}, 1, 1)
	if mean != 1.5 || std != math.Sqrt(5.0/3) {
		t.Errorf("meanStdShift = %v, %v", mean, std)
	}
	if _, std := meanStdShift(Slice{0.1, 0.1, 0.1}, 0, 1); std != 0 {
		t.Errorf("std of equal values = %v, want 0", std)
	}
	if _, std := meanStdShift(Slice{0.1}, 0, 1); !math.IsNaN(std) {
		t.Errorf("std with count-ddof = 0 is %v, want NaN", std)
	}
	if _, std := meanStdShift(Slice{math.Inf(1), math.Inf(1)}, 0, 1); !math.IsNaN(std) {
		t.Errorf("std of two +Inf = %v, want NaN", std)
	}
}
