package report

// column is an append-only sequence of values kept in blocks that are
// never moved: appending to a long column allocates a block now and then
// and copies nothing, where a slice that grows copies what it holds at
// each growth and leaves the old arrays to the collector. A run keeps
// such a column per closed trade. The zero value is empty.
type column[T any] struct {
	full [][]T // the filled blocks, in order
	last []T   // the block being filled
	n    int
}

// Blocks start at firstBlock values and double up to maxBlock.
const (
	firstBlock = 64
	maxBlock   = 8192
)

// add appends v.
func (c *column[T]) add(v T) {
	if len(c.last) == cap(c.last) {
		size := firstBlock
		if c.last != nil {
			c.full = append(c.full, c.last)
			size = min(2*cap(c.last), maxBlock)
		}
		c.last = make([]T, 0, size)
	}
	c.last = append(c.last, v)
	c.n++
}

// len returns the number of values.
func (c *column[T]) len() int { return c.n }

// slice returns the values in one new slice of their length.
func (c *column[T]) slice() []T {
	out := make([]T, 0, c.n)
	for _, b := range c.full {
		out = append(out, b...)
	}
	return append(out, c.last...)
}
