package report

import (
	"slices"
	"testing"
)

// TestColumn appends across block boundaries (64, then 128, ... up to
// maxBlock values a block) and checks the values in order.
func TestColumn(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 64 + 128, 64 + 128 + 1, 3*maxBlock + 7} {
		var c column[int]
		want := make([]int, 0, n)
		for i := range n {
			c.add(i * 3)
			want = append(want, i*3)
		}
		got := c.slice()
		if c.len() != n || !slices.Equal(got, want) || cap(got) != n {
			t.Fatalf("%d values: len %d, slice of %d (cap %d), want %d", n, c.len(), len(got), cap(got), n)
		}
		for _, b := range c.full {
			if len(b) != cap(b) || cap(b) > maxBlock {
				t.Fatalf("%d values: a full block holds %d of %d", n, len(b), cap(b))
			}
		}
	}
}
