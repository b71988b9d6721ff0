package report

import (
	"fmt"
	"html/template"
	"image/color"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// palette colors the lines of the weights chart, one per symbol, as
// 0xRRGGBB; it repeats beyond its length.
var palette = [...]uint32{0x1f5fa8, 0xd38400, 0x2e8b57, 0xc0392b, 0x7b4fa0, 0x17a2b8, 0x8c564b, 0xe377c2}

// shadeDrawdowns shades the periods of the drawdowns dd, peak to
// recovery (or the last bar, at Unix nanoseconds last, the first being
// first), from lo to hi on the y axis, each labelled with its rank at
// the bottom unless a deeper one's label is within 3 % of the time axis.
func shadeDrawdowns(p *plot.Plot, dd []DrawdownRow, first, last int64, lo, hi float64) error {
	var labelled []float64
	for i, d := range dd {
		from, err := time.Parse(time.RFC3339Nano, d.Peak)
		if err != nil {
			return fmt.Errorf("drawdown peak %q: %w", d.Peak, err)
		}
		to := time.Unix(0, last)
		if d.Recovery != "" {
			if to, err = time.Parse(time.RFC3339Nano, d.Recovery); err != nil {
				return fmt.Errorf("drawdown recovery %q: %w", d.Recovery, err)
			}
		}
		x0, x1 := unix(from), unix(to)
		pg, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: lo}, {X: x1, Y: lo}, {X: x1, Y: hi}, {X: x0, Y: hi}})
		if err != nil {
			return err
		}
		pg.Color = rgb(colorLoss, 0x22)
		pg.LineStyle.Width = 0
		p.Add(pg)
		if slices.ContainsFunc(labelled, func(x float64) bool { return math.Abs(x-x0) < 0.03*(unixNano(last)-unixNano(first)) }) {
			continue
		}
		labelled = append(labelled, x0)
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x0, Y: lo}}, Labels: []string{fmt.Sprintf(" %d", i+1)}})
		if err != nil {
			return err
		}
		for k := range lb.TextStyle {
			lb.TextStyle[k].Font.Variant = "Sans"
			lb.TextStyle[k].Color = rgb(colorLoss, 0xff)
			lb.TextStyle[k].YAlign = 0 // above the bottom
		}
		p.Add(lb)
	}
	return nil
}

// histogramChart draws h, whose values are returns, in percent; with
// normal, the normal density of h's mean and standard deviation scaled to
// the counts; and, when varMark is finite, a dashed line at it labelled
// "VaR 5 %".
func histogramChart(title, xlabel string, h histogram, normal bool, varMark float64) (template.HTML, error) {
	p := newPlot(title, "count")
	p.X.Label.Text = xlabel
	if len(h.Counts) == 0 || h.N == h.Outside {
		p.Title.Text += ": no values"
		return svg(p)
	}
	lo, hi := 100*h.Lo, 100*h.Hi
	width := (hi - lo) / float64(len(h.Counts))
	if width == 0 {
		width = math.Max(math.Abs(lo)*0.01, 1e-6)
		lo, hi = lo-width/2, hi+width/2
	}
	bins := make([]plotter.HistogramBin, len(h.Counts))
	top := 0.0
	for i, c := range h.Counts {
		bins[i] = plotter.HistogramBin{Min: lo + float64(i)*width, Max: lo + float64(i+1)*width, Weight: float64(c)}
		top = math.Max(top, float64(c))
	}
	hist := &plotter.Histogram{Bins: bins, Width: width, FillColor: rgb(colorStrategy, 0xc0)}
	hist.LineStyle.Color = color.White
	hist.LineStyle.Width = vg.Points(0.5)
	p.Add(hist)
	if normal && h.SD > 0 {
		mu, sd, n := 100*h.Mean, 100*h.SD, float64(h.N)
		f := plotter.NewFunction(func(x float64) float64 {
			z := (x - mu) / sd
			return n * width * math.Exp(-z*z/2) / (sd * math.Sqrt(2*math.Pi))
		})
		f.XMin, f.XMax, f.Samples = lo, hi, 200
		f.Color, f.Width = rgb(colorMarker, 0xff), vg.Points(1.2)
		p.Add(f)
		p.Legend.Add("normal", f)
	}
	if v := 100 * varMark; !math.IsNaN(v) && !math.IsInf(v, 0) && v >= lo && v <= hi {
		l, err := plotter.NewLine(plotter.XYs{{X: v, Y: 0}, {X: v, Y: top}})
		if err != nil {
			return "", err
		}
		l.Color, l.Width = rgb(colorLoss, 0xff), vg.Points(1.2)
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("VaR 5 %% (%s)", fmtPct(varMark)), l)
	}
	p.Legend.Left = false
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, top*1.15
	return svg(p)
}

// seriesLine is one line of a chart over the exposure's times.
type seriesLine struct {
	name  string
	y     []float64
	color uint32
}

