package indicator

import (
	"math"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// flatBars returns n bars with every price p, after the bars of lead (so
// that rounding left by earlier, varied inputs is exercised too).
func flatBars(lead []engine.Bar, n int, p float64) []engine.Bar {
	bars := append([]engine.Bar(nil), lead...)
	start := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	for i := range n {
		pp := engine.PriceFromFloat(p)
		bars = append(bars, engine.Bar{Time: start.AddDate(0, 0, i), Open: pp, High: pp, Low: pp, Close: pp, Volume: 0})
	}
	return bars
}

// TestFlat states what every indicator gives on a flat series, where a
// ratio's denominator is zero: the neutral value, exactly, never a
// division by zero. Each case runs on a flat series alone and, for the
// windowed indicators, after 300 varied bars (the recursive RSI and ADX
// keep a memory of earlier bars: a flat stretch after varied prices leaves
// the ratio of their smoothed terms as it was).
func TestFlat(t *testing.T) {
	const p = 101.37
	tests := []struct {
		name string
		make func() (BarIndicator, func() float64)
		want float64
		rec  bool // recursive: checked on a flat series alone
	}{
		{"RSI is 50", func() (BarIndicator, func() float64) { r := On(NewRSI(14), Close); return r, r.Value }, 50, true},
		{"StdDev is 0", func() (BarIndicator, func() float64) { r := On(NewStdDev(20), Close); return r, r.Value }, 0, false},
		{"ZScore is 0", func() (BarIndicator, func() float64) { r := On(NewZScore(20), Close); return r, r.Value }, 0, false},
		{"Bollinger %B is 0.5", func() (BarIndicator, func() float64) { b := NewBollinger(20, 2); return On(b, Close), b.PercentB }, 0.5, false},
		{"Bollinger bandwidth is 0", func() (BarIndicator, func() float64) { b := NewBollinger(20, 2); return On(b, Close), b.Bandwidth }, 0, false},
		{"Bollinger upper is the price", func() (BarIndicator, func() float64) { b := NewBollinger(20, 2); return On(b, Close), b.Upper }, p, false},
		{"Stochastic %K is 50", func() (BarIndicator, func() float64) { s := NewStochastic(14, 3, 3); return s, s.K }, 50, false},
		{"Stochastic %D is 50", func() (BarIndicator, func() float64) { s := NewStochastic(14, 3, 3); return s, s.D }, 50, false},
		{"WilliamsR is -50", func() (BarIndicator, func() float64) { w := NewWilliamsR(14); return w, w.Value }, -50, false},
		{"CCI is 0", func() (BarIndicator, func() float64) { c := NewCCI(20); return c, c.Value }, 0, false},
		{"ADX is 0", func() (BarIndicator, func() float64) { a := NewADX(5); return a, a.Value }, 0, true},
		{"+DI is 0", func() (BarIndicator, func() float64) { a := NewADX(5); return a, a.PlusDI }, 0, true},
		{"ROC is 0", func() (BarIndicator, func() float64) { r := On(NewROC(10), Close); return r, r.Value }, 0, false},
		{"LinRegSlope is 0", func() (BarIndicator, func() float64) { r := On(NewLinRegSlope(10), Close); return r, r.Value }, 0, false},
		{"VWAP without volume is the price", func() (BarIndicator, func() float64) { v := NewVWAP(); return v, v.Value }, p, false},
		{"RollingVWAP without volume is the price", func() (BarIndicator, func() float64) {
			v := NewRollingVWAP(10)
			return v, v.Value
		}, p, false},
		{"Donchian middle is the price", func() (BarIndicator, func() float64) { d := NewDonchian(10); return d, d.Middle }, p, false},
	}
	for _, tt := range tests {
		for _, lead := range [][]engine.Bar{nil, randomBars(300, 3)} {
			if tt.rec && lead != nil {
				continue
			}
			ind, value := tt.make()
			bars := flatBars(lead, 100, p)
			for _, b := range bars {
				ind.UpdateBar(b)
			}
			if !ind.Ready() {
				t.Fatalf("%s: not ready after %d bars", tt.name, len(bars))
			}
			if got := value(); math.Abs(got-tt.want) > 1e-9*math.Abs(tt.want) {
				t.Errorf("%s (after %d varied bars): %v, want %v", tt.name, len(lead), got, tt.want)
			}
		}
	}
	// Both series flat: correlation and beta are 0.
	c, b := NewCorrelation(10), NewBeta(10)
	for range 20 {
		c.Update(3, 4)
		b.Update(3, 4)
	}
	if c.Value() != 0 || b.Value() != 0 {
		t.Errorf("flat pair: correlation %v, beta %v, want 0, 0", c.Value(), b.Value())
	}
}

// TestNaNGaps states the NaN rule: an Indicator ignores a NaN input, so a
// series with NaN gaps gives, at each of its other inputs, exactly the
// values of the series with the gaps removed.
func TestNaNGaps(t *testing.T) {
	makers := map[string]func() Indicator{
		"SMA": func() Indicator { return NewSMA(10) }, "EMA": func() Indicator { return NewEMA(10) },
		"WMA": func() Indicator { return NewWMA(10) }, "DEMA": func() Indicator { return NewDEMA(10) },
		"TEMA": func() Indicator { return NewTEMA(10) }, "RSI": func() Indicator { return NewRSI(10) },
		"MACD": func() Indicator { return NewMACD(5, 10, 4) }, "ROC": func() Indicator { return NewROC(10) },
		"Momentum": func() Indicator { return NewMomentum(10) }, "StdDev": func() Indicator { return NewStdDev(10) },
		"ZScore": func() Indicator { return NewZScore(10) }, "Bollinger": func() Indicator { return NewBollinger(10, 2) },
		"Highest": func() Indicator { return NewHighest(10) }, "Lowest": func() Indicator { return NewLowest(10) },
		"CCI": func() Indicator { return NewCCI(10) }, "LinRegSlope": func() Indicator { return NewLinRegSlope(10) },
		"Pipe": func() Indicator { return Pipe(NewRSI(5), NewSMA(3)) },
	}
	xs := col(randomBars(400, 9), Close)
	for name, mk := range makers {
		gapped, clean := mk(), mk()
		for i, x := range xs {
			if i%7 == 3 {
				v, r := gapped.Value(), gapped.Ready()
				gapped.Update(nan)
				if gapped.Value() != v || gapped.Ready() != r {
					t.Fatalf("%s: a NaN changed the value", name)
				}
			}
			gapped.Update(x)
			clean.Update(x)
			if gapped.Value() != clean.Value() || gapped.Ready() != clean.Ready() {
				t.Fatalf("%s: input %d: %v with gaps, %v without", name, i, gapped.Value(), clean.Value())
			}
		}
	}
	c := NewCorrelation(5)
	c.Update(1, 2)
	c.Update(nan, 3)
	c.Update(2, nan)
	if c.xs.count != 1 {
		t.Errorf("a pair with a NaN was kept")
	}
}

// TestNoAllocs checks that updates allocate nothing.
func TestNoAllocs(t *testing.T) {
	bars := randomBars(200, 5)
	inds := []BarIndicator{
		On(NewSMA(10), Close), On(NewEMA(10), Close), On(NewWMA(10), Close), On(NewDEMA(10), Close), On(NewTEMA(10), Close),
		On(NewRSI(10), Close), On(NewMACD(5, 10, 4), Close), On(NewBollinger(10, 2), Close), NewATR(10), NewADX(10),
		NewStochastic(10, 3, 3), NewWilliamsR(10), NewCCI(10), On(NewROC(5), Close), On(NewMomentum(5), Close),
		On(NewStdDev(10), Close), On(NewZScore(10), Close), On(NewHighest(10), High), On(NewLowest(10), Low),
		NewDonchian(10), NewOBV(), NewVWAP(), NewRollingVWAP(10), NewKeltner(10, 2, 10), On(NewLinRegSlope(10), Close),
		Of(NewSMA(5), NewATR(10)),
	}
	c, beta := NewCorrelation(10), NewBeta(10)
	i := 0
	allocs := testing.AllocsPerRun(len(bars), func() {
		b := bars[i%len(bars)]
		for _, ind := range inds {
			ind.UpdateBar(b)
			_ = ind.Value()
		}
		c.Update(b.Close.Float64(), b.Open.Float64())
		beta.Update(b.Close.Float64(), b.Open.Float64())
		i++
	})
	if allocs != 0 {
		t.Errorf("%v allocations per bar, want 0", allocs)
	}
}

// TestCross pins the tie rule on a + b step sequences: a tie never
// signals, and passing through one fires on the first step past it.
func TestCross(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		want string // per step: u up, d down, . nothing
	}{
		{"plain", []float64{1, 2, 3, 2, 1}, []float64{2, 2.5, 2.5, 2.5, 2.5}, "..ud."},
		{"first side sets without signal", []float64{3, 1}, []float64{1, 3}, ".d"},
		{"through a tie", []float64{1, 2, 3}, []float64{2, 2, 2}, "..u"},
		{"tie then back", []float64{1, 2, 1, 3}, []float64{2, 2, 2, 2}, "...u"},
		{"long tie", []float64{3, 2, 2, 2, 1}, []float64{2, 2, 2, 2, 2}, "....d"},
		{"NaN is a tie", []float64{1, nan, 3}, []float64{2, 2, 2}, "..u"},
	}
	for _, tt := range tests {
		var c Cross
		got := ""
		for i := range tt.a {
			up, down := c.Update(tt.a[i], tt.b[i])
			switch {
			case up:
				got += "u"
			case down:
				got += "d"
			default:
				got += "."
			}
		}
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
