package indicator

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

// randomBars returns n hourly bars of a random walk in cents, seven bars a
// session, with random wicks and whole volumes (some zero).
func randomBars(n int, seed uint64) []engine.Bar {
	rng := rand.New(rand.NewPCG(seed, 1))
	bars := make([]engine.Bar, n)
	c := 10000.0 // cents
	day := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range bars {
		o := c
		c = math.Max(100, math.Round(c*(1+0.01*rng.NormFloat64())))
		h := math.Max(o, c) + math.Round(math.Abs(rng.NormFloat64())*30)
		l := math.Min(o, c) - math.Round(math.Abs(rng.NormFloat64())*30)
		v := math.Floor(rng.Float64() * 1000)
		if rng.IntN(10) == 0 {
			v = 0
		}
		bars[i] = engine.Bar{
			Time: day.AddDate(0, 0, i/7).Add(time.Duration(i%7) * time.Hour),
			Open: engine.Price(o * 1e6), High: engine.Price(h * 1e6), Low: engine.Price(l * 1e6), Close: engine.Price(c * 1e6),
			Volume: v,
		}
	}
	return bars
}

// The direct forms below compute each value from the whole history or the
// window, as the formulas in the doc comments read, with no running state.

func col(bars []engine.Bar, f Field) []float64 {
	xs := make([]float64, len(bars))
	for i := range bars {
		xs[i] = f.Of(&bars[i])
	}
	return xs
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func popSD(xs []float64) float64 {
	m := mean(xs)
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)))
}

// emaAt is the EMA of xs (NaN before start) as an explicit weighted sum:
// the seed mean of xs[start:start+n] weighted (1-α)^k plus α(1-α)^(t-j)
// x_j for the later inputs.
func emaAt(xs []float64, start, n, t int) float64 {
	if t < start+n-1 {
		return nan
	}
	a := 2 / float64(n+1)
	v := mean(xs[start:start+n]) * math.Pow(1-a, float64(t-(start+n-1)))
	for j := start + n; j <= t; j++ {
		v += a * math.Pow(1-a, float64(t-j)) * xs[j]
	}
	return v
}

func emaSeries(xs []float64, start, n int) []float64 {
	out := make([]float64, len(xs))
	for t := range xs {
		out[t] = emaAt(xs, start, n, t)
	}
	return out
}

// wilderAt is Wilder's smoothing of vs (from index start) as an explicit
// weighted sum of the seed and the later terms.
func wilderAt(vs []float64, start, n, t int) float64 {
	if t < start+n-1 {
		return nan
	}
	r := float64(n-1) / float64(n)
	v := mean(vs[start:start+n]) * math.Pow(r, float64(t-(start+n-1)))
	for j := start + n; j <= t; j++ {
		v += math.Pow(r, float64(t-j)) * vs[j] / float64(n)
	}
	return v
}

func window(xs []float64, n, t int) []float64 {
	if t < n-1 {
		return nil
	}
	return xs[t-n+1 : t+1]
}

func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}

func minOf(xs []float64) float64 {
	m := math.Inf(1)
	for _, x := range xs {
		m = math.Min(m, x)
	}
	return m
}

func trueRanges(bars []engine.Bar) []float64 {
	h, l, c := col(bars, High), col(bars, Low), col(bars, Close)
	tr := make([]float64, len(bars))
	tr[0] = nan
	for t := 1; t < len(bars); t++ {
		tr[t] = max(h[t]-l[t], math.Abs(h[t]-c[t-1]), math.Abs(l[t]-c[t-1]))
	}
	return tr
}

func cov(xs, ys []float64) float64 {
	mx, my := mean(xs), mean(ys)
	var s float64
	for i := range xs {
		s += (xs[i] - mx) * (ys[i] - my)
	}
	return s
}

