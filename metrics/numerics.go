package metrics

import "math"

// sum is a Neumaier compensated accumulator (METRICS.md §1.6). Values are
// added in call order; the zero value is an empty sum.
type sum struct {
	s float64 // naive running sum
	c float64 // running compensation
}

// add adds x to the sum.
func (a *sum) add(x float64) {
	// The explicit conversion rounds x, so that a product passed as x is
	// never fused with the additions below into an FMA on architectures
	// that fuse (arm64, ppc64le, s390x, …); results stay identical across
	// platforms (METRICS.md §1.6).
	x = float64(x)
	t := a.s + x
	if math.Abs(a.s) >= math.Abs(x) {
		a.c += (a.s - t) + x
	} else {
		a.c += (x - t) + a.s
	}
	a.s = t
}

// value returns the compensated sum. If the naive sum is not finite (an
// infinite term, or +Inf and -Inf), the compensation is meaningless and the
// naive IEEE result is returned.
func (a *sum) value() float64 {
	if math.IsInf(a.s, 0) || math.IsNaN(a.s) {
		return a.s
	}
	return a.s + a.c
}

// meanShift returns the mean of the non-NaN values of x[i]-shift, their count,
// and whether all of them are equal and finite. The mean of no values is NaN.
// It reads x once.
func meanShift(x Column, shift float64) (mean float64, count int, equal bool) {
	var a meanAcc
	for ch := range x.Chunks() {
		for _, v := range ch {
			a.step(v - shift)
		}
	}
	return a.result()
}

// meanAcc accumulates the values of meanShift, one at a time.
type meanAcc struct {
	s     sum
	n     int
	first float64
	diff  bool // a value differs from first
}

// step adds v, unless it is NaN.
func (a *meanAcc) step(v float64) {
	if math.IsNaN(v) {
		return
	}
	if a.n == 0 {
		a.first = v
	} else if v != a.first {
		a.diff = true
	}
	a.s.add(v)
	a.n++
}

// result returns the mean, the count and whether all values are equal and
// finite.
func (a *meanAcc) result() (mean float64, count int, equal bool) {
	equal = !a.diff && a.n > 0 && !math.IsInf(a.first, 0)
	return a.s.value() / float64(a.n), a.n, equal
}

// meanStdShift returns the mean and the standard deviation with ddof degrees
// of freedom of the non-NaN values of x[i]-shift (two-pass, METRICS.md §1.6).
// The standard deviation is NaN if count-ddof <= 0, and exactly 0 if all valid
// values are equal (the zero-volatility rule of METRICS.md §1.5). It reads x
// at most twice.
func meanStdShift(x Column, shift float64, ddof int) (mean, std float64) {
	mean, count, equal := meanShift(x, shift)
	switch {
	case count-ddof <= 0:
		return mean, math.NaN()
	case equal:
		return mean, 0
	}
	a := ssAcc{mean: mean}
	for ch := range x.Chunks() {
		for _, v := range ch {
			a.step(v - shift)
		}
	}
	return mean, a.std(count, ddof)
}

// ssAcc accumulates the sum of squared deviations of meanStdShift, one
// value at a time, around a known mean.
type ssAcc struct {
	mean float64
	ss   sum
}

// step adds the squared deviation of v, unless v is NaN.
func (a *ssAcc) step(v float64) {
	if math.IsNaN(v) {
		return
	}
	d := v - a.mean
	a.ss.add(d * d)
}

// std returns the standard deviation of count values with ddof degrees of
// freedom.
func (a *ssAcc) std(count, ddof int) float64 {
	return math.Sqrt(a.ss.value() / float64(count-ddof))
}

// mustSameLength panics if a and b have different lengths.
func mustSameLength(a, b Column) {
	if a.Len() != b.Len() {
		panic("metrics: series length mismatch")
	}
}

// mustSameLen panics if a and b have different lengths.
func mustSameLen(a, b []float64) {
	if len(a) != len(b) {
		panic("metrics: slice length mismatch")
	}
}
