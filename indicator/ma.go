package indicator

import "github.com/quantloop/quantloop/engine"

// SMA is the simple moving average of the last n inputs:
//
//	SMA_t = (x_t + x_{t-1} + ... + x_{t-n+1}) / n
//
// Its warm-up is n-1 inputs. The window sum is a float64 running sum
// (add the newest, subtract the evicted); for averages of prices that must
// compare exactly, use [PriceSMA].
type SMA struct {
	sum[float64]
}

// NewSMA returns a simple moving average of length n (n >= 1).
func NewSMA(n int) *SMA {
	checkLen("SMA", n)
	return &SMA{newSum[float64](n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (s *SMA) Update(x float64) {
	if x == x {
		s.push(x)
	}
}

// Value returns the average, 0 before Ready.
func (s *SMA) Value() float64 {
	if !s.full() {
		return 0
	}
	return s.total / float64(s.count)
}

// Ready reports whether n inputs have been seen.
func (s *SMA) Ready() bool { return s.full() }

// WarmUp returns n-1.
func (s *SMA) WarmUp() int { return len(s.buf) - 1 }

// EMA is the exponential moving average of length n, with smoothing
// α = 2/(n+1):
//
//	EMA_{n-1} = (x_0 + ... + x_{n-1}) / n
//	EMA_t     = EMA_{t-1} + α (x_t - EMA_{t-1})
//
// It is seeded with the simple mean of its first n inputs (the TA-Lib
// convention), so its warm-up is n-1 inputs.
type EMA struct {
	n     int
	alpha float64
	count int
	sum   float64
	value float64
}

// NewEMA returns an exponential moving average of length n (n >= 1).
func NewEMA(n int) *EMA {
	checkLen("EMA", n)
	return &EMA{n: n, alpha: 2 / float64(n+1)}
}

// Push adds the price p as the newest input.
func (e *EMA) Push(p engine.Price) { e.Update(p.Float64()) }

// Update adds x as the newest input; a NaN is ignored.
func (e *EMA) Update(x float64) {
	switch {
	case x != x:
	case e.count < e.n:
		e.count++
		e.sum += x
		if e.count == e.n {
			e.value = e.sum / float64(e.n)
		}
	default:
		e.value += e.alpha * (x - e.value)
	}
}

// Ready reports whether n inputs have been seen.
func (e *EMA) Ready() bool { return e.count >= e.n }

// Value returns the average, 0 before Ready.
func (e *EMA) Value() float64 { return e.value }

// WarmUp returns n-1.
func (e *EMA) WarmUp() int { return e.n - 1 }

// WMA is the linearly weighted moving average of the last n inputs, the
// newest weighted n and the oldest 1:
//
//	WMA_t = (n x_t + (n-1) x_{t-1} + ... + 1 x_{t-n+1}) / (n (n+1) / 2)
//
// Its warm-up is n-1 inputs. The weighted sum is updated in O(1):
// W_t = W_{t-1} + n x_t - S_{t-1}, where S_{t-1} is the plain sum of the
// previous window.
type WMA struct {
	sum[float64]
	weighted float64
}

// NewWMA returns a weighted moving average of length n (n >= 1).
func NewWMA(n int) *WMA {
	checkLen("WMA", n)
	return &WMA{sum: newSum[float64](n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (w *WMA) Update(x float64) {
	if x != x {
		return
	}
	prev, full := w.total, w.full()
	w.push(x)
	if full {
		w.weighted += float64(len(w.buf))*x - prev
	} else {
		w.weighted += float64(w.count) * x
	}
}

// Value returns the average, 0 before Ready.
func (w *WMA) Value() float64 {
	if !w.full() {
		return 0
	}
	n := float64(len(w.buf))
	return w.weighted / (n * (n + 1) / 2)
}

// Ready reports whether n inputs have been seen.
func (w *WMA) Ready() bool { return w.full() }

// WarmUp returns n-1.
func (w *WMA) WarmUp() int { return len(w.buf) - 1 }

// DEMA is the double exponential moving average of length n:
//
//	DEMA = 2 EMA(x) - EMA(EMA(x))
//
// Both EMAs have length n and are seeded as EMA is (TA-Lib), the second
// with the first n values of the first, so the warm-up is 2(n-1) inputs.
type DEMA struct {
	e1, e2 EMA
}

// NewDEMA returns a double exponential moving average of length n (n >= 1).
func NewDEMA(n int) *DEMA {
	checkLen("DEMA", n)
	return &DEMA{e1: *NewEMA(n), e2: *NewEMA(n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (d *DEMA) Update(x float64) {
	if x != x {
		return
	}
	d.e1.Update(x)
	if d.e1.Ready() {
		d.e2.Update(d.e1.value)
	}
}

// Value returns the average, 0 before Ready.
func (d *DEMA) Value() float64 {
	if !d.e2.Ready() {
		return 0
	}
	return 2*d.e1.value - d.e2.value
}

// Ready reports whether 2n-1 inputs have been seen.
func (d *DEMA) Ready() bool { return d.e2.Ready() }

// WarmUp returns 2(n-1).
func (d *DEMA) WarmUp() int { return 2 * (d.e1.n - 1) }

// TEMA is the triple exponential moving average of length n:
//
//	TEMA = 3 EMA(x) - 3 EMA(EMA(x)) + EMA(EMA(EMA(x)))
//
// Each EMA has length n and is seeded as EMA is (TA-Lib), so the warm-up
// is 3(n-1) inputs.
type TEMA struct {
	e1, e2, e3 EMA
}

// NewTEMA returns a triple exponential moving average of length n (n >= 1).
func NewTEMA(n int) *TEMA {
	checkLen("TEMA", n)
	return &TEMA{e1: *NewEMA(n), e2: *NewEMA(n), e3: *NewEMA(n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (t *TEMA) Update(x float64) {
	if x != x {
		return
	}
	t.e1.Update(x)
	if !t.e1.Ready() {
		return
	}
	t.e2.Update(t.e1.value)
	if t.e2.Ready() {
		t.e3.Update(t.e2.value)
	}
}

// Value returns the average, 0 before Ready.
func (t *TEMA) Value() float64 {
	if !t.e3.Ready() {
		return 0
	}
	return 3*t.e1.value - 3*t.e2.value + t.e3.value
}

// Ready reports whether 3n-2 inputs have been seen.
func (t *TEMA) Ready() bool { return t.e3.Ready() }

// WarmUp returns 3(n-1).
func (t *TEMA) WarmUp() int { return 3 * (t.e1.n - 1) }