// adxDirect returns +DI, -DI and ADX of length n at every bar.
func adxDirect(bars []engine.Bar, n int) (pdi, mdi, adx []float64) {
	h, l := col(bars, High), col(bars, Low)
	tr := trueRanges(bars)
	pdm, mdm := make([]float64, len(bars)), make([]float64, len(bars))
	for t := 1; t < len(bars); t++ {
		up, down := h[t]-h[t-1], l[t-1]-l[t]
		if up > down && up > 0 {
			pdm[t] = up
		}
		if down > up && down > 0 {
			mdm[t] = down
		}
	}
	// S_t = (1-1/n)^(t-n+1) Σ_{1..n-1} v + Σ_{n..t} (1-1/n)^(t-j) v_j
	smooth := func(v []float64, t int) float64 {
		r := 1 - 1/float64(n)
		s := 0.0
		for j := 1; j < n; j++ {
			s += v[j]
		}
		s *= math.Pow(r, float64(t-n+1))
		for j := n; j <= t; j++ {
			s += math.Pow(r, float64(t-j)) * v[j]
		}
		return s
	}
	pdi, mdi, adx = make([]float64, len(bars)), make([]float64, len(bars)), make([]float64, len(bars))
	dx := make([]float64, len(bars))
	for t := range bars {
		pdi[t], mdi[t], adx[t] = nan, nan, nan
		if t < n {
			continue
		}
		st := smooth(tr, t)
		pdi[t], mdi[t] = 100*smooth(pdm, t)/st, 100*smooth(mdm, t)/st
		dx[t] = 100 * math.Abs(pdi[t]-mdi[t]) / (pdi[t] + mdi[t])
		adx[t] = wilderAt(dx, n, n, t)
	}
	return pdi, mdi, adx
}

// direct is one output checked against its direct form.
type direct struct {
	name   string
	update func(b engine.Bar)
	ready  func() bool
	value  func() float64
	warm   int
	want   []float64 // NaN before the warm-up
}

