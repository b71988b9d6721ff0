package sweep

import (
	"cmp"
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/quantloop/quantloop/store"
)

// Report is what a sweep's HTML page shows.
type Report struct {
	// ID is the sweep's id; Store the store's file, for the page's hints.
	ID, Store string
	// Runs are the sweep's runs as the store lists them (store.Runs with
	// the sweep's id, so that each has its deflated Sharpe ratio).
	Runs []*store.Summary
	// Varied are the paths the sweep varies, in the plan's order
	// (Space.Paths).
	Varied []string
	// Objective ranks the runs: a metric's name, highest first, or
	// -name, lowest first (empty: sharpe).
	Objective string
	// Heatmap are the two varied paths (or last parts of them) of the
	// heatmap, x then y; empty: the first two of Varied.
	Heatmap []string
	// Stats are the sweep's statistics (store.Store.Analyze).
	Stats *store.Stats
}

// MaxTableRows is the most runs the page's ranked table lists.
const MaxTableRows = 200

// Paths returns the paths s varies: the grid's, then the ranges'.
func (s Space) Paths() []string {
	var out []string
	for _, d := range s.Grid {
		out = append(out, d.Path)
	}
	for _, r := range s.Ranges {
		out = append(out, r.Path)
	}
	return out
}

// HeatmapAxes returns the two paths of a heatmap over varied: those
// named by xy (each a path or its last part; empty: the first two of
// varied). It is an error when xy names anything else, or when fewer than
// two paths vary and xy is not empty; with fewer than two and xy empty,
// it returns nil.
func HeatmapAxes(varied, xy []string) ([]string, error) {
	if len(xy) == 0 {
		if len(varied) < 2 {
			return nil, nil
		}
		return varied[:2], nil
	}
	if len(xy) != 2 {
		return nil, fmt.Errorf("heatmap %q: want two varied paths, X,Y", strings.Join(xy, ","))
	}
	out := make([]string, 2)
	for i, name := range xy {
		name = strings.TrimSpace(name)
		for _, p := range varied {
			if p == name || strings.HasSuffix(p, "."+name) {
				if out[i] != "" {
					return nil, fmt.Errorf("heatmap: %q names more than one varied path", name)
				}
				out[i] = p
			}
		}
		if out[i] == "" {
			return nil, fmt.Errorf("heatmap: %q is not a path the sweep varies (%s)", name, strings.Join(varied, ", "))
		}
	}
	if out[0] == out[1] {
		return nil, fmt.Errorf("heatmap: %q twice: want two different paths", out[0])
	}
	return out, nil
}

// Rank sorts runs by objective (a metric's name, highest first, or
// -name, lowest first): runs with a numeric value first, then by id.
func Rank(runs []*store.Summary, objective string) {
	name, asc := strings.CutPrefix(objective, "-")
	slices.SortStableFunc(runs, func(a, b *store.Summary) int {
		va, vb := a.Metrics[name], b.Metrics[name]
		na, nb := va.Numeric && !math.IsNaN(va.Num), vb.Numeric && !math.IsNaN(vb.Num)
		if na != nb {
			if na {
				return -1
			}
			return 1
		}
		c := 0
		if na {
			c = cmp.Compare(va.Num, vb.Num)
			if !asc {
				c = -c
			}
		}
		return cmp.Or(c, strings.Compare(a.ID, b.ID))
	})
}

