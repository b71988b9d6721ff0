package spill

import (
	"iter"
	"unsafe"
)

// Runs is a series of numbers that mostly come in runs: the same value
// again (the cash between two trades), or, when it steps, the same step
// again (the times of bars a minute apart). It keeps each run as its
// first value, its step and its length, so that such a series takes a
// few runs of memory instead of a value each, and nothing goes to a
// temporary file. Once it holds more runs than its limit (values that
// seldom repeat), it writes its values to a [Series] and appends there
// from then on, within the Series' memory limit. Values are compared by
// their bits: a run of a float64 repeats the exact value, -0 and NaNs
// included. The zero value is not usable; see [NewRuns].
type Runs[T Number] struct {
	step  bool // runs may step; else each run repeats one value
	runs  []run[T]
	limit int // runs kept before the values go to s
	n     int
	s     *Series[T] // nil until the runs pass limit
	sizes int        // the Series' memory limit and directory,
	dir   string     // for when it is made
}

// run is first, first+step, first+2·step, … n values (step is 0 for a
// run that repeats).
type run[T Number] struct {
	first, step T
	n           int
}

// NewRuns returns an empty Runs. step says whether a run may step by a
// constant other than 0 (int64 values only: a float64 step would not
// give back the values exactly). Beyond maxRuns runs (at once for 0)
// the values go to a Series of limit values in memory in dir (see
// [New]).
func NewRuns[T Number](step bool, maxRuns, limit int, dir string) *Runs[T] {
	return &Runs[T]{step: step, limit: maxRuns, sizes: limit, dir: dir}
}

// Len returns the number of values appended.
func (r *Runs[T]) Len() int { return r.n }

// Err returns the first error of the Series the values went to, if any.
func (r *Runs[T]) Err() error {
	if r.s == nil {
		return nil
	}
	return r.s.Err()
}

// bits returns the bits of v.
func bits[T Number](v T) uint64 { return *(*uint64)(unsafe.Pointer(&v)) }

// Append adds v at the end.
func (r *Runs[T]) Append(v T) {
	r.n++
	if r.s != nil {
		r.s.Append(v)
		return
	}
	if k := len(r.runs) - 1; k >= 0 {
		last := &r.runs[k]
		switch {
		case last.n == 1 && r.step:
			last.step, last.n = v-last.first, 2
			return
		case r.step && v-(last.first+last.step*T(last.n-1)) == last.step:
			last.n++
			return
		case !r.step && bits(v) == bits(last.first):
			last.n++
			return
		}
	}
	if len(r.runs) == r.limit {
		r.spill()
		r.s.Append(v)
		return
	}
	r.runs = append(r.runs, run[T]{first: v, n: 1})
}

// spill moves the values of the runs to a Series.
func (r *Runs[T]) spill() {
	r.s = New[T](r.sizes, r.dir)
	for _, x := range r.runs {
		v := x.first
		for range x.n {
			r.s.Append(v)
			if r.step {
				v += x.step
			}
		}
	}
	r.runs = nil
}

// Chunks returns the values in order, in chunks of ChunkLen values (the
// last may be shorter), as [Series.Chunks] does, with the same validity
// rules.
func (r *Runs[T]) Chunks() iter.Seq[[]T] {
	if r.s != nil {
		return r.s.Chunks()
	}
	return func(yield func([]T) bool) {
		buf := make([]T, 0, min(r.n, ChunkLen))
		for _, x := range r.runs {
			v := x.first
			for range x.n {
				buf = append(buf, v)
				if r.step { // a repeating run adds nothing: -0 + 0 is +0
					v += x.step
				}
				if len(buf) == ChunkLen {
					if !yield(buf) {
						return
					}
					buf = buf[:0]
				}
			}
		}
		if len(buf) > 0 {
			yield(buf)
		}
	}
}

// Close releases the Series the values went to, if any. The series is
// empty afterwards.
func (r *Runs[T]) Close() error {
	var err error
	if r.s != nil {
		err = r.s.Close()
	}
	r.runs, r.s, r.n = nil, nil, 0
	return err
}
