package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"iter"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/quantloop/quantloop/metrics"
)

// Chart size, in points.
const (
	chartWidth  = 9 * vg.Inch
	chartHeight = 3.4 * vg.Inch
)

// Chart colors, as 0xRRGGBB.
const (
	colorStrategy  = 0x1f5fa8
	colorBenchmark = 0x888888
	colorLoss      = 0xc0392b
	colorGain      = 0x2e8b57
	colorMarker    = 0xd38400
)

// rgb returns the color c with opacity alpha (0 to 0xff).
func rgb(c uint32, alpha uint8) color.NRGBA {
	return color.NRGBA{R: uint8(c >> 16), G: uint8(c >> 8), B: uint8(c), A: alpha}
}

// newPlot returns a plot with a sans-serif font throughout. Fonts are set
// per plot rather than through plot.DefaultFont, a package variable.
func newPlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	sans := func(s *font.Font) { s.Variant = "Sans" }
	p.Title.Text = title
	sans(&p.Title.TextStyle.Font)
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		sans(&a.Label.TextStyle.Font)
		sans(&a.Tick.Label.Font)
	}
	sans(&p.Legend.TextStyle.Font)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Y.Tick.Marker = plainTicks{}
	p.Add(plotter.NewGrid())
	return p
}

// timeAxis sets the x axis of p to dates, by month when the times span
// more than two years.
func (c *chartData) timeAxis(p *plot.Plot) {
	layout := "2006-01-02"
	if c.len() > 1 && time.Duration(c.last-c.first) > 2*365*24*time.Hour {
		layout = "2006-01"
	}
	p.X.Tick.Marker = plot.TimeTicks{Format: layout}
}

// plainTicks are plot.DefaultTicks labelled with the shortest decimal
// text ("125000" rather than "125000.00").
type plainTicks struct{}

// Ticks implements plot.Ticker.
func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	return relabel(plot.DefaultTicks{}.Ticks(lo, hi))
}

// logTicks are plot.LogTicks labelled as plainTicks are ("1,000,000"
// rather than "1e+06").
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	return relabel(plot.LogTicks{Prec: -1}.Ticks(lo, hi))
}

// relabel labels the labelled ticks of ts with the shortest decimal text
// of their values to 12 significant digits, digits grouped by thousands.
func relabel(ts []plot.Tick) []plot.Tick {
	for i := range ts {
		if ts[i].Label != "" {
			// Rounded to 12 significant digits first: a tick at 0.6 may be
			// 0.6000000000000001.
			v, _ := strconv.ParseFloat(strconv.FormatFloat(ts[i].Value, 'g', 12, 64), 64)
			ts[i].Label = groupDigits(strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	return ts
}

// unix returns t as float seconds since 1970 for the time axis.
func unix(t time.Time) float64 { return float64(t.Unix()) + float64(t.Nanosecond())/1e9 }

// unixNano returns Unix nanoseconds as float seconds, as unix does.
func unixNano(n int64) float64 { return unix(time.Unix(0, n)) }

// svg draws p as an inline SVG element: the XML prolog is dropped and the
// fixed size becomes a view box that scales to the page.
// A panic of the plotting library, which checks its input by panicking,
// comes back as an error.
func svg(p *plot.Plot) (_ template.HTML, err error) {
	c := vgsvg.New(chartWidth, chartHeight)
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("chart %q: %v", p.Title.Text, v)
		}
	}()
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", fmt.Errorf("chart %q: %w", p.Title.Text, err)
	}
	out := b.Bytes()
	if i := bytes.Index(out, []byte("<svg")); i >= 0 {
		out = out[i:]
	}
	// vgsvg writes width="648pt" height="244.8pt"; let CSS size it.
	if i := bytes.Index(out, []byte(" viewBox")); i >= 0 {
		out = append([]byte(`<svg class="chart"`), out[i:]...)
	}
	return template.HTML(out), nil
}

// maxChartPoints bounds the points of one line, so that a long run gives
// a page of reasonable size.
const maxChartPoints = 4000