// WriteHTML writes r as one self-contained HTML page (no script, no
// external file; charts in inline SVG): the sweep's statistics, its runs
// ranked by the objective, a heatmap of the objective over two varied
// paths (each cell the best run of its pair of values), the distribution
// of the objective over the runs, the deflated Sharpe ratios, and the
// distribution of the CSCV logits behind the PBO. The same report gives
// the same bytes.
func WriteHTML(w io.Writer, r Report) error {
	if r.Objective == "" {
		r.Objective = "sharpe"
	}
	name, asc := strings.CutPrefix(r.Objective, "-")
	axes, err := HeatmapAxes(r.Varied, r.Heatmap)
	if err != nil {
		return err
	}
	runs := slices.Clone(r.Runs)
	Rank(runs, r.Objective)
	p := page{ID: r.ID, Store: r.Store, Objective: r.Objective, Varied: r.Varied, Total: len(runs)}
	better := "highest"
	if asc {
		better = "lowest"
	}
	p.Better = better
	var objs, dsrs []float64
	for _, run := range runs {
		if v := run.Metrics[name]; v.Numeric && !math.IsNaN(v.Num) && !math.IsInf(v.Num, 0) {
			objs = append(objs, v.Num)
		}
		if d := run.DeflatedSharpe; !math.IsNaN(d) {
			dsrs = append(dsrs, d)
		}
	}
	for i, run := range runs[:min(len(runs), MaxTableRows)] {
		row := tableRow{Rank: i + 1, ID: run.ID[:min(12, len(run.ID))], DSR: fmtNum(run.DeflatedSharpe)}
		for _, v := range r.Varied {
			row.Params = append(row.Params, run.Params[v])
		}
		for _, m := range append([]string{name}, tableMetrics(name)...) {
			row.Metrics = append(row.Metrics, metricText(run, m))
		}
		p.Rows = append(p.Rows, row)
	}
	p.Columns = append([]string{name}, tableMetrics(name)...)
	if s := r.Stats; s != nil {
		p.Stats = []stat{
			{"trials (runs with a finite Sharpe ratio)", strconv.Itoa(s.Trials)},
			{"per-period Sharpe ratio: mean", fmtNum(s.SharpeMean)},
			{"per-period Sharpe ratio: variance", fmtNum(s.SharpeVariance)},
			{"per-period Sharpe ratio: max", fmtNum(s.SharpeMax)},
			{"probability of backtest overfitting (PBO)", fmtNum(s.PBO)},
			{"CSCV blocks, splits", fmt.Sprintf("%d, %d", s.PBOBlocks, s.PBOSplits)},
			{"median logit", fmtNum(s.LogitMedian)},
		}
		if len(s.Logits) > 0 {
			p.Logits = template.HTML(histogram(s.Logits, 24, "logit λ = ln(ω/(1−ω))", 0, true))
		}
	}
	if len(objs) > 0 {
		p.ObjectiveHist = template.HTML(histogram(objs, 24, name, 0, false))
	}
	if len(dsrs) > 0 {
		p.DSRHist = template.HTML(histogram(dsrs, 20, "deflated Sharpe ratio", 0.95, true))
	}
	if axes != nil {
		p.HeatX, p.HeatY = axes[0], axes[1]
		p.Heatmap = template.HTML(heatmap(runs, axes[0], axes[1], name, asc))
	}
	return pageTemplate.Execute(w, p)
}

// tableMetrics are the metrics of the ranked table after the objective.
func tableMetrics(objective string) []string {
	return slices.DeleteFunc([]string{"sharpe", "total_return", "max_drawdown", "trades", "final_equity"},
		func(m string) bool { return m == objective })
}

// metricText returns the run's metric for the table: a number to 6
// significant digits, money (final_equity) and text as stored.
func metricText(run *store.Summary, name string) string {
	v, ok := run.Metrics[name]
	switch {
	case !ok:
		return ""
	case v.Numeric && name != "final_equity" && !math.IsNaN(v.Num) && !math.IsInf(v.Num, 0):
		return strconv.FormatFloat(v.Num, 'g', 6, 64)
	}
	return v.Text
}

// fmtNum formats x with 4 significant digits; NaN and infinities as "-".
func fmtNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// page is the template's data.
type page struct {
	ID, Store, Objective, Better string
	Varied, Columns              []string
	Total                        int
	Rows                         []tableRow
	Stats                        []stat
	HeatX, HeatY                 string
	Heatmap, ObjectiveHist       template.HTML
	DSRHist, Logits              template.HTML
}

type tableRow struct {
	Rank            int
	ID, DSR         string
	Params, Metrics []string
}

type stat struct{ Name, Value string }

// axisValues returns the distinct values of path among runs: in numeric
// order when all are numbers, else in text order.
func axisValues(runs []*store.Summary, path string) []string {
	var vs []string
	for _, r := range runs {
		if v, ok := r.Params[path]; ok && !slices.Contains(vs, v) {
			vs = append(vs, v)
		}
	}
	numeric := true
	for _, v := range vs {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			numeric = false
		}
	}
	slices.SortFunc(vs, func(a, b string) int {
		if numeric {
			x, _ := strconv.ParseFloat(a, 64)
			y, _ := strconv.ParseFloat(b, 64)
			if c := cmp.Compare(x, y); c != 0 {
				return c
			}
		}
		return strings.Compare(a, b)
	})
	return vs
}

