//go:build unix

package cputime

import "testing"

// TestProcessGrows checks that busy work shows in the CPU time and that the
// reading never goes back.
func TestProcessGrows(t *testing.T) {
	before := Process()
	x := uint64(1)
	for after := Process(); after-before < 20e6; after = Process() { // 20 ms
		if after < before {
			t.Fatalf("CPU time went back from %v to %v", before, after)
		}
		for range 1 << 16 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	if x == 0 {
		t.Log(x) // keeps the loop from being optimized away
	}
}