// thin returns at most about max of pts, reading them twice: when there
// are more, it splits them into max/2 runs of consecutive points and
// keeps the lowest and the highest point of each, in their order. The
// shape and the extremes survive; the choice is deterministic.
func thin(pts iter.Seq2[float64, float64], max int) plotter.XYs {
	n := 0
	for range pts {
		n++
	}
	return thinN(pts, n, max)
}

// thinN is thin of the n points pts, reading them once.
func thinN(pts iter.Seq2[float64, float64], n, max int) plotter.XYs {
	if n <= max {
		out := make(plotter.XYs, 0, n)
		for x, y := range pts {
			out = append(out, plotter.XY{X: x, Y: y})
		}
		return out
	}
	buckets := max / 2
	out := make(plotter.XYs, 0, 2*buckets)
	b, i, end := 0, 0, n/buckets // the bucket, the point's index, the bucket's end
	var lo, hi plotter.XY        // the lowest and the highest point of the bucket
	var ilo, ihi int             // and their indices
	for x, y := range pts {
		pt := plotter.XY{X: x, Y: y}
		if i == b*n/buckets {
			lo, hi, ilo, ihi = pt, pt, i, i
		} else {
			if y < lo.Y {
				lo, ilo = pt, i
			}
			if y > hi.Y {
				hi, ihi = pt, i
			}
		}
		i++
		if i == end {
			switch {
			case ilo == ihi:
				out = append(out, lo)
			case ilo < ihi:
				out = append(out, lo, hi)
			default:
				out = append(out, hi, lo)
			}
			b++
			end = (b + 1) * n / buckets
		}
	}
	return out
}

// points returns the points (Unix seconds, f(v)) of the times and the
// values y of d, without those f rejects.
func points(d *chartData, y metrics.Column, f func(float64) (float64, bool)) iter.Seq2[float64, float64] {
	return func(yield func(float64, float64) bool) {
		next, stop := iter.Pull(y.Chunks())
		defer stop()
		for tc := range d.nanos.Chunks() {
			vc, ok := next()
			if !ok {
				return
			}
			for i, t := range tc {
				if v, ok := f(vc[i]); ok && !yield(unixNano(t), v) {
					return
				}
			}
		}
	}
}

// finite keeps the values that are neither NaN nor infinite.
func finite(v float64) (float64, bool) { return v, !math.IsNaN(v) && !math.IsInf(v, 0) }

// line returns a line through the thinned points xy, or nil if there are
// none.
func line(xy plotter.XYs, c color.Color, width vg.Length) (*plotter.Line, error) {
	if len(xy) == 0 {
		return nil, nil
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = c, width
	return l, nil
}

// addMarkers draws a vertical labelled line for each marker within the
// plot's y range lo..hi.
func addMarkers(p *plot.Plot, markers []Marker, lo, hi float64) error {
	for _, m := range markers {
		t, err := time.Parse(time.RFC3339Nano, m.Time)
		if err != nil {
			return fmt.Errorf("marker %q: %w", m.Label, err)
		}
		x := unix(t)
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}})
		if err != nil {
			return err
		}
		l.Color = rgb(colorMarker, 0xff)
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: hi}}, Labels: []string{m.Label}})
		if err != nil {
			return err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Variant = "Sans"
			lb.TextStyle[i].Color = rgb(colorMarker, 0xff)
		}
		p.Add(l, lb)
	}
	return nil
}

// equityLines are the thinned lines of the equity and benchmark chart,
// computed once for its linear and its log form.
type equityLines struct {
	strategy, benchmark plotter.XYs // nil when there is no such line
	lo, hi              float64     // the range of the non-NaN values; ±Inf if none
}

// newEquityLines reads the equity and benchmark columns of d, with their
// range and counts taken as the rows came.
func newEquityLines(d *chartData) *equityLines {
	e := &equityLines{lo: d.lo, hi: d.hi}
	if d.hasBench {
		e.benchmark = thinN(points(d, d.benchmarkColumn(), finite), d.finiteBench, maxChartPoints)
	}
	e.strategy = thinN(points(d, d.equity, finite), d.finiteEquity, maxChartPoints)
	return e
}

