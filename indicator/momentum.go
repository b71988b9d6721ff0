package indicator

import (
	"math"

	"github.com/quantloop/quantloop/engine"
)

// wilder is Wilder's smoothing of length n seeded with the simple mean of
// its first n terms (the TA-Lib convention):
//
//	A_{n-1} = (v_0 + ... + v_{n-1}) / n
//	A_t     = (A_{t-1} (n-1) + v_t) / n
type wilder struct {
	n, count int
	value    float64
}

func (w *wilder) push(v float64) {
	switch {
	case w.count < w.n-1:
		w.count++
		w.value += v
	case w.count == w.n-1:
		w.count++
		w.value = (w.value + v) / float64(w.n)
	default:
		w.value = (w.value*float64(w.n-1) + v) / float64(w.n)
	}
}

func (w *wilder) ready() bool { return w.count == w.n }

// RSI is Wilder's relative strength index of length n. With the changes
// d_t = x_t - x_{t-1}, gains G = max(d, 0) and losses L = max(-d, 0) are
// smoothed with Wilder's method, seeded with the simple means of the
// first n changes (TA-Lib):
//
//	G_t = (G_{t-1} (n-1) + max(d_t, 0)) / n
//	L_t = (L_{t-1} (n-1) + max(-d_t, 0)) / n
//	RSI = 100 G / (G + L), and 50 when G + L = 0
//
// A flat series has RSI 50, the neutral value, where TA-Lib writes 0. The
// warm-up is n inputs (n changes need n+1 inputs).
type RSI struct {
	gain, loss wilder
	prev       float64
	started    bool
}

// NewRSI returns the RSI of length n (n >= 1).
func NewRSI(n int) *RSI {
	checkLen("RSI", n)
	return &RSI{gain: wilder{n: n}, loss: wilder{n: n}}
}

// Update adds x as the newest input; a NaN is ignored.
func (r *RSI) Update(x float64) {
	if x != x {
		return
	}
	if r.started {
		d := x - r.prev
		r.gain.push(math.Max(d, 0))
		r.loss.push(math.Max(-d, 0))
	}
	r.prev, r.started = x, true
}

// Value returns the RSI, 0 before Ready.
func (r *RSI) Value() float64 {
	if !r.gain.ready() {
		return 0
	}
	s := r.gain.value + r.loss.value
	if s == 0 {
		return 50
	}
	return 100 * r.gain.value / s
}

// Ready reports whether n+1 inputs have been seen.
func (r *RSI) Ready() bool { return r.gain.ready() }

// WarmUp returns n.
func (r *RSI) WarmUp() int { return r.gain.n }

// MACD is the moving average convergence/divergence of a fast and a slow
// EMA, with a signal EMA of its line:
//
//	line   = EMA_fast(x) - EMA_slow(x)
//	signal = EMA_signal(line)
//	hist   = line - signal
//
// As in TA-Lib, the fast EMA starts slow-fast inputs late, so that both
// EMAs are first defined on the same input (the fast one seeded with the
// mean of the fast inputs ending there), and the three outputs are defined
// together, once the signal is: the warm-up is slow+signal-2 inputs.
// Value is the line.
type MACD struct {
	fast, slow, signal EMA
	skip               int // inputs the fast EMA still skips
}

// NewMACD returns the MACD of the given lengths (1 <= fast < slow,
// signal >= 1).
func NewMACD(fast, slow, signal int) *MACD {
	checkLen("MACD fast", fast)
	checkLen("MACD signal", signal)
	if slow <= fast {
		panic("indicator: MACD slow length must exceed the fast one")
	}
	return &MACD{fast: *NewEMA(fast), slow: *NewEMA(slow), signal: *NewEMA(signal), skip: slow - fast}
}

// Update adds x as the newest input; a NaN is ignored.
func (m *MACD) Update(x float64) {
	if x != x {
		return
	}
	if m.skip > 0 {
		m.skip--
	} else {
		m.fast.Update(x)
	}
	m.slow.Update(x)
	if m.slow.Ready() {
		m.signal.Update(m.fast.value - m.slow.value)
	}
}

// Line returns EMA_fast - EMA_slow, 0 before Ready.
func (m *MACD) Line() float64 {
	if !m.Ready() {
		return 0
	}
	return m.fast.value - m.slow.value
}

