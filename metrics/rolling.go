package metrics

import (
	"iter"
	"math"
)

// Rolling applies f to each window of w consecutive values of r and returns
// the n-w+1 results, the i-th for the window ending at index i+w-1
// (METRICS.md §2.20). Because f is the unchanged metric, every guard and NaN
// rule applies inside the window. Like empyrical's vectorized rollers
// (roll_sharpe_ratio, roll_max_drawdown, …), a window longer than r is
// clamped to len(r), giving one value; empty r gives an empty slice. Unlike
// pyfolio's pandas windows there is no leading NaN padding.
//
// r stays a slice, since the output has one value per window anyway. f
// receives each window as a [Slice] of r, so any metric of this package that
// takes a Column can be passed directly; f must not modify its elements.
// It panics if w < 1.
//
// For example, Rolling(r, 63, func(x Column) float64 { return Sharpe(x, 0, Daily) })
// is a rolling 63-day Sharpe ratio, and Rolling(r, 63, MaxDrawdown) a rolling
// maximum drawdown.
func Rolling(r []float64, w int, f func(Column) float64) []float64 {
	if w < 1 {
		panic("metrics: window must be positive")
	}
	w = min(w, len(r))
	if len(r) == 0 {
		return []float64{}
	}
	out := make([]float64, len(r)-w+1)
	for i := range out {
		out[i] = f(Slice(r[i : i+w : i+w]))
	}
	return out
}

// RollingPair is [Rolling] for metrics of two aligned series, such as a
// strategy and its benchmark: f receives the same window of r and b. A window
// longer than the series is clamped as empyrical's roll_alpha and roll_beta
// do; empyrical's roll_*_capture family instead returns nothing when w > n,
// so callers reproducing it should check w <= len(r) first. f receives the
// windows as [Slice] values. It panics if w < 1 or if the lengths differ.
func RollingPair(r, b []float64, w int, f func(r, b Column) float64) []float64 {
	mustSameLen(r, b)
	if w < 1 {
		panic("metrics: window must be positive")
	}
	w = min(w, len(r))
	if len(r) == 0 {
		return []float64{}
	}
	out := make([]float64, len(r)-w+1)
	for i := range out {
		out[i] = f(Slice(r[i:i+w:i+w]), Slice(b[i:i+w:i+w]))
	}
	return out
}

// RollingAt is [Rolling] for a Column read once, evaluated only at chosen
// windows: it returns f of the window of the w values of r ending at each
// index of ends, in the order of ends. Each result is exactly f of that
// window's values (for example, with f a closure over [Sharpe], every guard
// and the zero-volatility rule of METRICS.md §1.5 apply inside the window).
// It holds the last w values of r in memory, not r, and costs
// O(len(r) + len(ends)·(w + cost of f)); [RollingSharpe] is the Sharpe
// ratio at a cost that does not grow with the window.
//
// f receives each window as a [Slice] of a buffer reused across calls; it
// must not modify or keep it. ends must be strictly increasing, each in
// [w-1, r.Len()-1]; nil or empty ends give an empty result. It panics if
// w < 1 or if ends breaks those rules.
func RollingAt(r Column, w int, ends []int, f func(Column) float64) []float64 {
	g := newRing(r, w, ends)
	out := make([]float64, 0, len(ends))
	for i, v := range g.values(r) {
		g.push(i, v)
		if i == ends[len(out)] {
			out = append(out, f(g.window()))
		}
	}
	return out
}

// RollingSharpe returns [Sharpe](x, rf, P) of the window x of the w values
// of r ending at each index of ends, in the order of ends, as
// RollingAt(r, w, ends, …Sharpe…) does, but in one pass at a cost that
// does not grow with the window: O(len(r) + len(ends)) for most series.
//
// Where the result is decided by the zero-volatility rule of METRICS.md
// §1.5, it is Sharpe's exactly: a window whose valid values are all equal
// (tracked exactly as the values pass) gives ±Inf, or NaN for a zero
// excess return, and fewer than two valid values give NaN. Elsewhere the
// mean and variance come from compensated running sums of the deviations
// from a recent mean, recomputed from the window every w values: within
// about 1e-12 of Sharpe, relative to max(1, |Sharpe|). A window whose
// sums cannot promise that (its mean far from the recent one in units of
// its standard deviation, or a tiny variance) is computed exactly by
// Sharpe, at O(w).
//
// ends must be strictly increasing, each in [w-1, r.Len()-1]; nil or empty
// ends give an empty result. It panics if w < 1 or if ends breaks those
// rules.
func RollingSharpe(r Column, w int, ends []int, rf, P float64) []float64 {
	g := newRing(r, w, ends)
	out := make([]float64, 0, len(ends))
	var a slidingMoments
	// lastChange is the index of the earlier of the last two successive
	// valid values that differ: the window's valid values are all equal
	// when it lies before the window.
	lastChange, prev, prevAt := -1, 0.0, -1
	for i, v := range g.values(r) {
		x := v - rf
		old := g.push(i, x)
		if !math.IsNaN(x) {
			if prevAt >= 0 && x != prev {
				lastChange = prevAt
			}
			prev, prevAt = x, i
		}
		if i%w == w-1 {
			a.reset(g.ring)
		} else {
			if i >= w {
				a.remove(old)
			}
			a.add(x)
		}
		if i != ends[len(out)] {
			continue
		}
		var sr float64
		switch mean, v, ok, exact := a.meanVar(); {
		case !ok:
			sr = math.NaN() // fewer than two valid values
		case lastChange < i-w+1 && !math.IsInf(prev, 0):
			sr = prev / zero * math.Sqrt(P) // all equal: Sharpe's mean has prev's sign
		case exact:
			sr = mean / math.Sqrt(v) * math.Sqrt(P)
		default:
			sr = Sharpe(g.window(), 0, P)
		}
		out = append(out, sr)
	}
	return out
}

