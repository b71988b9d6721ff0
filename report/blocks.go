package report

// floatBlocks is a growing column of float64 values kept in blocks that
// are never moved: adding a value copies none of those before it, where
// a slice grown by append copies them all at each growth and, at
// hundreds of thousands of values, touches fresh pages for every new
// array. The blocks double from firstBlock values to maxBlock.
type floatBlocks struct {
	blocks [][]float64
	n      int
}

// The sizes of a floatBlocks' first block and of its largest.
const (
	firstBlock = 64
	maxBlock   = 8192
)

// add appends v.
func (c *floatBlocks) add(v float64) {
	k := len(c.blocks)
	if k == 0 || len(c.blocks[k-1]) == cap(c.blocks[k-1]) {
		size := firstBlock
		if k > 0 {
			size = min(2*cap(c.blocks[k-1]), maxBlock)
		}
		c.blocks = append(c.blocks, make([]float64, 0, size))
		k++
	}
	c.blocks[k-1] = append(c.blocks[k-1], v)
	c.n++
}

// values returns the values in the order they were added, in a slice of
// their own.
func (c *floatBlocks) values() []float64 {
	out := make([]float64, 0, c.n)
	for _, b := range c.blocks {
		out = append(out, b...)
	}
	return out
}