// heatmap returns an SVG grid of the best objective of the runs for each
// pair of values of x and y.
func heatmap(runs []*store.Summary, x, y, name string, asc bool) string {
	xs, ys := axisValues(runs, x), axisValues(runs, y)
	best := map[[2]string]float64{}
	for _, r := range runs {
		v := r.Metrics[name]
		if !v.Numeric || math.IsNaN(v.Num) || math.IsInf(v.Num, 0) {
			continue
		}
		k := [2]string{r.Params[x], r.Params[y]}
		if b, ok := best[k]; !ok || (asc && v.Num < b) || (!asc && v.Num > b) {
			best[k] = v.Num
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range best {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	const left, top, bottom = 90, 10, 50
	cw := clamp(560/max(len(xs), 1), 8, 64)
	ch := clamp(360/max(len(ys), 1), 8, 40)
	width, height := left+cw*len(xs)+10, top+ch*len(ys)+bottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-size="11" font-family="sans-serif">`, width, height, width, height)
	for j, yv := range ys {
		row := len(ys) - 1 - j // the lowest y at the bottom
		cy := top + row*ch
		if ch >= 11 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle">%s</text>`, left-4, cy+ch/2, esc(yv))
		}
		for i, xv := range xs {
			cx := left + i*cw
			v, ok := best[[2]string{xv, yv}]
			fill, label, t := "#e5e5e5", "none", 0.5
			if ok {
				if hi > lo {
					t = (v - lo) / (hi - lo)
				}
				if asc {
					t = 1 - t
				}
				fill, label = shade(t), fmtNum(v)
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#fff"><title>%s=%s %s=%s: %s</title></rect>`,
				cx, cy, cw, ch, fill, esc(x), esc(xv), esc(y), esc(yv), esc(label))
			if ok && cw >= 40 && ch >= 14 {
				color := "#000"
				if t > 0.55 {
					color = "#fff"
				}
				fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" dominant-baseline="middle" fill="%s" font-size="10">%s</text>`, cx+cw/2, cy+ch/2, color, esc(label))
			}
		}
	}
	step := max(1, (len(xs)*24+cw*len(xs)-1)/(cw*len(xs)))
	for i, xv := range xs {
		if i%step == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, left+i*cw+cw/2, top+ch*len(ys)+14, esc(xv))
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, left+cw*len(xs)/2, height-8, esc(x))
	fmt.Fprintf(&b, `<text x="12" y="%d" text-anchor="middle" transform="rotate(-90 12 %d)">%s</text>`, top+ch*len(ys)/2, top+ch*len(ys)/2, esc(y))
	b.WriteString(`</svg>`)
	return b.String()
}

