package metrics

import (
	"iter"
	"time"
)

// ChunkLen is the length of every chunk a Column or Times yields, except the last, which may be shorter.
const ChunkLen = 4096

// Column is a float64 series that can be read, in order, any number of times.
type Column interface {
	Len() int
	Chunks() iter.Seq[[]float64]
}

// Slice is a Column held in memory.
type Slice []float64

// Len implements Column.
func (s Slice) Len() int { return len(s) }

// Chunks implements Column.
func (s Slice) Chunks() iter.Seq[[]float64] { return chunks(s) }

// Times is a series of times that can be read, in order, any number of times, chunked like a Column.
type Times interface {
	Len() int
	Chunks() iter.Seq[[]time.Time]
}

// TimeSlice is a Times held in memory.
type TimeSlice []time.Time

// Len implements Times.
func (s TimeSlice) Len() int { return len(s) }

// Chunks implements Times.
func (s TimeSlice) Chunks() iter.Seq[[]time.Time] { return chunks(s) }

func chunks[T any](s []T) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		for i := 0; i < len(s); i += ChunkLen {
			j := min(i+ChunkLen, len(s))
			if !yield(s[i:j:j]) {
				return
			}
		}
	}
}

// collect is a temporary shim until the column API lands.
func Collect(c Column) []float64 {
	var out []float64
	for ch := range c.Chunks() {
		out = append(out, ch...)
	}
	return out
}

// CollectTimes is a temporary shim.
func CollectTimes(c Times, n int) []time.Time {
	var out []time.Time
	for ch := range c.Chunks() {
		out = append(out, ch...)
		if len(out) >= n {
			return out[:n]
		}
	}
	return out
}
