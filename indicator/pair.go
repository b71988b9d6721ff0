package indicator

import "math"

// comoments keeps the means, the sums of squared deviations and the sum
// of cross deviations of the pairs in a window, updated in O(1) with
// Welford's recurrences (remove the oldest pair, add the newest). A
// series whose values in the window are all equal has its mean exactly
// that value and its deviations exactly zero.
type comoments struct {
	xs, ys        ring[float64]
	mx, my        float64
	mxx, myy, mxy float64
	sameX, sameY  int
}

func newComoments(n int) comoments {
	return comoments{xs: newRing[float64](n), ys: newRing[float64](n)}
}

func run(r *ring[float64], same *int, x float64) {
	if r.count > 0 && r.ago(0) == x {
		*same++
	} else {
		*same = 1
	}
}

func (c *comoments) push(x, y float64) {
	run(&c.xs, &c.sameX, x)
	run(&c.ys, &c.sameY, y)
	ox, full := c.xs.push(x)
	oy, _ := c.ys.push(y)
	n := float64(c.xs.count)
	if full {
		// remove (ox, oy) from a window of n, leaving n-1
		mx := c.mx - (ox-c.mx)/(n-1)
		my := c.my - (oy-c.my)/(n-1)
		c.mxx -= (ox - mx) * (ox - c.mx)
		c.myy -= (oy - my) * (oy - c.my)
		c.mxy -= (ox - mx) * (oy - c.my)
		c.mx, c.my = mx, my
	}
	dx, dy := x-c.mx, y-c.my
	c.mx += dx / n
	c.my += dy / n
	c.mxx += dx * (x - c.mx)
	c.myy += dy * (y - c.my)
	c.mxy += dx * (y - c.my)
	c.mxx, c.myy = math.Max(c.mxx, 0), math.Max(c.myy, 0)
	if c.sameX >= c.xs.count {
		c.mx, c.mxx, c.mxy = x, 0, 0
	}
	if c.sameY >= c.ys.count {
		c.my, c.myy, c.mxy = y, 0, 0
	}
}

// Correlation is the Pearson correlation of the last n pairs of two
// series (TA-Lib CORREL):
//
//	r = Σ (x_i - mx)(y_i - my) / sqrt(Σ (x_i - mx)² Σ (y_i - my)²)
//
// and 0 when either series is constant over the window. The warm-up is n-1
// pairs.
type Correlation struct{ comoments }

// NewCorrelation returns the correlation over n pairs (n >= 2).
func NewCorrelation(n int) *Correlation {
	if n < 2 {
		panic("indicator: Correlation length < 2")
	}
	return &Correlation{newComoments(n)}
}

// Update adds the pair (x, y); a pair with a NaN is ignored.
func (c *Correlation) Update(x, y float64) {
	if x == x && y == y {
		c.push(x, y)
	}
}

// Value returns the correlation, 0 before Ready.
func (c *Correlation) Value() float64 {
	if !c.Ready() || c.mxx == 0 || c.myy == 0 {
		return 0
	}
	return math.Max(-1, math.Min(1, c.mxy/math.Sqrt(c.mxx*c.myy)))
}

// Ready reports whether n pairs have been seen.
func (c *Correlation) Ready() bool { return c.xs.full() }

// WarmUp returns n-1.
func (c *Correlation) WarmUp() int { return len(c.xs.buf) - 1 }

// Beta is the beta of an asset against a benchmark over the last n
// returns, as TA-Lib BETA computes it (with the benchmark as its first
// input): with the simple returns ra_t = a_t / a_{t-1} - 1 of the asset
// and rb_t of the benchmark,
//
//	beta = Σ (ra_i - m_a)(rb_i - m_b) / Σ (rb_i - m_b)²
//
// and 0 when the benchmark's returns are constant over the window. A
// return whose previous value is 0 counts as 0. The warm-up is n pairs of
// inputs (n returns need n+1 inputs).
type Beta struct {
	comoments
	pa, pb  float64
	started bool
}

// NewBeta returns the beta over n returns (n >= 2).
func NewBeta(n int) *Beta {
	if n < 2 {
		panic("indicator: Beta length < 2")
	}
	return &Beta{comoments: newComoments(n)}
}

// Update adds the asset's value a and the benchmark's value b; a pair with
// a NaN is ignored.
func (b *Beta) Update(a, bench float64) {
	if a != a || bench != bench {
		return
	}
	if b.started {
		b.push(ret(a, b.pa), ret(bench, b.pb))
	}
	b.pa, b.pb, b.started = a, bench, true
}

func ret(x, prev float64) float64 {
	if prev == 0 {
		return 0
	}
	return x/prev - 1
}

// Value returns the beta, 0 before Ready.
func (b *Beta) Value() float64 {
	if !b.Ready() || b.myy == 0 {
		return 0
	}
	return b.mxy / b.myy
}

// Ready reports whether n+1 pairs have been seen.
func (b *Beta) Ready() bool { return b.xs.full() }

// WarmUp returns n.
func (b *Beta) WarmUp() int { return len(b.xs.buf) }
