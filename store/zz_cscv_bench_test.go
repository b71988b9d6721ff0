package store

import "testing"

func BenchmarkZZCSCV(b *testing.B) {
	s := noise(1, 400, 4587, 0)
	sums := make([][]blockSums, len(s))
	for i, r := range s {
		sums[i] = splitBlocks(r, 16)
	}
	for b.Loop() {
		cscv(sums, 16)
	}
}
