package indicator

import (
	"math"

	"github.com/quantloop/quantloop/engine"
)

// StdDev is the population standard deviation of the last n inputs
// (TA-Lib STDDEV with one deviation):
//
//	m  = (x_t + ... + x_{t-n+1}) / n
//	sd = sqrt(((x_t - m)² + ... + (x_{t-n+1} - m)²) / n)
//
// The window's mean and sum of squared deviations are updated with
// Welford's recurrences, and are exactly x and 0 when every input in the
// window is x. The warm-up is n-1 inputs.
type StdDev struct{ moments }

// NewStdDev returns the standard deviation of the last n inputs (n >= 1).
func NewStdDev(n int) *StdDev {
	checkLen("StdDev", n)
	return &StdDev{newMoments(n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (s *StdDev) Update(x float64) {
	if x == x {
		s.push(x)
	}
}

// Value returns the deviation, 0 before Ready.
func (s *StdDev) Value() float64 {
	if !s.full() {
		return 0
	}
	return s.std()
}

// Mean returns the mean of the window, 0 before Ready.
func (s *StdDev) Mean() float64 {
	if !s.full() {
		return 0
	}
	return s.mean
}

// Ready reports whether n inputs have been seen.
func (s *StdDev) Ready() bool { return s.full() }

// WarmUp returns n-1.
func (s *StdDev) WarmUp() int { return len(s.buf) - 1 }

// ZScore is the newest input's distance from the mean of the last n
// inputs, in population standard deviations (see StdDev):
//
//	z = (x_t - m) / sd, and 0 when sd = 0
//
// The warm-up is n-1 inputs.
type ZScore struct{ StdDev }

// NewZScore returns the z-score over the last n inputs (n >= 1).
func NewZScore(n int) *ZScore {
	checkLen("ZScore", n)
	return &ZScore{StdDev{newMoments(n)}}
}

// Value returns the z-score, 0 before Ready.
func (z *ZScore) Value() float64 {
	if !z.full() || z.m2 == 0 {
		return 0
	}
	return (z.ago(0) - z.mean) / z.std()
}

// Bollinger is the Bollinger bands of the last n inputs at k population
// standard deviations (TA-Lib BBANDS with a simple average and equal
// deviations up and down):
//
//	middle    = m, the mean of the last n inputs
//	upper     = m + k sd,  lower = m - k sd   (sd as in StdDev)
//	%B        = (x_t - lower) / (upper - lower), and 0.5 when upper = lower
//	bandwidth = (upper - lower) / middle, and 0 when upper = lower
//
// A zero-width band gives %B 0.5, the middle of the band. The warm-up is
// n-1 inputs. Value is the middle.
type Bollinger struct {
	moments
	k float64
}

// NewBollinger returns Bollinger bands over n inputs (n >= 1) at k
// deviations.
func NewBollinger(n int, k float64) *Bollinger {
	checkLen("Bollinger", n)
	return &Bollinger{moments: newMoments(n), k: k}
}

// Update adds x as the newest input; a NaN is ignored.
func (b *Bollinger) Update(x float64) {
	if x == x {
		b.push(x)
	}
}

// Ready reports whether n inputs have been seen.
func (b *Bollinger) Ready() bool { return b.full() }

// WarmUp returns n-1.
func (b *Bollinger) WarmUp() int { return len(b.buf) - 1 }

// Middle returns the mean, 0 before Ready.
func (b *Bollinger) Middle() float64 {
	if !b.full() {
		return 0
	}
	return b.mean
}

// Value returns the middle band.
func (b *Bollinger) Value() float64 { return b.Middle() }

func (b *Bollinger) width() float64 {
	if !b.full() {
		return 0
	}
	return b.k * b.std()
}

// Upper returns the upper band, 0 before Ready.
func (b *Bollinger) Upper() float64 { return b.Middle() + b.width() }

// Lower returns the lower band, 0 before Ready.
func (b *Bollinger) Lower() float64 { return b.Middle() - b.width() }

// PercentB returns %B, 0 before Ready.
func (b *Bollinger) PercentB() float64 {
	if !b.full() {
		return 0
	}
	u, l := b.Upper(), b.Lower()
	if u == l {
		return 0.5
	}
	return (b.ago(0) - l) / (u - l)
}

// Bandwidth returns (upper - lower) / middle, 0 before Ready.
func (b *Bollinger) Bandwidth() float64 {
	u, l := b.Upper(), b.Lower()
	if u == l {
		return 0
	}
	return (u - l) / b.Middle()
}

// TrueRange is the true range of bars (TA-Lib TRANGE):
//
//	TR_t = max(high_t - low_t, |high_t - close_{t-1}|, |low_t - close_{t-1}|)
//
// It needs the previous close, so its warm-up is 1 bar.
type TrueRange struct {
	prev  float64
	count int
	value float64
}

// NewTrueRange returns a true range.
func NewTrueRange() *TrueRange { return &TrueRange{} }

// UpdateBar adds b as the newest bar.
func (t *TrueRange) UpdateBar(b engine.Bar) {
	h, l := b.High.Float64(), b.Low.Float64()
	if t.count > 0 {
		t.value = math.Max(h-l, math.Max(math.Abs(h-t.prev), math.Abs(l-t.prev)))
	}
	if t.count < 2 {
		t.count++
	}
	t.prev = b.Close.Float64()
}

// Value returns the true range, 0 before Ready.
func (t *TrueRange) Value() float64 { return t.value }

// Ready reports whether two bars have been seen.
func (t *TrueRange) Ready() bool { return t.count == 2 }

// WarmUp returns 1.
func (t *TrueRange) WarmUp() int { return 1 }

// ATR is Wilder's average true range of length n: the true ranges (see
// TrueRange) smoothed with Wilder's method, seeded with the simple mean of
// the first n true ranges (TA-Lib ATR):
//
//	ATR_n = (TR_1 + ... + TR_n) / n
//	ATR_t = (ATR_{t-1} (n-1) + TR_t) / n
//
// The first bar has no true range, so the warm-up is n bars.
type ATR struct {
	tr TrueRange
	w  wilder
}

// NewATR returns the average true range of length n (n >= 1).
func NewATR(n int) *ATR {
	checkLen("ATR", n)
	return &ATR{w: wilder{n: n}}
}

// UpdateBar adds b as the newest bar.
func (a *ATR) UpdateBar(b engine.Bar) {
	a.tr.UpdateBar(b)
	if a.tr.Ready() {
		a.w.push(a.tr.value)
	}
}

// Value returns the ATR, 0 before Ready.
func (a *ATR) Value() float64 {
	if !a.w.ready() {
		return 0
	}
	return a.w.value
}

// Ready reports whether n+1 bars have been seen.
func (a *ATR) Ready() bool { return a.w.ready() }

// WarmUp returns n.
func (a *ATR) WarmUp() int { return a.w.n }

// Keltner is the Keltner channel: an EMA of the close with bands at k
// average true ranges (the common modern form; TA-Lib has none):
//
//	middle = EMA_n(close)
//	upper  = middle + k ATR_m,  lower = middle - k ATR_m
//
// The warm-up is max(n-1, m) bars. Value is the middle.
type Keltner struct {
	ema EMA
	atr ATR
	k   float64
}

// NewKeltner returns the Keltner channel with an EMA of length n (n >= 1),
// k multiples of an ATR of length m (m >= 1).
func NewKeltner(n int, k float64, m int) *Keltner {
	return &Keltner{ema: *NewEMA(n), atr: *NewATR(m), k: k}
}

// UpdateBar adds b as the newest bar.
func (c *Keltner) UpdateBar(b engine.Bar) {
	c.ema.Update(b.Close.Float64())
	c.atr.UpdateBar(b)
}

// Ready reports whether both the EMA and the ATR are defined.
func (c *Keltner) Ready() bool { return c.ema.Ready() && c.atr.Ready() }

// WarmUp returns max(n-1, m).
func (c *Keltner) WarmUp() int { return max(c.ema.WarmUp(), c.atr.WarmUp()) }

// Middle returns the EMA, 0 before Ready.
func (c *Keltner) Middle() float64 {
	if !c.Ready() {
		return 0
	}
	return c.ema.value
}

// Value returns the middle.
func (c *Keltner) Value() float64 { return c.Middle() }

// Upper returns the upper band, 0 before Ready.
func (c *Keltner) Upper() float64 { return c.Middle() + c.k*c.atr.Value() }

// Lower returns the lower band, 0 before Ready.
func (c *Keltner) Lower() float64 { return c.Middle() - c.k*c.atr.Value() }

// Highest is the highest of the last n inputs (TA-Lib MAX), kept with a
// monotonic deque: amortized O(1) per input. The warm-up is n-1 inputs.
type Highest struct{ extreme }

// NewHighest returns the highest of the last n inputs (n >= 1).
func NewHighest(n int) *Highest {
	checkLen("Highest", n)
	return &Highest{newExtreme(n, true)}
}

// Lowest is the lowest of the last n inputs (TA-Lib MIN), kept with a
// monotonic deque: amortized O(1) per input. The warm-up is n-1 inputs.
type Lowest struct{ extreme }

// NewLowest returns the lowest of the last n inputs (n >= 1).
func NewLowest(n int) *Lowest {
	checkLen("Lowest", n)
	return &Lowest{newExtreme(n, false)}
}

// Update adds x as the newest input; a NaN is ignored.
func (e *extreme) Update(x float64) {
	if x == x {
		e.push(x)
	}
}

// Value returns the extreme, 0 before Ready.
func (e *extreme) Value() float64 {
	if !e.ready() {
		return 0
	}
	return e.value
}

// Ready reports whether n inputs have been seen.
func (e *extreme) Ready() bool { return e.ready() }

// WarmUp returns n-1.
func (e *extreme) WarmUp() int { return e.n - 1 }

// Donchian is the Donchian channel of the last n bars:
//
//	upper  = highest high of the last n bars
//	lower  = lowest low of the last n bars
//	middle = (upper + lower) / 2
//
// The current bar is included (TA-Lib MAX and MIN). The warm-up is n-1
// bars. Value is the middle.
type Donchian struct {
	hh, ll extreme
}

// NewDonchian returns the Donchian channel of the last n bars (n >= 1).
func NewDonchian(n int) *Donchian {
	checkLen("Donchian", n)
	return &Donchian{hh: newExtreme(n, true), ll: newExtreme(n, false)}
}

// UpdateBar adds b as the newest bar.
func (d *Donchian) UpdateBar(b engine.Bar) {
	d.hh.push(b.High.Float64())
	d.ll.push(b.Low.Float64())
}

// Upper returns the highest high, 0 before Ready.
func (d *Donchian) Upper() float64 { return d.hh.Value() }

// Lower returns the lowest low, 0 before Ready.
func (d *Donchian) Lower() float64 { return d.ll.Value() }

// Middle returns the mean of the upper and lower bands, 0 before Ready.
func (d *Donchian) Middle() float64 { return (d.Upper() + d.Lower()) / 2 }

// Value returns the middle.
func (d *Donchian) Value() float64 { return d.Middle() }

// Ready reports whether n bars have been seen.
func (d *Donchian) Ready() bool { return d.hh.ready() }

// WarmUp returns n-1.
func (d *Donchian) WarmUp() int { return d.hh.n - 1 }