// zero is a variable 0, for an IEEE division by zero.
var zero = 0.0

// slidingMoments holds compensated running sums of the valid (non-NaN)
// values of a window as deviations from c, the mean of an earlier window:
// shifting by a value near the mean keeps the variance accurate.
type slidingMoments struct {
	c      float64
	s1, s2 sum
	n      int
}

// reset recomputes the sums from the values of a whole window.
func (a *slidingMoments) reset(window []float64) {
	var m meanAcc
	for _, y := range window {
		m.step(y)
	}
	c, _, _ := m.result()
	*a = slidingMoments{c: c}
	for _, y := range window {
		a.add(y)
	}
}

// add adds y to the window, unless it is NaN.
func (a *slidingMoments) add(y float64) {
	if !math.IsNaN(y) {
		d := y - a.c
		a.s1.add(d)
		a.s2.add(d * d)
		a.n++
	}
}

// remove takes y out of the window, unless it is NaN.
func (a *slidingMoments) remove(y float64) {
	if !math.IsNaN(y) {
		d := y - a.c
		a.s1.add(-d)
		a.s2.add(-float64(d * d))
		a.n--
	}
}

// meanVar returns the mean and the sample variance (ddof 1) of the valid
// values. ok is false for fewer than two; exact is false when the sums
// cannot give the variance to about 1e-12: when the window's squared
// deviations from c are more than 1e4 times those from its mean (its
// mean has moved more than about 100 standard deviations from c, or the
// variance is 0 or tiny), or are not finite.
func (a *slidingMoments) meanVar() (mean, v float64, ok, exact bool) {
	if a.n < 2 {
		return 0, 0, false, false
	}
	n := float64(a.n)
	s1, s2 := a.s1.value(), a.s2.value()
	d := s1 / n
	ss := s2 - float64(s1*d) // (n-1)·v
	return a.c + d, ss / (n - 1), true, s2 <= 1e4*ss && !math.IsInf(s2, 0)
}

// ring holds the last w values of a series read once, for the rolling
// functions evaluated at chosen window ends.
type ring struct {
	w      int
	ring   []float64 // value i at i%w
	buf    []float64 // the window in order, for window
	last   int       // the last end
	filled int       // values pushed
}

// newRing checks w and ends (see RollingAt) and returns an empty ring.
func newRing(r Column, w int, ends []int) *ring {
	if w < 1 {
		panic("metrics: window must be positive")
	}
	for k, e := range ends {
		if e < w-1 || e >= r.Len() || (k > 0 && e <= ends[k-1]) {
			panic("metrics: window ends must increase within the series")
		}
	}
	last := -1
	if len(ends) > 0 {
		last = ends[len(ends)-1]
	}
	return &ring{w: w, ring: make([]float64, w), last: last}
}

// values yields the index and value of each element of r up to the last
// window end.
func (g *ring) values(r Column) iter.Seq2[int, float64] {
	return func(yield func(int, float64) bool) {
		i := 0
		for ch := range r.Chunks() {
			for _, v := range ch {
				if i > g.last || !yield(i, v) {
					return
				}
				i++
			}
		}
	}
}

// push stores v, the value at index i, and returns the value it replaces,
// the one at i-w (0 while the ring fills).
func (g *ring) push(i int, v float64) (old float64) {
	old, g.ring[i%g.w] = g.ring[i%g.w], v
	g.filled = i + 1
	return old
}

// window returns the last w values in order, in a buffer reused by the
// next call.
func (g *ring) window() Slice {
	if g.buf == nil {
		g.buf = make([]float64, g.w)
	}
	k := g.filled % g.w // the oldest value
	n := copy(g.buf, g.ring[k:])
	copy(g.buf[n:], g.ring[:k])
	return g.buf
}