// Signal returns the signal EMA of the line, 0 before Ready.
func (m *MACD) Signal() float64 { return m.signal.Value() }

// Hist returns the line minus the signal, 0 before Ready.
func (m *MACD) Hist() float64 { return m.Line() - m.Signal() }

// Value returns the line.
func (m *MACD) Value() float64 { return m.Line() }

// Ready reports whether the signal is defined.
func (m *MACD) Ready() bool { return m.signal.Ready() }

// WarmUp returns slow+signal-2.
func (m *MACD) WarmUp() int { return m.slow.n + m.signal.n - 2 }

// lag holds the last n+1 inputs, to compare the newest with the one n
// inputs before it.
type lag struct{ ring[float64] }

func newLag(n int) lag { return lag{newRing[float64](n + 1)} }

// ROC is the rate of change over n inputs, in percent (TA-Lib ROC):
//
//	ROC_t = 100 (x_t - x_{t-n}) / x_{t-n}, and 0 when x_{t-n} = 0
//
// Its warm-up is n inputs.
type ROC struct{ lag }

// NewROC returns the rate of change over n inputs (n >= 1).
func NewROC(n int) *ROC {
	checkLen("ROC", n)
	return &ROC{newLag(n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (r *ROC) Update(x float64) {
	if x == x {
		r.push(x)
	}
}

// Value returns the rate of change, 0 before Ready.
func (r *ROC) Value() float64 {
	if !r.full() || r.ago(len(r.buf)-1) == 0 {
		return 0
	}
	old := r.ago(len(r.buf) - 1)
	return 100 * (r.ago(0) - old) / old
}

// Ready reports whether n+1 inputs have been seen.
func (r *ROC) Ready() bool { return r.full() }

// WarmUp returns n.
func (r *ROC) WarmUp() int { return len(r.buf) - 1 }

// Momentum is the change over n inputs (TA-Lib MOM):
//
//	MOM_t = x_t - x_{t-n}
//
// Its warm-up is n inputs.
type Momentum struct{ lag }

// NewMomentum returns the momentum over n inputs (n >= 1).
func NewMomentum(n int) *Momentum {
	checkLen("Momentum", n)
	return &Momentum{newLag(n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (m *Momentum) Update(x float64) {
	if x == x {
		m.push(x)
	}
}

// Value returns the momentum, 0 before Ready.
func (m *Momentum) Value() float64 {
	if !m.full() {
		return 0
	}
	return m.ago(0) - m.ago(len(m.buf)-1)
}

// Ready reports whether n+1 inputs have been seen.
func (m *Momentum) Ready() bool { return m.full() }

// WarmUp returns n.
func (m *Momentum) WarmUp() int { return len(m.buf) - 1 }

// Stochastic is the stochastic oscillator of bars: with HH and LL the
// highest high and lowest low of the last k bars,
//
//	fast %K = 100 (close - LL) / (HH - LL), and 50 when HH = LL
//	%K      = SMA_slowing(fast %K)
//	%D      = SMA_d(%K)
//
// (TA-Lib STOCH with simple averages; TA-Lib writes 0 where HH = LL, this
// writes the neutral 50). Slowing 1 gives the fast stochastic. Both
// outputs are defined together, after a warm-up of
// (k-1)+(slowing-1)+(d-1) bars. Value is %K.
type Stochastic struct {
	hh, ll extreme
	k, d   SMA
}

// NewStochastic returns the stochastic oscillator with lookback k, %K
// slowing and %D length d (all >= 1).
func NewStochastic(k, slowing, d int) *Stochastic {
	checkLen("Stochastic k", k)
	return &Stochastic{hh: newExtreme(k, true), ll: newExtreme(k, false), k: *NewSMA(slowing), d: *NewSMA(d)}
}

// UpdateBar adds b as the newest bar.
func (s *Stochastic) UpdateBar(b engine.Bar) {
	c := b.Close.Float64()
	s.hh.push(b.High.Float64())
	s.ll.push(b.Low.Float64())
	if !s.hh.ready() {
		return
	}
	fast := 50.0
	if r := s.hh.value - s.ll.value; r != 0 {
		fast = 100 * (c - s.ll.value) / r
	}
	s.k.Update(fast)
	if s.k.Ready() {
		s.d.Update(s.k.Value())
	}
}

// K returns %K, 0 before Ready.
func (s *Stochastic) K() float64 {
	if !s.Ready() {
		return 0
	}
	return s.k.Value()
}

// D returns %D, 0 before Ready.
func (s *Stochastic) D() float64 { return s.d.Value() }

// Value returns %K.
func (s *Stochastic) Value() float64 { return s.K() }

// Ready reports whether %D is defined.
func (s *Stochastic) Ready() bool { return s.d.Ready() }

// WarmUp returns (k-1)+(slowing-1)+(d-1).
func (s *Stochastic) WarmUp() int { return s.hh.n - 1 + s.k.WarmUp() + s.d.WarmUp() }

// WilliamsR is Williams' %R of the last n bars (TA-Lib WILLR):
//
//	%R = -100 (HH - close) / (HH - LL), and -50 when HH = LL
//
// with HH and LL the highest high and lowest low of the last n bars. TA-Lib
// writes 0 where HH = LL; this writes the neutral -50. The warm-up is n-1
// bars.
type WilliamsR struct {
	hh, ll extreme
	close  float64
}

// NewWilliamsR returns Williams' %R over n bars (n >= 1).
func NewWilliamsR(n int) *WilliamsR {
	checkLen("WilliamsR", n)
	return &WilliamsR{hh: newExtreme(n, true), ll: newExtreme(n, false)}
}

// UpdateBar adds b as the newest bar.
func (w *WilliamsR) UpdateBar(b engine.Bar) {
	w.hh.push(b.High.Float64())
	w.ll.push(b.Low.Float64())
	w.close = b.Close.Float64()
}

// Value returns %R, 0 before Ready.
func (w *WilliamsR) Value() float64 {
	if !w.Ready() {
		return 0
	}
	r := w.hh.value - w.ll.value
	if r == 0 {
		return -50
	}
	return -100 * (w.hh.value - w.close) / r
}

// Ready reports whether n bars have been seen.
func (w *WilliamsR) Ready() bool { return w.hh.ready() }

// WarmUp returns n-1.
func (w *WilliamsR) WarmUp() int { return w.hh.n - 1 }

// CCI is Lambert's commodity channel index of the last n values (TA-Lib
// CCI, of the typical price when fed bars):
//
//	m   = (x_t + ... + x_{t-n+1}) / n
//	MD  = (|x_t - m| + ... + |x_{t-n+1} - m|) / n
//	CCI = (x_t - m) / (0.015 MD), and 0 when MD = 0
//
// The warm-up is n-1 values. The mean deviation is taken about the current
// mean, which moves with every value; it is found in O(log n) from the
// count c and the sum S of the window's values below m, kept in an
// order-statistics tree: n MD = S_all - 2 S - m (n - 2c).
type CCI struct {
	moments
	tree ostree
}

// NewCCI returns the commodity channel index over n values (n >= 1).
func NewCCI(n int) *CCI {
	checkLen("CCI", n)
	return &CCI{moments: newMoments(n), tree: newOstree(n)}
}

// Update adds x as the newest value; a NaN is ignored.
func (c *CCI) Update(x float64) {
	if x == x {
		c.add(x)
	}
}

// UpdateBar adds the typical price of b as the newest value.
func (c *CCI) UpdateBar(b engine.Bar) { c.add(typical(&b)) }

func (c *CCI) add(x float64) {
	if c.full() {
		c.tree.remove(c.ago(len(c.buf) - 1))
	}
	c.push(x)
	c.tree.insert(x)
}

// Value returns the CCI, 0 before Ready.
func (c *CCI) Value() float64 {
	if !c.full() || c.m2 == 0 {
		return 0
	}
	m := c.mean
	k, below := c.tree.below(m)
	md := (c.tree.total(c.tree.root) - 2*below - m*float64(int32(c.count)-2*k)) / float64(c.count)
	if md <= 0 {
		return 0
	}
	return (c.ago(0) - m) / (0.015 * md)
}

// Ready reports whether n values have been seen.
func (c *CCI) Ready() bool { return c.full() }

// WarmUp returns n-1.
func (c *CCI) WarmUp() int { return len(c.buf) - 1 }
