package indicator_test

import (
	"fmt"
	"os"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/indicator"
)

var closes = []float64{44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.00}

// bars makes daily bars from closes, with highs and lows a little apart.
func bars() []engine.Bar {
	out := make([]engine.Bar, len(closes))
	for i, c := range closes {
		p := engine.PriceFromFloat(c)
		out[i] = engine.Bar{
			Time: time.Date(2024, 3, 1+i, 0, 0, 0, 0, time.UTC), Open: p,
			High: p + engine.PriceFromFloat(0.25), Low: p - engine.PriceFromFloat(0.25), Close: p, Volume: float64(1000 + 100*i),
		}
	}
	return out
}

func feed(ind indicator.Indicator) {
	for _, c := range closes {
		ind.Update(c)
	}
}

func feedBars(ind indicator.BarIndicator) {
	for _, b := range bars() {
		ind.UpdateBar(b)
	}
}

func ExampleSMA() {
	s := indicator.NewSMA(5)
	feed(s)
	fmt.Printf("%.4f ready=%v warm-up=%d\n", s.Value(), s.Ready(), s.WarmUp())
	// Output: 46.0400 ready=true warm-up=4
}

func ExamplePriceSMA() {
	fast, slow := indicator.NewPriceSMA(2), indicator.NewPriceSMA(4)
	for _, s := range []string{"0.1", "0.2", "0.3", "0.1", "0.2", "0.3"} {
		p, _ := engine.ParsePrice(s)
		fast.Push(p)
		slow.Push(p)
	}
	// (0.2 + 0.3)/2 against (0.3 + 0.1 + 0.2 + 0.3)/4, exactly
	fmt.Println(indicator.ComparePriceSMA(fast, slow))
	// Output: 1
}

func ExampleEMA() {
	e := indicator.NewEMA(10)
	feed(e)
	fmt.Printf("%.4f\n", e.Value())
	// Output: 45.6657
}

func ExampleWMA() {
	w := indicator.NewWMA(5)
	feed(w)
	fmt.Printf("%.4f\n", w.Value())
	// Output: 46.0807
}

func ExampleDEMA() {
	d := indicator.NewDEMA(5)
	feed(d)
	fmt.Printf("%.4f warm-up=%d\n", d.Value(), d.WarmUp())
	// Output: 46.1950 warm-up=8
}

func ExampleTEMA() {
	d := indicator.NewTEMA(4)
	feed(d)
	fmt.Printf("%.4f warm-up=%d\n", d.Value(), d.WarmUp())
	// Output: 46.0748 warm-up=9
}

func ExampleRSI() {
	r := indicator.NewRSI(14)
	feed(r)
	fmt.Printf("%.4f\n", r.Value())
	flat := indicator.NewRSI(14)
	for range 20 {
		flat.Update(100)
	}
	fmt.Println(flat.Value())
	// Output:
	// 66.2496
	// 50
}

func ExampleMACD() {
	m := indicator.NewMACD(3, 6, 4)
	feed(m)
	fmt.Printf("line %.4f signal %.4f hist %.4f\n", m.Line(), m.Signal(), m.Hist())
	// Output: line 0.1087 signal 0.1692 hist -0.0605
}

func ExampleBollinger() {
	b := indicator.NewBollinger(10, 2)
	feed(b)
	fmt.Printf("%.4f %.4f %.4f %%B %.4f bandwidth %.4f\n", b.Upper(), b.Middle(), b.Lower(), b.PercentB(), b.Bandwidth())
	// Output: 46.5697 45.8530 45.1363 %B 0.6026 bandwidth 0.0313
}

func ExampleTrueRange() {
	t := indicator.NewTrueRange()
	feedBars(t)
	fmt.Printf("%.2f\n", t.Value())
	// Output: 0.53
}

func ExampleATR() {
	a := indicator.NewATR(14)
	feedBars(a)
	fmt.Printf("%.4f\n", a.Value())
	// Output: 0.6255
}

func ExampleADX() {
	a := indicator.NewADX(5)
	feedBars(a)
	fmt.Printf("ADX %.2f +DI %.2f -DI %.2f\n", a.Value(), a.PlusDI(), a.MinusDI())
	// Output: ADX 36.66 +DI 28.40 -DI 20.94
}

func ExampleStochastic() {
	s := indicator.NewStochastic(5, 3, 3)
	feedBars(s)
	fmt.Printf("%%K %.2f %%D %.2f\n", s.K(), s.D())
	// Output: %K 70.66 %D 63.73
}

func ExampleWilliamsR() {
	w := indicator.NewWilliamsR(5)
	feedBars(w)
	fmt.Printf("%.2f\n", w.Value())
	// Output: -45.30
}

func ExampleCCI() {
	c := indicator.NewCCI(10)
	feedBars(c)
	fmt.Printf("%.2f\n", c.Value())
	// Output: 33.98
}

func ExampleROC() {
	r := indicator.NewROC(10)
	feed(r)
	fmt.Printf("%.4f\n", r.Value())
	// Output: 2.6099
}

