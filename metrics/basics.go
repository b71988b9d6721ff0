package metrics

import "math"

// ComputeBasics returns ComputeWealth(r), ComputeMoments(r) and
// DownsideRisk(r, 0, P), each bit for bit what its function returns,
// reading r twice instead of four times: the wealth, the mean and the
// downside deviation in one pass, the central moments in a second when
// they are needed.
func ComputeBasics(r Column, P float64) (w Wealth, m Moments, downsideRisk float64) {
	n := r.Len()
	wealth := newWealthAcc()
	var mean meanAcc
	down := downAcc{mar: 0}
	for ch := range r.Chunks() {
		for _, v := range ch {
			wealth.step(v)
			mean.step(v - 0) // as meanShift(r, 0)
			down.step(v)
		}
	}
	m = Moments{Len: n}
	var equal bool
	m.Mean, m.N, equal = mean.result()
	if m.N > 0 && !equal {
		c := centralAcc{mean: m.Mean}
		for ch := range r.Chunks() {
			for _, v := range ch {
				c.step(v)
			}
		}
		m.S2, m.S3, m.S4 = c.a2.value(), c.a3.value(), c.a4.value()
	}
	downsideRisk = math.NaN()
	if n > 0 {
		downsideRisk = down.result() * math.Sqrt(P)
	}
	return wealth.result(n), m, downsideRisk
}