// exposureLines draws lines over ex's times, in percent.
func exposureLines(title string, ex *exposure, lines []seriesLine) (template.HTML, error) {
	p := newPlot(title, "% of equity")
	p.X.Tick.Marker = timeTicks(ex.Times)
	lo, hi := 0.0, 0.0
	for _, s := range lines {
		var xy plotter.XYs
		for i, v := range s.y {
			if v, ok := finite(100 * v); ok {
				xy = append(xy, plotter.XY{X: ex.Times[i], Y: v})
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		l, err := line(xy, rgb(s.color, 0xff), vg.Points(1.2))
		if err != nil {
			return "", err
		}
		if l != nil {
			p.Add(l)
			p.Legend.Add(s.name, l)
		}
	}
	if len(ex.Times) == 0 {
		p.Title.Text += ": no bars"
	}
	// Head room for the legend above the lines.
	if hi == lo {
		hi = lo + 1 // never invested: an axis of some height
	}
	p.Y.Min, p.Y.Max = lo, hi+(hi-lo)*0.25
	return svg(p)
}

// timeTicks labels a time axis of the times xs (Unix seconds) by date, by
// month when they span more than two years.
func timeTicks(xs []float64) plot.Ticker {
	layout := "2006-01-02"
	if len(xs) > 1 && xs[len(xs)-1]-xs[0] > 2*365*24*3600 {
		layout = "2006-01"
	}
	return plot.TimeTicks{Format: layout}
}

// exposureChart draws the net, gross, long and short exposure.
func exposureChart(ex *exposure) (template.HTML, error) {
	shorts := false
	for _, v := range ex.Shrt {
		shorts = shorts || v < 0
	}
	var lines []seriesLine
	switch {
	case ex.Gross == nil:
		lines = []seriesLine{{"net", ex.Net, colorStrategy}}
	case !shorts:
		lines = []seriesLine{{"net = gross = long (no short positions)", ex.Net, colorStrategy}}
	default:
		lines = []seriesLine{{"long", ex.Long, colorGain}, {"short", ex.Shrt, colorLoss},
			{"gross", ex.Gross, 0x222222}, {"net", ex.Net, colorStrategy}}
	}
	return exposureLines("Exposure (mean over each point's bars)", ex, lines)
}

// weightsChart draws each symbol's weight, position value / equity, as
// stacked bands: long weights stacked up from zero and short weights down
// from it, in the order of the symbols, so that the top edge is the long
// exposure and the bottom edge the short.
func weightsChart(ex *exposure) (template.HTML, error) {
	p := newPlot("Weights by symbol (position value / equity, stacked)", "% of equity")
	p.X.Tick.Marker = timeTicks(ex.Times)
	n := len(ex.Times)
	up, down := make([]float64, n), make([]float64, n)
	for k, sym := range ex.Symbols {
		upLow, downLow := slices.Clone(up), slices.Clone(down)
		for i, w := range ex.Weights[k] {
			if w, ok := finite(100 * w); ok && w > 0 {
				up[i] += w
			} else if ok {
				down[i] += w
			}
		}
		var longTop, longBottom, shortTop, shortBottom plotter.XYs
		for i, x := range ex.Times {
			longTop, longBottom = append(longTop, plotter.XY{X: x, Y: up[i]}), append(longBottom, plotter.XY{X: x, Y: upLow[i]})
			shortTop, shortBottom = append(shortTop, plotter.XY{X: x, Y: downLow[i]}), append(shortBottom, plotter.XY{X: x, Y: down[i]})
		}
		c := palette[k%len(palette)]
		for _, ring := range []plotter.XYs{band(longTop, longBottom), band(shortTop, shortBottom)} {
			if ring == nil {
				continue
			}
			pg, err := plotter.NewPolygon(ring)
			if err != nil {
				return "", err
			}
			pg.Color = rgb(c, 0xc0)
			pg.LineStyle.Width = 0
			p.Add(pg)
		}
		sw, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}, {X: 0, Y: 0}, {X: 0, Y: 0}})
		if err != nil {
			return "", err
		}
		sw.Color = rgb(c, 0xc0)
		p.Legend.Add(sym, sw)
	}
	if n == 0 {
		p.Title.Text += ": no bars"
	}
	return svg(p)
}

// band returns the closed ring between the edges top and bottom, both
// left to right, or nil when they coincide everywhere.
func band(top, bottom plotter.XYs) plotter.XYs {
	same := true
	for i := range top {
		same = same && top[i].Y == bottom[i].Y
	}
	if same || len(top) == 0 {
		return nil
	}
	ring := append(plotter.XYs(nil), top...)
	for i := len(bottom) - 1; i >= 0; i-- {
		ring = append(ring, bottom[i])
	}
	return ring
}

// annualChart draws the calendar-year returns as bars, with the
// benchmark's beside them when bench is not nil.
func annualChart(a *Analysis, bench map[string]float64) (template.HTML, error) {
	p := newPlot("Annual returns", "return %")
	rows := a.Annual
	if len(rows) == 0 {
		return svg(p)
	}
	width := vg.Points(28)
	if bench != nil {
		width = vg.Points(14)
	}
	var names []string
	var strat, bmk plotter.Values
	for _, y := range rows {
		strat = append(strat, 100*float64(y.Return))
		b, ok := bench[y.Period]
		if !ok {
			b = 0
		}
		bmk = append(bmk, 100*b)
		names = append(names, y.Period)
	}
	bars, err := plotter.NewBarChart(strat, width)
	if err != nil {
		return "", err
	}
	bars.Color = rgb(colorStrategy, 0xff)
	bars.LineStyle.Width = 0
	p.Add(bars)
	p.Legend.Add("strategy", bars)
	if bench != nil {
		bb, err := plotter.NewBarChart(bmk, width)
		if err != nil {
			return "", err
		}
		bb.Color = rgb(colorBenchmark, 0xff)
		bb.LineStyle.Width = 0
		bars.Offset, bb.Offset = -width/2, width/2
		p.Add(bb)
		p.Legend.Add("benchmark", bb)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(rows))-0.4
	// Zero in range, and head room for the legend.
	lo, hi := 0.0, 0.0
	for _, v := range slices.Concat(strat, bmk) {
		if v, ok := finite(v); ok {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if hi == lo {
		hi = lo + 1 // every return zero: an axis of some height
	}
	p.Y.Min, p.Y.Max = lo-(hi-lo)*0.05, hi+(hi-lo)*0.25
	return svg(p)
}
