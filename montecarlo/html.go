package montecarlo

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
)

// Chart sizes of WriteHTML, in SVG user units.
const (
	chartW, chartH = 640, 240
	chartPad       = 64
)

// WriteHTML writes rep as one self-contained HTML page: per method, a fan
// chart of the equity quantiles (5–95 % and 25–75 % bands, the median as
// a line, the run's own path dashed), a histogram of the maximum drawdowns and the table of
// quantiles and probabilities. The page loads nothing; its charts are
// inline SVG. title heads the page.
func WriteHTML(w io.Writer, title string, rep *Report) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%s</title>
<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:left}svg{display:block;margin:0.5em 0}</style>
</head><body>
<h1>%s</h1>
<p>%d paths per method, seed %d, initial equity %s, ruin floor %s of it, over %s years.</p>
`, html.EscapeString(title), html.EscapeString(title), rep.Paths, rep.Seed, html.EscapeString(rep.Initial),
		pct(rep.RuinFloor), num(float64(rep.Years)))
	for _, r := range rep.Results {
		fmt.Fprintf(b, "<h2>%s</h2>\n<p>%d %s per path", r.Method, r.Steps, r.Unit)
		if r.BlockMean > 0 {
			fmt.Fprintf(b, "; mean block length %s periods", num(r.BlockMean))
		}
		b.WriteString(".</p>\n<h3>Equity quantiles</h3>\n<p>Bands: 5–95 % and 25–75 % of the paths; solid line: the median; dashed: the run's own path.</p>\n")
		fanSVG(b, r)
		b.WriteString("<h3>Maximum drawdown</h3>\n")
		histogramSVG(b, r)
		table(b, r)
	}
	b.WriteString("</body></html>\n")
	return b.Flush()
}

// table writes r's quantiles and probabilities as HTML tables.
func table(b *bufio.Writer, r Result) {
	b.WriteString("<table><tr><th>measure</th><th>5 %</th><th>25 %</th><th>50 %</th><th>75 %</th><th>95 %</th></tr>\n")
	for _, row := range []struct {
		name string
		q    Quantiles
		f    func(float64) string
	}{
		{"final equity", r.FinalEquity, num},
		{"CAGR", r.CAGR, pct},
		{"maximum drawdown", r.MaxDrawdown, pct},
		{"longest drawdown (" + r.Unit + ")", r.LongestDrawdown, num},
	} {
		fmt.Fprintf(b, "<tr><td>%s</td>", html.EscapeString(row.name))
		for _, v := range row.q.Values() {
			fmt.Fprintf(b, "<td>%s</td>", row.f(v))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n<table><tr><th>probability</th><th>share of paths</th></tr>\n")
	for _, p := range r.DrawdownOver {
		fmt.Fprintf(b, "<tr><td>maximum drawdown over %s</td><td>%s</td></tr>\n", pct(p.Level), pct(p.Probability))
	}
	fmt.Fprintf(b, "<tr><td>ruin</td><td>%s</td></tr>\n</table>\n", pct(r.Ruin))
}

// fanSVG writes r's fan chart.
func fanSVG(b *bufio.Writer, r Result) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for j, p := range r.Fan {
		lo, hi = math.Min(lo, math.Min(p.Quantiles.P5, r.Actual[j])), math.Max(hi, math.Max(p.Quantiles.P95, r.Actual[j]))
	}
	if !(hi > lo) {
		lo, hi = lo-1, hi+1
	}
	last := max(1, r.Fan[len(r.Fan)-1].Step)
	x := func(step int) float64 { return chartPad + float64(step)/float64(last)*(chartW-2*chartPad) }
	y := func(v float64) float64 { return chartH - chartPad/2 - (v-lo)/(hi-lo)*(chartH-chartPad) }
	band := func(lower, upper func(Quantiles) float64, fill string) {
		fmt.Fprintf(b, `<polygon fill="%s" points="`, fill)
		for _, p := range r.Fan {
			fmt.Fprintf(b, "%.1f,%.1f ", x(p.Step), y(upper(p.Quantiles)))
		}
		for i := len(r.Fan) - 1; i >= 0; i-- {
			fmt.Fprintf(b, "%.1f,%.1f ", x(r.Fan[i].Step), y(lower(r.Fan[i].Quantiles)))
		}
		b.WriteString("\"/>\n")
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="equity quantiles of %s">`+"\n",
		chartW, chartH, chartW, chartH, r.Method)
	band(func(q Quantiles) float64 { return q.P5 }, func(q Quantiles) float64 { return q.P95 }, "#c6dbef")
	band(func(q Quantiles) float64 { return q.P25 }, func(q Quantiles) float64 { return q.P75 }, "#6baed6")
	b.WriteString(`<polyline fill="none" stroke="#08306b" stroke-width="1.5" points="`)
	for _, p := range r.Fan {
		fmt.Fprintf(b, "%.1f,%.1f ", x(p.Step), y(p.Quantiles.P50))
	}
	b.WriteString("\"/>\n")
	b.WriteString(`<polyline fill="none" stroke="#cb181d" stroke-width="1.5" stroke-dasharray="4 3" points="`)
	for j, p := range r.Fan {
		fmt.Fprintf(b, "%.1f,%.1f ", x(p.Step), y(r.Actual[j]))
	}
	b.WriteString("\"><title>the run's own path</title></polyline>\n")
	axes(b, num(lo), num(hi), "0", strconv.Itoa(last)+" "+r.Unit)
	b.WriteString("</svg>\n")
}

// histogramSVG writes r's drawdown histogram.
func histogramSVG(b *bufio.Writer, r Result) {
	top := 1
	for _, bin := range r.Histogram {
		top = max(top, bin.Count)
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="maximum drawdown histogram of %s">`+"\n",
		chartW, chartH, chartW, chartH, r.Method)
	w := float64(chartW-2*chartPad) / float64(len(r.Histogram))
	for i, bin := range r.Histogram {
		h := float64(bin.Count) / float64(top) * (chartH - chartPad)
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#6baed6"><title>%s–%s: %d paths</title></rect>`+"\n",
			chartPad+float64(i)*w, chartH-chartPad/2-h, w-1, h, pct(bin.From), pct(bin.To), bin.Count)
	}
	axes(b, "0", strconv.Itoa(top)+" paths", "0 %", pct(r.Histogram[len(r.Histogram)-1].To))
	b.WriteString("</svg>\n")
}

// axes writes the frame of a chart and the labels of its ends: y from
// ylo to yhi, x from xlo to xhi.
func axes(b *bufio.Writer, ylo, yhi, xlo, xhi string) {
	fmt.Fprintf(b, `<path d="M%d %d V%d H%d" fill="none" stroke="#444"/>`+"\n", chartPad, chartPad/2, chartH-chartPad/2, chartW-chartPad)
	fmt.Fprintf(b, `<g font-size="11" fill="#444"><text x="%d" y="%d" text-anchor="end">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`,
		chartPad-4, chartH-chartPad/2, html.EscapeString(ylo), chartPad-4, chartPad/2+4, html.EscapeString(yhi))
	fmt.Fprintf(b, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text></g>`+"\n",
		chartPad, chartH-4, html.EscapeString(xlo), chartW-chartPad, chartH-4, html.EscapeString(xhi))
}

// num formats v with up to 6 significant digits; "–" for NaN.
func num(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// pct formats the fraction v as a percentage with two decimals; "–" for
// NaN.
func pct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v*100, 'f', 2, 64) + " %"
}
