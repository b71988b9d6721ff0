package indicator

import (
	"fmt"
	"math/bits"

	"github.com/quantloop/quantloop/engine"
)

// PriceSMA is a streaming simple moving average of exact prices. Its
// window sum is an integer, so Push is O(1), allocates nothing and never
// drifts: the averages of equal prices are equal, which a float64 running
// sum cannot promise. Compare two of them with [ComparePriceSMA].
//
//	SMA_t = (p_t + p_{t-1} + ... + p_{t-n+1}) / n
//
// Its warm-up is n-1 prices.
type PriceSMA struct {
	sum[int64]
}

// NewPriceSMA returns a moving average over the last n prices. n must be
// positive.
//
// Callers that take a window length from user input should refuse lengths
// above MaxWindow, since the window is allocated up front.
func NewPriceSMA(n int) *PriceSMA {
	checkLen("SMA", n)
	return &PriceSMA{newSum[int64](n)}
}

// Push adds p as the newest price.
func (s *PriceSMA) Push(p engine.Price) { s.push(int64(p)) }

// Ready reports whether the window is full.
func (s *PriceSMA) Ready() bool { return s.full() }

// WarmUp returns n-1, the number of prices before the first average.
func (s *PriceSMA) WarmUp() int { return len(s.buf) - 1 }

// Len returns the window length.
func (s *PriceSMA) Len() int { return len(s.buf) }

// Sum returns the exact sum of the prices in the window, in Price units.
func (s *PriceSMA) Sum() int64 { return s.total }

// Value returns the average as a float64 (NaN-free; the average of the
// prices pushed so far before the window is full, 0 before any push).
func (s *PriceSMA) Value() float64 {
	if s.count == 0 {
		return 0
	}
	return float64(s.total) / float64(s.count) / engine.PriceScale
}

// ComparePriceSMA compares the averages of a and b exactly: -1 if a's is
// lower, 0 if they are equal, +1 if a's is higher. It cross-multiplies the
// integer window sums in 128 bits, so there is no rounding and no overflow.
func ComparePriceSMA(a, b *PriceSMA) int {
	return compareRatio(a.total, int64(a.count), b.total, int64(b.count))
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

// MaxWindow is the longest window a built-in strategy or a [ParseSpec]
// text accepts: one million bars. Windows are allocated up front, so an
// absurd length would exhaust memory before the first bar.
const MaxWindow = 1_000_000

// checkLen panics if the length n of the indicator called name is below 1.
// Lengths come from code; texts are checked by ParseSpec.
func checkLen(name string, n int) {
	if n < 1 {
		panic(fmt.Sprintf("indicator: %s length %d < 1", name, n))
	}
}