// histogram returns an SVG histogram of xs in bins equal bins from their
// least to their largest value, labelled label; with mark, a vertical
// line at the value at (when within the range).
func histogram(xs []float64, bins int, label string, at float64, mark bool) string {
	lo, hi := slices.Min(xs), slices.Max(xs)
	if hi == lo {
		bins = 1
	}
	counts := make([]int, bins)
	for _, x := range xs {
		i := 0
		if hi > lo {
			i = min(int((x-lo)/(hi-lo)*float64(bins)), bins-1)
		}
		counts[i]++
	}
	top := slices.Max(counts)
	const width, height, left, plotH, base = 640, 200, 50, 150, 165
	bw := float64(width-left-10) / float64(bins)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-size="11" font-family="sans-serif">`, width, height, width, height)
	for i, c := range counts {
		h := float64(c) / float64(top) * plotH
		x0 := lo + (hi-lo)*float64(i)/float64(bins)
		x1 := lo + (hi-lo)*float64(i+1)/float64(bins)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#4a78b5"><title>%s to %s: %d</title></rect>`,
			float64(left)+float64(i)*bw+0.5, base-h, math.Max(bw-1, 0.5), h, fmtNum(x0), fmtNum(x1), c)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, left, base, width-10, base)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text>`, left-4, base-plotH+4, top)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">0</text>`, left-4, base)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="start">%s</text>`, left, base+14, fmtNum(lo))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, width-10, base+14, fmtNum(hi))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s (%d values)</text>`, (width+left)/2, base+30, esc(label), len(xs))
	if mark && at >= lo && at <= hi && hi > lo {
		x := float64(left) + (at-lo)/(hi-lo)*float64(width-left-10)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#c0392b" stroke-dasharray="4 3"/>`, x, base-plotH, x, base)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#c0392b" text-anchor="middle">%s</text>`, x, base-plotH-2, fmtNum(at))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// shade returns the colour of t in [0, 1], light (0) to dark blue (1).
func shade(t float64) string {
	t = math.Max(0, math.Min(1, t))
	lerp := func(a, b float64) int { return int(math.Round(a + (b-a)*t)) }
	return fmt.Sprintf("#%02x%02x%02x", lerp(0xf1, 0x08), lerp(0xf6, 0x30), lerp(0xfb, 0x6b))
}

func clamp(x, lo, hi int) int { return max(lo, min(hi, x)) }

func esc(s string) string { return html.EscapeString(s) }

var pageTemplate = template.Must(template.New("sweep").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>quantloop sweep {{printf "%.12s" .ID}}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1100px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; }
th { background: #f4f4f4; }
td.id, th.id { text-align: left; font-family: monospace; }
h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
p.note { color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>quantloop sweep</h1>
<p class="note">sweep <code>{{.ID}}</code>{{if .Store}} in <code>{{.Store}}</code>{{end}}: {{.Total}} runs varying {{range $i, $v := .Varied}}{{if $i}}, {{end}}<code>{{$v}}</code>{{end}}; ranked by <code>{{.Objective}}</code>, {{.Better}} first.</p>

<h2>Statistics</h2>
{{if .Stats}}<table>
{{range .Stats}}<tr><th class="id">{{.Name}}</th><td>{{.Value}}</td></tr>
{{end}}</table>
<p class="note">The deflated Sharpe ratio of each run (Bailey and López de Prado, 2014) takes the sweep's own trials and the variance of their per-period Sharpe ratios. PBO (Bailey, Borwein, López de Prado and Zhu, 2015) is the fraction of the CSCV splits whose logit is at most 0: the run best in sample ranks at or below the median out of sample. Noise gives about 0.5, a real edge near 0.</p>
{{else}}<p class="note">No statistics.</p>{{end}}

<h2>Runs ranked by {{.Objective}}</h2>
<table>
<tr><th>#</th><th class="id">id</th>{{range .Varied}}<th>{{.}}</th>{{end}}{{range .Columns}}<th>{{.}}</th>{{end}}<th>deflated Sharpe</th></tr>
{{range .Rows}}<tr><td>{{.Rank}}</td><td class="id">{{.ID}}</td>{{range .Params}}<td>{{.}}</td>{{end}}{{range .Metrics}}<td>{{.}}</td>{{end}}<td>{{.DSR}}</td></tr>
{{end}}</table>
{{if gt .Total (len .Rows)}}<p class="note">The first {{len .Rows}} of {{.Total}} runs; all of them: <code>quantloop runs list --store {{.Store}} --sweep {{.ID}}</code>.</p>{{end}}

<h2>Heatmap of {{.Objective}}</h2>
{{if .Heatmap}}<p class="note">Each cell is the best {{.Objective}} ({{.Better}}) of the runs with its values of <code>{{.HeatX}}</code> (across) and <code>{{.HeatY}}</code> (up), over every other setting; darker is better, grey has no run.</p>
{{.Heatmap}}
{{else}}<p class="note">A heatmap needs two varied paths.</p>{{end}}

<h2>Distribution of {{.Objective}}</h2>
{{if .ObjectiveHist}}{{.ObjectiveHist}}{{else}}<p class="note">No run has a finite {{.Objective}}.</p>{{end}}

<h2>Deflated Sharpe ratios</h2>
{{if .DSRHist}}<p class="note">The dashed line is 0.95, the usual bar for a Sharpe ratio that is not the luck of many trials.</p>
{{.DSRHist}}{{else}}<p class="note">No deflated Sharpe ratio.</p>{{end}}

<h2>Probability of backtest overfitting: the logits</h2>
{{if .Logits}}<p class="note">The logit of each CSCV split; PBO is the share at or left of the dashed line at 0.</p>
{{.Logits}}{{else}}<p class="note">No PBO: it needs two runs or more, all with their returns stored and as many bars as blocks.</p>{{end}}
</body>
</html>
`))