// equityChart draws the equity curve and the benchmark's buy-and-hold,
// on a linear or a log scale, with the markers and the drawdowns dd
// shaded.
func equityChart(c *chartData, markers []Marker, e *equityLines, logScale bool, dd []DrawdownRow) (template.HTML, error) {
	title := "Equity and benchmark"
	if logScale {
		title += " (log scale)"
	}
	p := newPlot(title, "value")
	c.timeAxis(p)
	lo, hi := e.lo, e.hi
	if math.IsInf(lo, 0) {
		// A run with no bars has no values: an empty chart that says so,
		// on a linear scale, which needs no positive range.
		logScale = false
		p.Title.Text = "Equity and benchmark: no bars, nothing to draw"
	}
	if logScale && !(lo > 0) {
		// A log scale cannot show zero or negative equity.
		logScale = false
		p.Title.Text = "Equity and benchmark (log scale unavailable: a value is not positive)"
	}
	p.Y.Tick.Marker = plainTicks{}
	if logScale {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	if !math.IsInf(lo, 0) {
		// Under the lines, so that they keep their colors.
		if err := shadeDrawdowns(p, dd, c.first, c.last, lo, hi); err != nil {
			return "", err
		}
	}
	for _, l := range []struct {
		pts    plotter.XYs
		color  uint32
		width  float64
		legend string
	}{
		{e.benchmark, colorBenchmark, 1, "benchmark (buy and hold)"},
		{e.strategy, colorStrategy, 1.5, "strategy"},
	} {
		ln, err := line(l.pts, rgb(l.color, 0xff), vg.Points(l.width))
		if err != nil {
			return "", err
		}
		if ln != nil {
			p.Add(ln)
			p.Legend.Add(l.legend, ln)
		}
	}
	if !math.IsInf(lo, 0) {
		if err := addMarkers(p, markers, lo, hi); err != nil {
			return "", err
		}
		// Head room for the legend above the curves.
		if logScale {
			p.Y.Min, p.Y.Max = lo, hi*math.Pow(hi/lo, 0.2)
		} else {
			p.Y.Min, p.Y.Max = lo, hi+(hi-lo)*0.2
		}
	}
	return svg(p)
}

// underwaterChart draws the drawdown in percent.
func underwaterChart(c *chartData) (template.HTML, error) {
	p := newPlot("Underwater (drawdown)", "drawdown %")
	c.timeAxis(p)
	pts := thinN(points(c, c.drawdown, func(v float64) (float64, bool) { return 100 * v, true }), c.len(), maxChartPoints)
	if len(pts) > 0 {
		// A closed polygon down to each point and back along zero.
		poly := append(plotter.XYs{{X: pts[0].X, Y: 0}}, pts...)
		poly = append(poly, plotter.XY{X: pts[len(pts)-1].X, Y: 0})
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return "", err
		}
		pg.Color = rgb(colorLoss, 0x50)
		pg.LineStyle.Color = rgb(colorLoss, 0xff)
		pg.LineStyle.Width = vg.Points(0.8)
		p.Add(pg)
	}
	p.Y.Max = 0
	return svg(p)
}

// histogramBins is the number of bins of the trade-return histogram.
const histogramBins = 30

// rollingChart draws the values of a rolling statistic of trailing
// windows ending at the times x (Unix seconds, see rollingTimes), with
// ylabel on the y axis and scale applied to each value (100 for percent).
func rollingChart(d *chartData, title, ylabel string, x, values []float64, scale float64) (template.HTML, error) {
	p := newPlot(title, ylabel)
	d.timeAxis(p)
	if len(values) > 0 {
		pts := func(yield func(float64, float64) bool) {
			for i, v := range values {
				if v, ok := finite(v * scale); ok && !yield(x[i], v) {
					return
				}
			}
		}
		l, err := line(thin(pts, maxChartPoints), rgb(colorStrategy, 0xff), vg.Points(1.2))
		if err != nil {
			return "", err
		}
		if l != nil {
			p.Add(l)
		}
	}
	return svg(p)
}
