package indicator

import (
	"math"

	"github.com/quantloop/quantloop/engine"
)

// ADX is Wilder's average directional index of length n, with the
// directional indicators +DI and -DI, as TA-Lib computes them. With
// up = high_t - high_{t-1} and down = low_{t-1} - low_t,
//
//	+DM = up   if up > down and up > 0,   else 0
//	-DM = down if down > up and down > 0, else 0
//
// and TR the true range. +DM, -DM and TR are summed over bars 1 to n-1 and
// from bar n on smoothed as S_t = S_{t-1} - S_{t-1}/n + v_t; then
//
//	+DI = 100 S(+DM) / S(TR),  -DI = 100 S(-DM) / S(TR)   (0 when S(TR) = 0)
//	DX  = 100 |+DI - -DI| / (+DI + -DI)                    (0 when both are 0)
//	ADX_{2n-1} = mean of the first n DX (bars n to 2n-1)
//	ADX_t      = (ADX_{t-1} (n-1) + DX_t) / n
//
// A flat series has +DI = -DI = DX = ADX = 0 (as TA-Lib). All three
// outputs are defined together, after a warm-up of 2n-1 bars. Value is the
// ADX.
type ADX struct {
	n                 int
	bars              int
	prevH, prevL      float64
	tr                TrueRange
	sPlus, sMinus, sT float64
	plusDI, minusDI   float64
	adx               wilder
}

// NewADX returns the average directional index of length n (n >= 1).
func NewADX(n int) *ADX {
	checkLen("ADX", n)
	return &ADX{n: n, adx: wilder{n: n}}
}

// UpdateBar adds b as the newest bar.
func (a *ADX) UpdateBar(b engine.Bar) {
	h, l := b.High.Float64(), b.Low.Float64()
	a.tr.UpdateBar(b)
	a.bars++
	if a.bars > 1 {
		up, down := h-a.prevH, a.prevL-l
		var pdm, mdm float64
		switch {
		case down > 0 && up < down:
			mdm = down
		case up > 0 && up > down:
			pdm = up
		}
		if a.bars <= a.n {
			a.sPlus += pdm
			a.sMinus += mdm
			a.sT += a.tr.value
		} else {
			n := float64(a.n)
			a.sPlus += pdm - a.sPlus/n
			a.sMinus += mdm - a.sMinus/n
			a.sT += a.tr.value - a.sT/n
			a.plusDI, a.minusDI = 0, 0
			if a.sT != 0 {
				a.plusDI, a.minusDI = 100*a.sPlus/a.sT, 100*a.sMinus/a.sT
			}
			var dx float64
			if s := a.plusDI + a.minusDI; s != 0 {
				dx = 100 * math.Abs(a.plusDI-a.minusDI) / s
			}
			a.adx.push(dx)
		}
	}
	a.prevH, a.prevL = h, l
}

// PlusDI returns +DI, 0 before Ready.
func (a *ADX) PlusDI() float64 {
	if !a.Ready() {
		return 0
	}
	return a.plusDI
}

// MinusDI returns -DI, 0 before Ready.
func (a *ADX) MinusDI() float64 {
	if !a.Ready() {
		return 0
	}
	return a.minusDI
}

// Value returns the ADX, 0 before Ready.
func (a *ADX) Value() float64 {
	if !a.Ready() {
		return 0
	}
	return a.adx.value
}

// Ready reports whether 2n bars have been seen.
func (a *ADX) Ready() bool { return a.adx.ready() }

// WarmUp returns 2n-1.
func (a *ADX) WarmUp() int { return 2*a.n - 1 }

// LinRegSlope is the slope of the least-squares line through the last n
// inputs against their positions 0 (oldest) to n-1 (newest), per input
// (TA-Lib LINEARREG_SLOPE):
//
//	slope = (n Σ i x_i - Σ i Σ x_i) / (n Σ i² - (Σ i)²)
//
// Σ i x_i is kept in O(1) as a weighted moving sum (see WMA). The slope of
// a window of equal inputs is exactly 0. The warm-up is n-1 inputs.
type LinRegSlope struct {
	w    WMA
	same int // how many of the newest inputs equal the newest
}

// NewLinRegSlope returns the regression slope over n inputs (n >= 2).
func NewLinRegSlope(n int) *LinRegSlope {
	if n < 2 {
		panic("indicator: LinRegSlope length < 2")
	}
	return &LinRegSlope{w: *NewWMA(n)}
}

// Update adds x as the newest input; a NaN is ignored.
func (s *LinRegSlope) Update(x float64) {
	if x != x {
		return
	}
	if s.w.count > 0 && s.w.ago(0) == x {
		s.same++
	} else {
		s.same = 1
	}
	s.w.Update(x)
}

// Value returns the slope, 0 before Ready.
func (s *LinRegSlope) Value() float64 {
	if !s.w.full() || s.same >= s.w.count {
		return 0
	}
	n := float64(len(s.w.buf))
	sx := n * (n - 1) / 2
	sxx := (n - 1) * n * (2*n - 1) / 6
	sxy := s.w.weighted - s.w.total // weights 1..n are positions 0..n-1 plus one
	return (n*sxy - sx*s.w.total) / (n*sxx - sx*sx)
}

// Ready reports whether n inputs have been seen.
func (s *LinRegSlope) Ready() bool { return s.w.full() }

// WarmUp returns n-1.
func (s *LinRegSlope) WarmUp() int { return s.w.WarmUp() }
