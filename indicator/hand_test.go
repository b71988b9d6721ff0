package indicator

import (
	"math"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// close enough for values worked out by hand as fractions
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// step is one input of a hand-worked case and the value expected after it;
// NaN means "not ready yet".
type step struct {
	in   float64
	want float64
}

var nan = math.NaN()

// TestHandWorked pins every single-input indicator, and each convention,
// on a short series worked out by hand (see the comments).
func TestHandWorked(t *testing.T) {
	tests := []struct {
		name  string
		ind   Indicator
		warm  int
		steps []step
	}{
		{"SMA(3)", NewSMA(3), 2, []step{{1, nan}, {2, nan}, {3, 2}, {4, 3}, {5, 4}}},
		// α = 1/2, seed = mean(1, 2, 3) = 2 (TA-Lib), then 2 + (6-2)/2 = 4
		{"EMA(3)", NewEMA(3), 2, []step{{1, nan}, {2, nan}, {3, 2}, {6, 4}, {2, 3}}},
		// (1·1 + 2·2 + 3·3)/6 = 14/6; (1·2 + 2·3 + 3·4)/6 = 20/6
		{"WMA(3)", NewWMA(3), 2, []step{{1, nan}, {2, nan}, {3, 14.0 / 6}, {4, 20.0 / 6}}},
		// α = 2/3: EMA1 = 1.5, 2.5, 3.5; EMA2 (of EMA1) = 2, 3: a line is
		// tracked without lag.
		{"DEMA(2)", NewDEMA(2), 2, []step{{1, nan}, {2, nan}, {3, 3}, {4, 4}}},
		// EMA1 = 1.5 .. 4.5, EMA2 = 2, 3, 4, EMA3 = 2.5, 3.5
		{"TEMA(2)", NewTEMA(2), 3, []step{{1, nan}, {2, nan}, {3, nan}, {4, 4}, {5, 5}}},
		// changes +1 +1 -1 +2; Wilder seed G = 1, L = 0 -> 100; then
		// G = (1+0)/2 = .5, L = (0+1)/2 = .5 -> 50; G = (.5+2)/2, L = .25
		{"RSI(2)", NewRSI(2), 2, []step{{1, nan}, {2, nan}, {3, 100}, {2, 50}, {4, 100 * 1.25 / 1.5}}},
		{"ROC(2)", NewROC(2), 2, []step{{1, nan}, {2, nan}, {4, 300}, {8, 300}, {0, -100}, {3, -62.5}, {5, 0}}}, // 0 when x_{t-n} = 0
		{"Momentum(2)", NewMomentum(2), 2, []step{{1, nan}, {2, nan}, {4, 3}, {8, 6}}},
		// population: sqrt(((1-2)² + 0 + (3-2)²)/3) = sqrt(2/3), not 1
		{"StdDev(3)", NewStdDev(3), 2, []step{{1, nan}, {2, nan}, {3, math.Sqrt(2.0 / 3)}, {3, math.Sqrt(2.0 / 9)}}},
		{"ZScore(3)", NewZScore(3), 2, []step{{1, nan}, {2, nan}, {3, 1 / math.Sqrt(2.0/3)}, {3, (3 - 8.0/3) / math.Sqrt(2.0/9)}}},
		{"Highest(3)", NewHighest(3), 2, []step{{1, nan}, {3, nan}, {2, 3}, {1, 3}, {0.5, 2}, {0.5, 1}, {0.5, 0.5}}},
		{"Lowest(3)", NewLowest(3), 2, []step{{4, nan}, {1, nan}, {2, 1}, {3, 1}, {5, 2}, {5, 3}}},
		// mean 10.1667, mean deviation 0.8889: (10 - 10.1667)/(0.015 · 0.8889)
		{"CCI(3)", NewCCI(3), 2, []step{{9, nan}, {11.5, nan}, {10, -12.5}}},
		// x = 0, 1, 2: slope = ((-1)(1-7/3) + (1)(4-7/3)) / 2 = 1.5
		{"LinRegSlope(3)", NewLinRegSlope(3), 2, []step{{1, nan}, {2, nan}, {4, 1.5}, {4, 1}}},
		{"Bollinger(3,2) middle", NewBollinger(3, 2), 2, []step{{1, nan}, {2, nan}, {3, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ind.WarmUp(); got != tt.warm {
				t.Errorf("WarmUp = %d, want %d", got, tt.warm)
			}
			for i, s := range tt.steps {
				tt.ind.Update(s.in)
				ready := !math.IsNaN(s.want)
				if tt.ind.Ready() != ready {
					t.Fatalf("step %d: Ready = %v, want %v", i, tt.ind.Ready(), ready)
				}
				if ready != (i >= tt.warm) {
					t.Fatalf("step %d: readiness disagrees with the stated warm-up %d", i, tt.warm)
				}
				if got := tt.ind.Value(); ready && !near(got, s.want) || !ready && got != 0 {
					t.Errorf("step %d: Value = %v, want %v", i, got, s.want)
				}
			}
		})
	}
}

// TestMACDHandWorked pins TA-Lib's MACD convention: the fast EMA starts
// slow-fast inputs late. MACD(2,3,2) of 1, 2, 4, 8, 16: the slow EMA (α
// 1/2) is 7/3, 31/6, 127/12 from the third input; the fast EMA (α 2/3)
// skips the first input, so its seed is (2+4)/2 = 3, then 19/3, 115/9;
// lines 2/3, 7/6, 79/36; signal seed (2/3 + 7/6)/2 = 11/12, then 191/108.
func TestMACDHandWorked(t *testing.T) {
	m := NewMACD(2, 3, 2)
	if m.WarmUp() != 3 {
		t.Fatalf("WarmUp = %d, want 3", m.WarmUp())
	}
	want := []struct{ line, signal float64 }{{nan, 0}, {nan, 0}, {nan, 0}, {7.0 / 6, 11.0 / 12}, {79.0 / 36, 191.0 / 108}}
	for i, x := range []float64{1, 2, 4, 8, 16} {
		m.Update(x)
		w := want[i]
		if m.Ready() != !math.IsNaN(w.line) {
			t.Fatalf("input %d: Ready = %v", i, m.Ready())
		}
		if !m.Ready() {
			continue
		}
		if !near(m.Line(), w.line) || !near(m.Signal(), w.signal) || !near(m.Hist(), w.line-w.signal) || m.Value() != m.Line() {
			t.Errorf("input %d: line %v signal %v hist %v, want %v %v %v", i, m.Line(), m.Signal(), m.Hist(), w.line, w.signal, w.line-w.signal)
		}
	}
}

// TestBollingerHandWorked: 1, 2, 3 have mean 2 and population deviation
// sd = sqrt(2/3); at 2 deviations %B = (3 - (2 - 2 sd)) / (4 sd) and the
// bandwidth is 4 sd / 2.
func TestBollingerHandWorked(t *testing.T) {
	b := NewBollinger(3, 2)
	for _, x := range []float64{1, 2, 3} {
		b.Update(x)
	}
	sd := math.Sqrt(2.0 / 3)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"middle", b.Middle(), 2}, {"upper", b.Upper(), 2 + 2*sd}, {"lower", b.Lower(), 2 - 2*sd},
		{"%B", b.PercentB(), (1 + 2*sd) / (4 * sd)}, {"bandwidth", b.Bandwidth(), 2 * sd},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func hlc(h, l, c, v float64, day int) engine.Bar {
	return engine.Bar{
		Time: time.Date(2024, 1, 1+day, 10, 0, 0, 0, time.UTC),
		Open: engine.PriceFromFloat(c), High: engine.PriceFromFloat(h), Low: engine.PriceFromFloat(l), Close: engine.PriceFromFloat(c), Volume: v,
	}
}

// handBars are the bars of the hand-worked bar indicator tests.
var handBars = []engine.Bar{
	hlc(10, 8, 9, 100, 0),
	hlc(12, 11, 11.5, 200, 1),
	hlc(11, 9, 10, 300, 2),
	hlc(10.5, 10, 10.2, 50, 3),
	hlc(12, 10.5, 11.8, 10, 4),
}

// TestBarHandWorked pins the bar indicators on handBars. True ranges:
// -, max(1, 3, 2) = 3, max(2, .5, 2.5) = 2.5, max(.5, .5, 0) = .5,
// max(1.5, 1.8, .3) = 1.8.
func TestBarHandWorked(t *testing.T) {
	// ADX(2): +DM -, 2, 0, 0, 1.5; -DM -, 0, 2, 0, 0. Sums over bar 1:
	// S+ = 2, S- = 0, STR = 3; then S = S - S/2 + v: bar 2 S+ 1, S- 2,
	// STR 4 (DI 25, 50, DX 100/3); bar 3: .5, 1, 2.5 (DI 20, 40, DX
	// 100/3); ADX seed = 100/3; bar 4: 1.75, .5, 3.05, DX = 100·1.25/2.25,
	// ADX = (100/3 + 500/9)/2 = 400/9.
	adx := NewADX(2)
	// Stochastic(2, 2, 2): fast %K at bars 1-3 = 87.5, 100/3, 60; %K =
	// means of two: 60.41667, 46.6667; at bar 4 fast %K is 90, %K 75, %D
	// (46.6667 + 75)/2.
	st := NewStochastic(2, 2, 2)
	type out struct {
		name string
		ind  BarIndicator
		warm int
		want []float64
	}
	for _, tt := range []out{
		{"TrueRange", NewTrueRange(), 1, []float64{nan, 3, 2.5, 0.5, 1.8}},
		// Wilder seed: mean of the first two true ranges, then (prev + TR)/2
		{"ATR(2)", NewATR(2), 2, []float64{nan, nan, 2.75, 1.625, 1.7125}},
		{"ADX(2)", adx, 3, []float64{nan, nan, nan, 100.0 / 3, 400.0 / 9}},
		{"Stochastic(2,2,2) %K", st, 3, []float64{nan, nan, nan, (100.0/3 + 60) / 2, 75}},
		{"WilliamsR(2)", NewWilliamsR(2), 1, []float64{nan, -12.5, -200.0 / 3, -40, -100 * 0.2 / 2}},
		// typical prices 9, 11.5, 10: see TestHandWorked
		{"CCI(3)", NewCCI(3), 2, []float64{nan, nan, -12.5}},
		{"OBV", NewOBV(), 0, []float64{100, 300, 0, 50, 60}},
		// every bar is its own session
		{"VWAP", NewVWAP(), 0, []float64{9, 11.5, 10, (10.5 + 10 + 10.2) / 3, (12 + 10.5 + 11.8) / 3}},
		{"RollingVWAP(2)", NewRollingVWAP(2), 1, []float64{nan, (9*100 + 11.5*200) / 300.0, (11.5*200 + 10*300) / 500.0, nan, nan}},
		{"Donchian(2) middle", NewDonchian(2), 1, []float64{nan, 10, 10.5, 10, 11}},
		// EMA(2) of the close: seed 10.25, then 10.25 + 2/3 (10 - 10.25);
		// ATR(2) 2.75
		{"Keltner(2,2,2) middle", NewKeltner(2, 2, 2), 2, []float64{nan, nan, 10.25 - 0.25*2/3, nan, nan}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ind.WarmUp() != tt.warm {
				t.Errorf("WarmUp = %d, want %d", tt.ind.WarmUp(), tt.warm)
			}
			for i, b := range handBars[:len(tt.want)] {
				tt.ind.UpdateBar(b)
				if tt.ind.Ready() != (i >= tt.warm) {
					t.Fatalf("bar %d: Ready = %v", i, tt.ind.Ready())
				}
				if w := tt.want[i]; !math.IsNaN(w) && !near(tt.ind.Value(), w) {
					t.Errorf("bar %d: Value = %v, want %v", i, tt.ind.Value(), w)
				}
			}
		})
	}
	if !near(adx.PlusDI(), 175/3.05) || !near(adx.MinusDI(), 50/3.05) {
		t.Errorf("DI = %v, %v, want %v, %v", adx.PlusDI(), adx.MinusDI(), 175/3.05, 50/3.05)
	}
	if d := ((100.0/3+60)/2 + 75) / 2; !near(st.D(), d) || !near(st.K(), 75) {
		t.Errorf("%%K, %%D = %v, %v, want 75, %v", st.K(), st.D(), d)
	}
}

// TestBandsHandWorked checks the other outputs of the channel indicators.
func TestBandsHandWorked(t *testing.T) {
	k := NewKeltner(2, 2, 2)
	d := NewDonchian(2)
	for _, b := range handBars[:3] {
		k.UpdateBar(b)
		d.UpdateBar(b)
	}
	mid := 10.25 - 0.25*2/3
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"keltner upper", k.Upper(), mid + 2*2.75}, {"keltner lower", k.Lower(), mid - 2*2.75},
		{"donchian upper", d.Upper(), 12}, {"donchian lower", d.Lower(), 9},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestPairHandWorked: correlation of (1, 2), (2, 4), (3, 7) is 5 /
// sqrt(2 · 114/9); the beta of the asset 1, 2, 3, 6 against the
// benchmark 1, 1.1, 1.155, 1.386 (returns 1, .5, 1 and .1, .05, .2) over
// two returns is .0125/.00125 = 10, then .0375/.01125 = 10/3.
func TestPairHandWorked(t *testing.T) {
	c := NewCorrelation(3)
	for _, p := range [][2]float64{{1, 2}, {2, 4}, {3, 7}} {
		c.Update(p[0], p[1])
	}
	if want := 5 / math.Sqrt(2*114.0/9); !near(c.Value(), want) {
		t.Errorf("correlation = %v, want %v", c.Value(), want)
	}
	b := NewBeta(2)
	want := []float64{nan, nan, 10, 10.0 / 3}
	for i, p := range [][2]float64{{1, 1}, {2, 1.1}, {3, 1.155}, {6, 1.386}} {
		b.Update(p[0], p[1])
		if b.Ready() != (i >= b.WarmUp()) {
			t.Fatalf("pair %d: Ready = %v", i, b.Ready())
		}
		if !math.IsNaN(want[i]) && math.Abs(b.Value()-want[i]) > 1e-9 {
			t.Errorf("pair %d: beta = %v, want %v", i, b.Value(), want[i])
		}
	}
}

// TestVWAPSession: two bars of one day average by volume, the next day
// starts again; a day without volume takes the plain mean.
func TestVWAPSession(t *testing.T) {
	day := time.Date(2024, 5, 6, 9, 30, 0, 0, time.UTC)
	bar := func(at time.Time, tp, v float64) engine.Bar {
		p := engine.PriceFromFloat(tp)
		return engine.Bar{Time: at, Open: p, High: p, Low: p, Close: p, Volume: v}
	}
	w := NewVWAP()
	for _, s := range []struct {
		b    engine.Bar
		want float64
	}{
		{bar(day, 10, 100), 10},
		{bar(day.Add(time.Hour), 12, 300), (1000 + 3600) / 400.0},
		{bar(day.Add(6*time.Hour+29*time.Minute), 11, 0), (1000 + 3600) / 400.0},
		{bar(day.AddDate(0, 0, 1), 20, 10), 20},
		{bar(day.AddDate(0, 0, 2), 5, 0), 5},
		{bar(day.AddDate(0, 0, 2).Add(time.Hour), 6, 0), 5.5},
	} {
		w.UpdateBar(s.b)
		if !near(w.Value(), s.want) {
			t.Errorf("%v: VWAP %v, want %v", s.b.Time, w.Value(), s.want)
		}
	}
}