func directCases(bars []engine.Bar) []direct {
	c, h, l, tp, v := col(bars, Close), col(bars, High), col(bars, Low), col(bars, Typical), col(bars, Volume)
	o := col(bars, Open)
	N := len(bars)
	series := func(f func(t int) float64) []float64 {
		out := make([]float64, N)
		for t := range out {
			out[t] = f(t)
		}
		return out
	}
	var cases []direct
	add := func(name string, ind BarIndicator, want []float64) {
		cases = append(cases, direct{name, ind.UpdateBar, ind.Ready, ind.Value, ind.WarmUp(), want})
	}
	addOut := func(name string, ind BarIndicator, value func() float64, want []float64) {
		cases = append(cases, direct{name, ind.UpdateBar, ind.Ready, value, ind.WarmUp(), want})
	}
	const n = 14
	add("SMA", On(NewSMA(n), Close), series(func(t int) float64 {
		if w := window(c, n, t); w != nil {
			return mean(w)
		}
		return nan
	}))
	add("EMA", On(NewEMA(n), Close), emaSeries(c, 0, n))
	add("WMA", On(NewWMA(n), Close), series(func(t int) float64 {
		w := window(c, n, t)
		if w == nil {
			return nan
		}
		var s float64
		for i, x := range w {
			s += float64(i+1) * x
		}
		return s / (n * (n + 1) / 2)
	}))
	e1 := emaSeries(c, 0, n)
	e2 := emaSeries(e1, n-1, n)
	e3 := emaSeries(e2, 2*(n-1), n)
	add("DEMA", On(NewDEMA(n), Close), series(func(t int) float64 { return 2*e1[t] - e2[t] }))
	add("TEMA", On(NewTEMA(n), Close), series(func(t int) float64 { return 3*e1[t] - 3*e2[t] + e3[t] }))
	gain, loss := make([]float64, N), make([]float64, N)
	for t := 1; t < N; t++ {
		gain[t], loss[t] = math.Max(c[t]-c[t-1], 0), math.Max(c[t-1]-c[t], 0)
	}
	add("RSI", On(NewRSI(n), Close), series(func(t int) float64 {
		g, l := wilderAt(gain, 1, n, t), wilderAt(loss, 1, n, t)
		return 100 * g / (g + l)
	}))
	fast, slow := emaSeries(c, 26-12, 12), emaSeries(c, 0, 26)
	line := series(func(t int) float64 { return fast[t] - slow[t] })
	signal := emaSeries(line, 25, 9)
	for t := range line {
		if math.IsNaN(signal[t]) {
			line[t] = nan
		}
	}
	macd := NewMACD(12, 26, 9)
	mc := On(macd, Close)
	addOut("MACD line", mc, macd.Line, line)
	macd2 := NewMACD(12, 26, 9)
	addOut("MACD signal", On(macd2, Close), macd2.Signal, signal)
	macd3 := NewMACD(12, 26, 9)
	addOut("MACD hist", On(macd3, Close), macd3.Hist, series(func(t int) float64 { return line[t] - signal[t] }))
	bb := func(f func(m, sd, x float64) float64) []float64 {
		return series(func(t int) float64 {
			w := window(c, 20, t)
			if w == nil {
				return nan
			}
			return f(mean(w), popSD(w), c[t])
		})
	}
	for _, o := range []struct {
		name string
		get  func(*Bollinger) func() float64
		want []float64
	}{
		{"upper", func(b *Bollinger) func() float64 { return b.Upper }, bb(func(m, sd, x float64) float64 { return m + 2.5*sd })},
		{"middle", func(b *Bollinger) func() float64 { return b.Middle }, bb(func(m, sd, x float64) float64 { return m })},
		{"lower", func(b *Bollinger) func() float64 { return b.Lower }, bb(func(m, sd, x float64) float64 { return m - 2.5*sd })},
		{"%B", func(b *Bollinger) func() float64 { return b.PercentB }, bb(func(m, sd, x float64) float64 { return (x - (m - 2.5*sd)) / (5 * sd) })},
		{"bandwidth", func(b *Bollinger) func() float64 { return b.Bandwidth }, bb(func(m, sd, x float64) float64 { return 5 * sd / m })},
	} {
		b := NewBollinger(20, 2.5)
		addOut("Bollinger "+o.name, On(b, Close), o.get(b), o.want)
	}
	tr := trueRanges(bars)
	add("TrueRange", NewTrueRange(), tr)
	add("ATR", NewATR(n), series(func(t int) float64 { return wilderAt(tr, 1, n, t) }))
	pdi, mdi, adxs := adxDirect(bars, n)
	a1, a2, a3 := NewADX(n), NewADX(n), NewADX(n)
	// +DI and -DI are stated ready with the ADX
	for t := range pdi {
		if math.IsNaN(adxs[t]) {
			pdi[t], mdi[t] = nan, nan
		}
	}
	addOut("ADX", a1, a1.Value, adxs)
	addOut("+DI", a2, a2.PlusDI, pdi)
	addOut("-DI", a3, a3.MinusDI, mdi)
	fastK := series(func(t int) float64 {
		if t < n-1 {
			return nan
		}
		hh, ll := maxOf(window(h, n, t)), minOf(window(l, n, t))
		return 100 * (c[t] - ll) / (hh - ll)
	})
	slowK := series(func(t int) float64 {
		if t < n+1 {
			return nan
		}
		return mean(window(fastK, 3, t))
	})
	stochD := series(func(t int) float64 {
		if t < n+3 {
			return nan
		}
		return mean(window(slowK, 3, t))
	})
	for t := range slowK {
		if math.IsNaN(stochD[t]) {
			slowK[t] = nan
		}
	}
	s1, s2 := NewStochastic(n, 3, 3), NewStochastic(n, 3, 3)
	addOut("Stochastic %K", s1, s1.K, slowK)
	addOut("Stochastic %D", s2, s2.D, stochD)
	add("WilliamsR", NewWilliamsR(n), series(func(t int) float64 {
		if t < n-1 {
			return nan
		}
		hh, ll := maxOf(window(h, n, t)), minOf(window(l, n, t))
		return -100 * (hh - c[t]) / (hh - ll)
	}))
	add("CCI", NewCCI(20), series(func(t int) float64 {
		w := window(tp, 20, t)
		if w == nil {
			return nan
		}
		m := mean(w)
		var md float64
		for _, x := range w {
			md += math.Abs(x - m)
		}
		return (tp[t] - m) / (0.015 * md / 20)
	}))
	add("ROC", On(NewROC(10), Close), series(func(t int) float64 {
		if t < 10 {
			return nan
		}
		return 100 * (c[t] - c[t-10]) / c[t-10]
	}))
	add("Momentum", On(NewMomentum(10), Open), series(func(t int) float64 {
		if t < 10 {
			return nan
		}
		return o[t] - o[t-10]
	}))
	add("StdDev", On(NewStdDev(20), Close), series(func(t int) float64 {
		if w := window(c, 20, t); w != nil {
			return popSD(w)
		}
		return nan
	}))
	add("ZScore", On(NewZScore(20), Close), series(func(t int) float64 {
		if w := window(c, 20, t); w != nil {
			return (c[t] - mean(w)) / popSD(w)
		}
		return nan
	}))
	add("Highest", On(NewHighest(n), High), series(func(t int) float64 {
		if w := window(h, n, t); w != nil {
			return maxOf(w)
		}
		return nan
	}))
	add("Lowest", On(NewLowest(n), Low), series(func(t int) float64 {
		if w := window(l, n, t); w != nil {
			return minOf(w)
		}
		return nan
	}))
	dc1, dc2, dc3 := NewDonchian(20), NewDonchian(20), NewDonchian(20)
	addOut("Donchian upper", dc1, dc1.Upper, series(func(t int) float64 {
		if w := window(h, 20, t); w != nil {
			return maxOf(w)
		}
		return nan
	}))
	addOut("Donchian lower", dc2, dc2.Lower, series(func(t int) float64 {
		if w := window(l, 20, t); w != nil {
			return minOf(w)
		}
		return nan
	}))
	addOut("Donchian middle", dc3, dc3.Middle, series(func(t int) float64 {
		if t < 19 {
			return nan
		}
		return (maxOf(window(h, 20, t)) + minOf(window(l, 20, t))) / 2
	}))
	add("OBV", NewOBV(), series(func(t int) float64 {
		s := v[0]
		for j := 1; j <= t; j++ {
			switch {
			case c[j] > c[j-1]:
				s += v[j]
			case c[j] < c[j-1]:
				s -= v[j]
			}
		}
		return s
	}))
	vwap := func(from, to int) float64 {
		var pv, vv float64
		for j := from; j <= to; j++ {
			pv += tp[j] * v[j]
			vv += v[j]
		}
		if vv == 0 {
			return mean(tp[from : to+1])
		}
		return pv / vv
	}
	add("VWAP", NewVWAP(), series(func(t int) float64 {
		from := t
		for from > 0 && bars[from-1].Time.YearDay() == bars[t].Time.YearDay() && bars[from-1].Time.Year() == bars[t].Time.Year() {
			from--
		}
		return vwap(from, t)
	}))
	add("RollingVWAP", NewRollingVWAP(10), series(func(t int) float64 {
		if t < 9 {
			return nan
		}
		return vwap(t-9, t)
	}))
	ke := emaSeries(c, 0, 20)
	katr := series(func(t int) float64 { return wilderAt(tr, 1, 10, t) })
	for _, o := range []struct {
		name string
		get  func(*Keltner) func() float64
		k    float64
	}{{"upper", func(k *Keltner) func() float64 { return k.Upper }, 1.5}, {"middle", func(k *Keltner) func() float64 { return k.Middle }, 0},
		{"lower", func(k *Keltner) func() float64 { return k.Lower }, -1.5}} {
		kc := NewKeltner(20, 1.5, 10)
		addOut("Keltner "+o.name, kc, o.get(kc), series(func(t int) float64 { return ke[t] + o.k*katr[t] }))
	}
	add("LinRegSlope", On(NewLinRegSlope(20), Close), series(func(t int) float64 {
		w := window(c, 20, t)
		if w == nil {
			return nan
		}
		xs := make([]float64, 20)
		for i := range xs {
			xs[i] = float64(i)
		}
		return cov(xs, w) / cov(xs, xs)
	}))
	add("SMA of ATR", Of(NewSMA(5), NewATR(n)), series(func(t int) float64 {
		if t < n+4 {
			return nan
		}
		var s float64
		for j := t - 4; j <= t; j++ {
			s += wilderAt(tr, 1, n, j)
		}
		return s / 5
	}))
	add("RSI of SMA", Of(NewRSI(n), On(NewSMA(5), Close)), func() []float64 {
		sma := series(func(t int) float64 {
			if w := window(c, 5, t); w != nil {
				return mean(w)
			}
			return nan
		})
		g, l := make([]float64, N), make([]float64, N)
		for t := 5; t < N; t++ {
			g[t], l[t] = math.Max(sma[t]-sma[t-1], 0), math.Max(sma[t-1]-sma[t], 0)
		}
		return series(func(t int) float64 {
			gg, ll := wilderAt(g, 5, n, t), wilderAt(l, 5, n, t)
			return 100 * gg / (gg + ll)
		})
	}())
	return cases
}

