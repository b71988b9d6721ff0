package strategy

import (
	"fmt"
	"math/bits"

	"github.com/quantloop/quantloop/engine"
)

// SMA is a streaming simple moving average over exact prices. Its window
// sum is an integer, so Push is O(1), allocates nothing and never drifts:
// the averages of equal prices are equal, which a float64 running sum
// cannot promise.
type SMA struct {
	window []engine.Price
	next   int
	count  int
	sum    int64
}

// NewSMA returns a moving average over the last n prices. n must be
// positive.
//
// Strategies that take a window length from their params should refuse
// lengths above MaxWindow, since the window is allocated up front.
func NewSMA(n int) *SMA {
	if n < 1 {
		panic(fmt.Sprintf("strategy: SMA length %d < 1", n))
	}
	return &SMA{window: make([]engine.Price, n)}
}

// Push adds p as the newest price.
func (s *SMA) Push(p engine.Price) {
	if s.count == len(s.window) {
		s.sum -= int64(s.window[s.next])
	} else {
		s.count++
	}
	s.window[s.next] = p
	s.sum += int64(p)
	s.next++
	if s.next == len(s.window) {
		s.next = 0
	}
}

// Ready reports whether the window is full.
func (s *SMA) Ready() bool { return s.count == len(s.window) }

// Len returns the window length.
func (s *SMA) Len() int { return len(s.window) }

// Sum returns the exact sum of the prices in the window, in Price units.
func (s *SMA) Sum() int64 { return s.sum }

// Value returns the average as a float64 (NaN-free; 0 before any push).
func (s *SMA) Value() float64 {
	if s.count == 0 {
		return 0
	}
	return float64(s.sum) / float64(s.count) / engine.PriceScale
}

// CompareSMA compares the averages of a and b exactly: -1 if a's is lower,
// 0 if they are equal, +1 if a's is higher. It cross-multiplies the integer
// window sums in 128 bits, so there is no rounding and no overflow.
func CompareSMA(a, b *SMA) int {
	return compareRatio(a.sum, int64(a.count), b.sum, int64(b.count))
}

// compareRatio compares x/m with y/n for positive m and n.
func compareRatio(x, m, y, n int64) int {
	// Compare x*n with y*m as signed 128-bit products.
	lh, ll := mul128(x, n)
	rh, rl := mul128(y, m)
	switch {
	case lh != rh:
		if lh < rh {
			return -1
		}
		return 1
	case ll != rl:
		if ll < rl {
			return -1
		}
		return 1
	}
	return 0
}

// mul128 returns the signed 128-bit product of a and b (b > 0) as a high
// signed word and a low unsigned word.
func mul128(a, b int64) (int64, uint64) {
	neg := a < 0
	ua := uint64(a)
	if neg {
		ua = uint64(-a)
	}
	hi, lo := bits.Mul64(ua, uint64(b))
	if neg {
		// two's complement of the 128-bit value
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	return int64(hi), lo
}

// EMA is a streaming exponential moving average with smoothing 2/(n+1),
// seeded with the simple average of its first n prices (the TA-Lib
// convention). It is float64: an EMA of decimal prices is not exact
// anyway.
type EMA struct {
	n     int
	alpha float64
	count int
	sum   float64
	value float64
}

// NewEMA returns an exponential moving average of length n (n >= 1).
func NewEMA(n int) *EMA {
	if n < 1 {
		panic(fmt.Sprintf("strategy: EMA length %d < 1", n))
	}
	return &EMA{n: n, alpha: 2 / float64(n+1)}
}

// Push adds p as the newest price.
func (e *EMA) Push(p engine.Price) {
	x := p.Float64()
	switch {
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

// Ready reports whether n prices have been seen.
func (e *EMA) Ready() bool { return e.count >= e.n }

// Value returns the average, or 0 before it is ready.
func (e *EMA) Value() float64 { return e.value }

// MaxWindow is the longest indicator window a built-in strategy accepts
// from its params: one million bars. Windows are allocated up front, so
// an absurd length would exhaust memory before the first bar.
const MaxWindow = 1_000_000
