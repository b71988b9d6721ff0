package metrics

import (
	"iter"
	"sync/atomic"
	"time"
)

// ChunkLen is the length of every chunk a Column or Times yields, except the
// last, which may be shorter.
const ChunkLen = 4096

// Column is a float64 series that can be read, in order, any number of
// times. The metrics of this package read a Column in a few ordered passes
// and keep working memory bounded independently of its length, so the
// values may live on disk.
//
// A Column backed by storage cannot report a read error through Chunks: it
// must record the error itself (and typically stop yielding), and the caller
// must check it after calling a metric, whose result is meaningless if a
// read failed.
type Column interface {
	// Len returns the number of values.
	Len() int
	// Chunks returns the values in order, in consecutive chunks of ChunkLen
	// values (the last may be shorter, an empty column yields none). A
	// chunk is valid only until the next is requested, and must not be
	// modified.
	Chunks() iter.Seq[[]float64]
}

// Slice is a Column held in memory.
type Slice []float64

// Len returns len(s).
func (s Slice) Len() int { return len(s) }

// Chunks returns consecutive sub-slices of s of ChunkLen values, with their
// capacity capped at their length.
func (s Slice) Chunks() iter.Seq[[]float64] { return sliceChunks(s) }

// Times is a series of times that can be read, in order, any number of
// times, chunked like a Column. Read errors are handled as for [Column].
type Times interface {
	// Len returns the number of times.
	Len() int
	// Chunks returns the times in order, in consecutive chunks of ChunkLen
	// times (the last may be shorter, an empty series yields none). A chunk
	// is valid only until the next is requested, and must not be modified.
	Chunks() iter.Seq[[]time.Time]
}

// TimeSlice is a Times held in memory.
type TimeSlice []time.Time

// Len returns len(t).
func (t TimeSlice) Len() int { return len(t) }

// Chunks returns consecutive sub-slices of t of ChunkLen times, with their
// capacity capped at their length.
func (t TimeSlice) Chunks() iter.Seq[[]time.Time] { return sliceChunks(t) }

// sliceChunks yields s in sub-slices of ChunkLen elements.
func sliceChunks[E any](s []E) iter.Seq[[]E] {
	return func(yield func([]E) bool) {
		for i := 0; i < len(s); i += ChunkLen {
			j := min(i+ChunkLen, len(s))
			if !yield(s[i:j:j]) {
				return
			}
		}
	}
}

// Shift returns the Column c[i] - by, computed on the fly as each chunk is
// read (one buffer of ChunkLen values per pass). Shift(r, rf) gives the
// excess returns over a constant per-period rate rf, with exactly the values
// that r[i] - rf gives.
func Shift(c Column, by float64) Column {
	return Map(c, func() func(float64) float64 { return func(v float64) float64 { return v - by } })
}

// Map returns the Column f(c[i]), computed as each chunk is read (one
// buffer of ChunkLen values per pass, which a later pass reuses). pass
// makes f afresh for each read of the column, so that f may carry state
// from one value to the next, as [ReturnsFrom] does.
func Map(c Column, pass func() func(float64) float64) Column { return &mapped{c: c, pass: pass} }

// mapped is the Column returned by Map.
type mapped struct {
	c    Column
	pass func() func(float64) float64
	// spare is the buffer of a pass that ended, for the next to take.
	spare atomic.Pointer[[]float64]
}

// Len returns the length of the column.
func (m *mapped) Len() int { return m.c.Len() }

// Chunks yields the mapped values of each chunk, in a reused buffer.
func (m *mapped) Chunks() iter.Seq[[]float64] {
	return func(yield func([]float64) bool) {
		f := m.pass()
		var buf []float64
		if p := m.spare.Swap(nil); p != nil {
			buf = *p
		} else {
			buf = make([]float64, ChunkLen)
		}
		defer m.spare.Store(&buf)
		for ch := range m.c.Chunks() {
			out := buf[:len(ch)]
			for i, v := range ch {
				out[i] = f(v)
			}
			if !yield(out) {
				return
			}
		}
	}
}

// ReturnsFrom returns the column of simple returns of the equity column
// measured from the starting capital start, as [SimpleReturnsFrom]
// computes them, computed as they are read.
func ReturnsFrom(start float64, equity Column) Column {
	return Map(equity, func() func(float64) float64 {
		prev := start
		return func(e float64) float64 {
			r := e/prev - 1
			prev = e
			return r
		}
	})
}

// pairwise is the Column f(a[i], b[i]) of two columns of the same length.
type pairwise struct {
	a, b Column
	f    func(x, y float64) float64
}

// difference returns the Column a[i] - b[i].
func difference(a, b Column) Column {
	return pairwise{a, b, func(x, y float64) float64 { return x - y }}
}

// Len returns the length of the columns.
func (d pairwise) Len() int { return d.a.Len() }

// Chunks yields f of each pair of chunks, in a reused buffer.
func (d pairwise) Chunks() iter.Seq[[]float64] {
	return func(yield func([]float64) bool) {
		buf := make([]float64, ChunkLen)
		for x, y := range zip(d.a.Chunks(), d.b.Chunks()) {
			out := buf[:len(x)]
			for i, v := range x {
				out[i] = d.f(v, y[i])
			}
			if !yield(out) {
				return
			}
		}
	}
}

// zip yields the chunks of two series of the same length side by side.
// Because every chunk but the last holds exactly ChunkLen elements, the
// i-th chunks of a and b cover the same rows. It panics if the chunks do not
// line up, which means that the lengths differ.
func zip[A, B any](a iter.Seq[[]A], b iter.Seq[[]B]) iter.Seq2[[]A, []B] {
	return func(yield func([]A, []B) bool) {
		next, stop := iter.Pull(b)
		defer stop()
		for x := range a {
			y, ok := next()
			if !ok || len(y) != len(x) {
				panic("metrics: series length mismatch")
			}
			if !yield(x, y) {
				return
			}
		}
		if _, ok := next(); ok {
			panic("metrics: series length mismatch")
		}
	}
}

// zipColumns is zip over two Columns, after checking their lengths.
func zipColumns(a, b Column) iter.Seq2[[]float64, []float64] {
	mustSameLength(a, b)
	return zip(a.Chunks(), b.Chunks())
}

// zipTimes is zip over a Column and Times, after checking their lengths.
func zipTimes(c Column, t Times) iter.Seq2[[]float64, []time.Time] {
	if c.Len() != t.Len() {
		panic("metrics: series length mismatch")
	}
	return zip(c.Chunks(), t.Chunks())
}

// TimesAt returns the times at the given indexes of t, read in one pass;
// out[k] is the time at idx[k], or the zero time if idx[k] is out of range.
// It allocates only the result, so it suits looking up a few bars.
func TimesAt(t Times, idx ...int) []time.Time {
	out := make([]time.Time, len(idx))
	if len(idx) == 0 {
		return out
	}
	lo, hi := idx[0], idx[0]
	for _, i := range idx {
		lo, hi = min(lo, i), max(hi, i)
	}
	base := 0
	for ch := range t.Chunks() {
		if base+len(ch) > lo {
			for k, i := range idx {
				if i >= base && i < base+len(ch) {
					out[k] = ch[i-base]
				}
			}
		}
		base += len(ch)
		if base > hi {
			break
		}
	}
	return out
}