// closeRel reports whether got agrees with want to 1e-9 relative to
// max(|want|, 1).
func closeRel(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

// TestDirect checks every indicator, bar by bar over a long random series,
// against its direct windowed (or explicit-sum) form: readiness at the
// stated warm-up, and values to 1e-9 relative.
func TestDirect(t *testing.T) {
	bars := randomBars(1500, 7)
	for _, dc := range directCases(bars) {
		t.Run(dc.name, func(t *testing.T) {
			for i, b := range bars {
				dc.update(b)
				if dc.ready() != (i >= dc.warm) {
					t.Fatalf("bar %d: Ready = %v with warm-up %d", i, dc.ready(), dc.warm)
				}
				want := dc.want[i]
				if math.IsNaN(want) != !dc.ready() {
					t.Fatalf("bar %d: Ready = %v, direct form %v", i, dc.ready(), want)
				}
				if dc.ready() && !closeRel(dc.value(), want) {
					t.Fatalf("bar %d: %v, direct form %v", i, dc.value(), want)
				}
			}
		})
	}
}

// TestPairsDirect checks Correlation and Beta against their windowed forms
// on two random walks.
func TestPairsDirect(t *testing.T) {
	x, y := col(randomBars(1500, 1), Close), col(randomBars(1500, 2), Close)
	const n = 30
	c, b := NewCorrelation(n), NewBeta(n)
	for i := range x {
		c.Update(x[i], y[i])
		b.Update(x[i], y[i])
		if c.Ready() != (i >= c.WarmUp()) || b.Ready() != (i >= b.WarmUp()) {
			t.Fatalf("%d: Ready %v %v", i, c.Ready(), b.Ready())
		}
		if c.Ready() {
			wx, wy := window(x, n, i), window(y, n, i)
			if want := cov(wx, wy) / math.Sqrt(cov(wx, wx)*cov(wy, wy)); !closeRel(c.Value(), want) {
				t.Fatalf("%d: correlation %v, direct %v", i, c.Value(), want)
			}
		}
		if b.Ready() {
			ra, rb := make([]float64, n), make([]float64, n)
			for j := range ra {
				k := i - n + 1 + j
				ra[j], rb[j] = x[k]/x[k-1]-1, y[k]/y[k-1]-1
			}
			if want := cov(ra, rb) / cov(rb, rb); !closeRel(b.Value(), want) {
				t.Fatalf("%d: beta %v, direct %v", i, b.Value(), want)
			}
		}
	}
}
