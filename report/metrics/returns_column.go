package metrics

import "iter"

// ReturnsFrom returns the column of simple returns of the equity column
// measured from the starting capital start, as [SimpleReturnsFrom]
// computes them, computed as they are read.
func ReturnsFrom(start float64, equity Column) Column { return returnsFrom{equity, start} }

type returnsFrom struct {
	equity Column
	start  float64
}

func (r returnsFrom) Len() int { return r.equity.Len() }

func (r returnsFrom) Chunks() iter.Seq[[]float64] {
	return func(yield func([]float64) bool) {
		buf := make([]float64, 0, ChunkLen)
		prev := r.start
		for c := range r.equity.Chunks() {
			buf = buf[:0]
			for _, e := range c {
				buf = append(buf, e/prev-1)
				prev = e
			}
			if !yield(buf) {
				return
			}
		}
	}
}
