package indicator

import "math"

// ring holds the last len(buf) values pushed.
type ring[T any] struct {
	buf   []T
	next  int
	count int
}

func newRing[T any](n int) ring[T] { return ring[T]{buf: make([]T, n)} }

// push adds x and returns the value it evicted, if the ring was full.
func (r *ring[T]) push(x T) (old T, full bool) {
	if r.count == len(r.buf) {
		old, full = r.buf[r.next], true
	} else {
		r.count++
	}
	r.buf[r.next] = x
	if r.next++; r.next == len(r.buf) {
		r.next = 0
	}
	return old, full
}

// ago returns the value pushed i pushes before the newest (ago(0) is the
// newest). i must be below count.
func (r *ring[T]) ago(i int) T {
	j := r.next - 1 - i
	if j < 0 {
		j += len(r.buf)
	}
	return r.buf[j]
}

func (r *ring[T]) full() bool { return r.count == len(r.buf) }

// sum is a ring with the sum of its values.
type sum[T int64 | float64] struct {
	ring[T]
	total T
}

func newSum[T int64 | float64](n int) sum[T] { return sum[T]{ring: newRing[T](n)} }

func (s *sum[T]) push(x T) {
	old, _ := s.ring.push(x)
	s.total += x - old
}

// moments keeps the mean and the sum of squared deviations (M2) of the
// values of a window, updated in O(1) with Welford's recurrences (adding
// and removing one value at a time). When every value in the window is the
// same, the mean is that value and M2 is exactly zero, whatever rounding
// the earlier updates left.
type moments struct {
	ring[float64]
	mean, m2 float64
	same     int // how many of the newest values equal the newest
}

func newMoments(n int) moments { return moments{ring: newRing[float64](n)} }

func (m *moments) push(x float64) {
	if m.count > 0 && m.ago(0) == x {
		m.same++
	} else {
		m.same = 1
	}
	old, full := m.ring.push(x)
	if full {
		prev := m.mean
		m.mean += (x - old) / float64(m.count)
		m.m2 += (x - old) * (x - m.mean + old - prev)
	} else {
		d := x - m.mean
		m.mean += d / float64(m.count)
		m.m2 += d * (x - m.mean)
	}
	if m.m2 < 0 {
		m.m2 = 0
	}
	if m.same >= m.count {
		m.mean, m.m2 = x, 0
	}
}

// std returns the population standard deviation sqrt(M2 / count).
func (m *moments) std() float64 { return math.Sqrt(m.m2 / float64(m.count)) }

// extreme keeps the maximum (or minimum) of the last n values with a
// monotonic deque: amortized O(1) per push, no allocation.
type extreme struct {
	n     int
	max   bool
	vals  []float64
	idx   []int
	head  int // index in vals of the front
	size  int
	t     int // number of values pushed
	value float64
}

func newExtreme(n int, max bool) extreme {
	return extreme{n: n, max: max, vals: make([]float64, n), idx: make([]int, n)}
}

func (e *extreme) push(x float64) {
	// Drop from the back every value that x dominates (ties too: the newest
	// of equal values is kept, so it leaves the window last).
	for e.size > 0 {
		b := (e.head + e.size - 1) % e.n
		if e.max && e.vals[b] > x || !e.max && e.vals[b] < x {
			break
		}
		e.size--
	}
	// Drop the front if it has left the window.
	if e.size > 0 && e.idx[e.head] <= e.t-e.n {
		e.head = (e.head + 1) % e.n
		e.size--
	}
	b := (e.head + e.size) % e.n
	e.vals[b], e.idx[b] = x, e.t
	e.size++
	e.t++
	e.value = e.vals[e.head]
}

func (e *extreme) ready() bool { return e.t >= e.n }
