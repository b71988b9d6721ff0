package spill

import (
	"math"
	"testing"
)

// TestRuns appends series of several shapes to Runs of several limits
// and reads them back twice: the same values, bit for bit, in chunks of
// exactly ChunkLen but the last, and the runs in memory only while they
// are within the limit.
func TestRuns(t *testing.T) {
	n := 5*ChunkLen + 7
	minutes := make([]int64, n) // sessions of 390 minutes a day
	for i := range minutes {
		minutes[i] = int64(i/390)*86400e9 + int64(i%390)*60e9
	}
	irregular := make([]int64, n)
	for i := range irregular {
		irregular[i] = int64(i*i) - 5e9
	}
	cash := make([]float64, n) // changes every 100 values, -0 and a NaN among them
	for i := range cash {
		cash[i] = float64(i/100) * 1.25
	}
	cash[5*100], cash[5*100+1] = math.Copysign(0, -1), math.Copysign(0, -1)
	cash[7*100] = math.NaN()
	for _, tc := range []struct {
		name   string
		ints   []int64
		floats []float64
		runs   int // the runs of the whole series
	}{
		{name: "minutes", ints: minutes, runs: (n + 389) / 390},
		{name: "irregular", ints: irregular, runs: (n + 1) / 2},
		{name: "constant", ints: make([]int64, n), runs: 1},
		{name: "cash", floats: cash, runs: (n+99)/100 + 2 + 1},
		{name: "empty", floats: []float64{}, runs: 0},
	} {
		for _, maxRuns := range []int{1, 100, 1 << 20} {
			if tc.ints != nil {
				r := NewRuns[int64](true, maxRuns, ChunkLen, t.TempDir())
				checkRuns(t, tc.name, r, tc.ints, tc.runs <= maxRuns)
			} else {
				r := NewRuns[float64](false, maxRuns, ChunkLen, t.TempDir())
				checkRuns(t, tc.name, r, tc.floats, tc.runs <= maxRuns)
			}
		}
	}
}

// checkRuns appends want to r and reads it back; inMemory says whether
// the values must still be runs.
func checkRuns[T Number](t *testing.T, name string, r *Runs[T], want []T, inMemory bool) {
	t.Helper()
	for _, v := range want {
		r.Append(v)
	}
	if r.Len() != len(want) {
		t.Fatalf("%s: Len %d, want %d", name, r.Len(), len(want))
	}
	if inMemory != (r.s == nil) {
		t.Errorf("%s, %d runs at most: in memory %v, want %v", name, r.limit, r.s == nil, inMemory)
	}
	for pass := range 2 {
		var got []T
		chunks := 0
		for c := range r.Chunks() {
			if chunks++; len(c) != ChunkLen && len(got)+len(c) != len(want) {
				t.Fatalf("%s: chunk %d of %d values", name, chunks, len(c))
			}
			got = append(got, c...)
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s pass %d: %d values, want %d", name, pass, len(got), len(want))
		}
		for i := range got {
			if bits(got[i]) != bits(want[i]) {
				t.Fatalf("%s pass %d: value %d = %v, want %v", name, pass, i, got[i], want[i])
			}
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}