func ExampleMomentum() {
	m := indicator.NewMomentum(10)
	feed(m)
	fmt.Printf("%.2f\n", m.Value())
	// Output: 1.17
}

func ExampleStdDev() {
	s := indicator.NewStdDev(5)
	feed(s)
	fmt.Printf("%.4f\n", s.Value())
	// Output: 0.2457
}

func ExampleZScore() {
	z := indicator.NewZScore(5)
	feed(z)
	fmt.Printf("%.4f\n", z.Value())
	// Output: -0.1628
}

func ExampleHighest() {
	h := indicator.NewHighest(5)
	feed(h)
	fmt.Println(h.Value())
	// Output: 46.28
}

func ExampleLowest() {
	l := indicator.NewLowest(5)
	feed(l)
	fmt.Println(l.Value())
	// Output: 45.61
}

func ExampleDonchian() {
	d := indicator.NewDonchian(5)
	feedBars(d)
	fmt.Printf("%.2f %.2f %.2f\n", d.Upper(), d.Middle(), d.Lower())
	// Output: 46.53 45.95 45.36
}

func ExampleOBV() {
	o := indicator.NewOBV()
	feedBars(o)
	fmt.Println(o.Value())
	// Output: 7400
}

func ExampleVWAP() {
	v := indicator.NewVWAP()
	feedBars(v) // daily bars: every bar is its own session
	fmt.Println(v.Value())
	// Output: 46
}

func ExampleRollingVWAP() {
	v := indicator.NewRollingVWAP(3)
	feedBars(v)
	fmt.Printf("%.4f\n", v.Value())
	// Output: 46.1828
}

func ExampleKeltner() {
	k := indicator.NewKeltner(10, 2, 5)
	feedBars(k)
	fmt.Printf("%.4f %.4f %.4f\n", k.Upper(), k.Middle(), k.Lower())
	// Output: 46.8835 45.6657 44.4480
}

func ExampleLinRegSlope() {
	s := indicator.NewLinRegSlope(10)
	feed(s)
	fmt.Printf("%.4f\n", s.Value())
	// Output: 0.0912
}

func ExampleCorrelation() {
	c := indicator.NewCorrelation(5)
	for i, x := range closes {
		c.Update(x, float64(i)) // against time
	}
	fmt.Printf("%.4f\n", c.Value())
	// Output: 0.3511
}

func ExampleBeta() {
	b := indicator.NewBeta(5)
	for _, x := range closes {
		b.Update(100+2*(x-44), x) // twice the moves of x, on a bigger base
	}
	fmt.Printf("%.4f\n", b.Value())
	// Output: 0.8842
}

func ExampleCross() {
	var c indicator.Cross
	a := []float64{1, 2, 2, 3, 1}
	for i, b := range []float64{2, 2, 2, 2, 2} {
		up, down := c.Update(a[i], b)
		fmt.Println(i, up, down)
	}
	// Output:
	// 0 false false
	// 1 false false
	// 2 false false
	// 3 true false
	// 4 false true
}

func ExampleOf() {
	// RSI(5) of SMA(3) of the close, and SMA(3) of ATR(5)
	rsi := indicator.Of(indicator.NewRSI(5), indicator.On(indicator.NewSMA(3), indicator.Close))
	atr := indicator.Of(indicator.NewSMA(3), indicator.NewATR(5))
	feedBars(rsi)
	feedBars(atr)
	fmt.Printf("%.4f warm-up %d; %.4f warm-up %d\n", rsi.Value(), rsi.WarmUp(), atr.Value(), atr.WarmUp())
	// Output: 85.4198 warm-up 7; 0.6327 warm-up 7
}

func ExamplePipe() {
	p := indicator.Pipe(indicator.NewEMA(3), indicator.NewMomentum(1))
	feed(p) // EMA(3) of the bar-to-bar changes
	fmt.Printf("%.4f\n", p.Value())
	// Output: -0.0763
}

func ExampleWriteCSV() {
	inds, err := indicator.ParseSpecs([]string{"sma:3", "rsi:3", "macd:2:3:2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	src, _ := data.NewMemory("X", bars()[:6])
	if err := indicator.WriteCSV(os.Stdout, src, inds); err != nil {
		fmt.Println(err)
	}
	// Output:
	// time,sma,rsi,macd_line,macd_signal,macd_hist
	// 2024-03-01T00:00:00Z,,,,,
	// 2024-03-02T00:00:00Z,,,,,
	// 2024-03-03T00:00:00Z,44.19333333333333,,,,
	// 2024-03-04T00:00:00Z,43.95,7.058823529411244,-0.1216666666666697,-0.09750000000000014,-0.024166666666669556
	// 2024-03-05T00:00:00Z,44.03,59.06735751295326,0.030833333333333712,-0.011944444444444244,0.042777777777777956
	// 2024-03-06T00:00:00Z,44.25666666666667,74.1407528641571,0.1293055555555611,0.082222222222226,0.047083333333335115
}
