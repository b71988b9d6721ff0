package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/quantloop/quantloop/internal/atomicfile"
	"github.com/quantloop/quantloop/manifest"
)

// CompareFile is the file name WriteCompare's callers write to by
// default.
const CompareFile = "compare.html"

// CompareRun is one run of a comparison page as WriteCompareRuns draws
// it. A run folder fills it (WriteCompare), and so can a run kept
// elsewhere, such as in a run store.
type CompareRun struct {
	// Label heads the run's column on the page.
	Label string
	// Source says where the run was read: its folder, or its store and
	// id. SourceKind names what Source is ("folder", "store run"), the
	// heading of its column when every run has the same kind.
	Source, SourceKind string
	// Strategy is the name of the run's strategy.
	Strategy string
	// Results holds the run's key figures and period (Start, End); its
	// Analysis and TradeStats are not nil.
	Results *Results
	// Settings are the run's config settings by path, as ConfigSettings
	// reads them.
	Settings map[string]string
	// Equity reads the run's equity.csv: the header
	// time,cash,equity,drawdown,benchmark then a row per point.
	Equity io.Reader
	// EquityNote, when not empty, is a sentence the page shows under the
	// charts about the run's curve (that it is thinned, for instance).
	EquityNote string
}

// compareRun is a CompareRun with its equity curve read.
type compareRun struct {
	*CompareRun
	chart *chartData
}

// WriteCompare writes to the file out a self-contained HTML page that
// compares the runs in the folders dirs (two or more, each one complete
// run, see CheckDir): their key figures side by side, their equity curves
// and drawdowns on shared axes, and the settings of their config.yaml
// files that differ (by path, as ConfigSettings reads them). The runs are
// labelled by their folders' names, or by their paths when two names are
// the same. Like report.html, the page depends only on the files read.
func WriteCompare(out string, dirs []string) error {
	if len(dirs) < 2 {
		return errors.New("report: compare: give two or more run folders")
	}
	runs := make([]*CompareRun, 0, len(dirs))
	defer func() {
		for _, r := range runs {
			if f, ok := r.Equity.(*os.File); ok {
				f.Close()
			}
		}
	}()
	names := map[string]int{}
	for _, d := range dirs {
		names[filepath.Base(filepath.Clean(d))]++
	}
	for _, d := range dirs {
		r, err := readCompareRun(d)
		if err != nil {
			return fmt.Errorf("report: compare: %w", err)
		}
		runs = append(runs, r)
		if names[r.Label] > 1 {
			r.Label = d
		}
	}
	return WriteCompareRuns(out, runs)
}

// WriteCompareRuns writes to the file out the comparison page of runs
// (two or more) that WriteCompare writes for run folders, reading each
// run's Equity to its end. The page depends only on runs.
func WriteCompareRuns(out string, runs []*CompareRun) error {
	if len(runs) < 2 {
		return errors.New("report: compare: give two or more runs")
	}
	cruns := make([]*compareRun, 0, len(runs))
	defer func() {
		for _, r := range cruns {
			r.chart.close()
		}
	}()
	for _, r := range runs {
		if r.Results == nil || r.Results.Analysis == nil || r.Results.TradeStats == nil {
			return fmt.Errorf("report: compare: %s: no analysis or trade_stats", r.Source)
		}
		c := &compareRun{CompareRun: r, chart: newChartData(seriesMemory)}
		cruns = append(cruns, c)
		d := &reportData{chart: c.chart}
		if err := eachRow(bufio.NewReaderSize(r.Equity, 1<<16), equityHeaderOK, d.readEquity); err != nil {
			return fmt.Errorf("report: compare: %s: equity: %w", r.Source, err)
		}
		if err := c.chart.err(); err != nil {
			return fmt.Errorf("report: compare: %s: %w", r.Source, err)
		}
	}
	return atomicfile.Write(out, func(w io.Writer) error { return writeCompare(w, cruns) })
}

// readCompareRun reads the run folder dir's results.json and config.yaml,
// having checked the folder against its manifest, and opens its
// equity.csv, which the caller closes.
func readCompareRun(dir string) (*CompareRun, error) {
	if err := CheckDir(dir); err != nil {
		return nil, err
	}
	r := &CompareRun{Label: filepath.Base(filepath.Clean(dir)), Source: dir, SourceKind: "folder", Results: new(Results)}
	b, err := os.ReadFile(filepath.Join(dir, ResultsFile))
	if err != nil {
		return nil, err
	}
	if err := manifest.CheckFormat(filepath.Join(dir, ResultsFile), b); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, r.Results); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ResultsFile), err)
	}
	if r.Results.Analysis == nil || r.Results.TradeStats == nil {
		return nil, fmt.Errorf("%s: no analysis or trade_stats", filepath.Join(dir, ResultsFile))
	}
	r.Strategy = r.Results.Config.Strategy.Name
	canon, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil {
		return nil, err
	}
	if r.Settings, err = ConfigSettings(canon); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ConfigFile), err)
	}
	f, err := os.Open(filepath.Join(dir, EquityFile))
	if err != nil {
		return nil, err
	}
	r.Equity = f
	return r, nil
}

// settingDiff is a setting whose value differs between the runs.
type settingDiff struct {
	Path   string
	Values []string // "-" where a run does not have it
}

// differingSettings returns the settings that differ between runs, by
// path in order.
func differingSettings(runs []*compareRun) []settingDiff {
	paths := map[string]bool{}
	for _, r := range runs {
		for p := range r.Settings {
			paths[p] = true
		}
	}
	var out []settingDiff
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for p := range paths {
			if !yield(p) {
				return
			}
		}
	}) {
		d := settingDiff{Path: p}
		same := true
		for _, r := range runs {
			v, ok := r.Settings[p]
			if !ok {
				v = "-"
			}
			d.Values = append(d.Values, v)
			same = same && v == d.Values[0]
		}
		if !same {
			out = append(out, d)
		}
	}
	return out
}

// writeCompare renders the comparison page of runs.
func writeCompare(w io.Writer, runs []*compareRun) error {
	view := struct {
		Labels   []string
		Source   string     // the heading of the sources' column
		Runs     [][]string // per run: label, source, strategy, period
		Notes    []string   // the runs' EquityNotes
		Figures  [][]string // per figure: name, then a value per run
		Settings []settingDiff
		Equity   template.HTML
		Drawdown template.HTML
		Log      bool
	}{}
	var figs [][]figureRow
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range runs {
		tf := timeFormatter{daily: !r.chart.intraday}
		view.Labels = append(view.Labels, r.Label)
		view.Runs = append(view.Runs, []string{r.Label, r.Source, r.Strategy,
			tf.format(r.Results.Start) + " to " + tf.format(r.Results.End)})
		figs = append(figs, keyFigures(r.Results))
		if r.EquityNote != "" {
			view.Notes = append(view.Notes, r.EquityNote)
		}
		if view.Source == "" {
			view.Source = r.SourceKind
		} else if view.Source != r.SourceKind {
			view.Source = "source"
		}
		for c := range r.chart.equity.Chunks() {
			for _, v := range c {
				if v, ok := finite(v); ok {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
		}
	}
	for i, f := range figs[0] {
		row := []string{f.Name}
		for _, fr := range figs {
			row = append(row, fr[i].Strategy)
		}
		view.Figures = append(view.Figures, row)
	}
	view.Settings = differingSettings(runs)
	view.Log = lo > 0 && hi > 10*lo
	var err error
	if view.Equity, err = compareChart(runs, "Equity", "value", view.Log, true, func(c *chartData) plotter.XYs {
		return thin(points(c, c.equity, finite), maxChartPoints)
	}); err != nil {
		return err
	}
	if view.Drawdown, err = compareChart(runs, "Drawdown", "drawdown %", false, false, func(c *chartData) plotter.XYs {
		return thin(points(c, c.drawdown, func(v float64) (float64, bool) { return 100 * v, true }), maxChartPoints)
	}); err != nil {
		return err
	}
	t, err := template.New("compare").Parse(compareTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, view)
}

// compareChart draws a line per run, of the points pts gives, on one
// pair of axes, on a log y scale when logScale is true, with the legend
// at the top left or, when legendTop is false, the bottom left.
func compareChart(runs []*compareRun, title, ylabel string, logScale, legendTop bool, pts func(*chartData) plotter.XYs) (template.HTML, error) {
	p := newPlot(title, ylabel)
	p.Legend.Top = legendTop
	var xs []float64
	for i, r := range runs {
		xy := pts(r.chart)
		if len(xy) > 0 {
			xs = append(xs, xy[0].X, xy[len(xy)-1].X)
		}
		l, err := line(xy, rgb(palette[i%len(palette)], 0xff), vg.Points(1.2))
		if err != nil {
			return "", err
		}
		if l != nil {
			p.Add(l)
			p.Legend.Add(r.Label, l)
		}
	}
	slices.Sort(xs)
	p.X.Tick.Marker = timeTicks(xs)
	if logScale {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	return svg(p)
}

// compareTemplate is compare.html.
const compareTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quantloop comparison</title>
<style>
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:0 auto;max-width:1040px;padding:12px 20px;color:#222;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:0 0 10px}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 8px;text-align:right;border-bottom:1px solid #eee;white-space:nowrap}
th{background:#f4f6f8;font-weight:600}td.l,th.l{text-align:left}td:first-child{text-align:left;font-weight:600}
td.wrap{white-space:normal;word-break:break-all;max-width:320px}
svg.chart{width:100%;height:auto;display:block}
</style>
</head>
<body>
<h1>quantloop comparison of {{len .Labels}} runs</h1>
<section id="runs"><table>
<tr><th class="l">run</th><th class="l">{{.Source}}</th><th class="l">strategy</th><th class="l">period</th></tr>
{{range .Runs}}<tr>{{range .}}<td class="l">{{.}}</td>{{end}}</tr>
{{end}}</table></section>

<section id="settings"><h2>Settings that differ</h2>
{{if .Settings}}<table>
<tr><th class="l">setting</th>{{range .Labels}}<th class="l">{{.}}</th>{{end}}</tr>
{{range .Settings}}<tr><td>{{.Path}}</td>{{range .Values}}<td class="l wrap">{{.}}</td>{{end}}</tr>
{{end}}</table>{{else}}<p class="sub">None: the runs have the same configuration.</p>{{end}}</section>

<section id="key-figures"><h2>Key figures</h2>
<table>
<tr><th class="l">metric</th>{{range .Labels}}<th>{{.}}</th>{{end}}</tr>
{{range .Figures}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table></section>

<section id="equity"><h2>Equity</h2>
{{.Equity}}
{{if .Log}}<p class="sub">Log scale: the values span more than a factor of 10.</p>{{end}}{{range .Notes}}
<p class="sub">{{.}}</p>{{end}}</section>

<section id="drawdowns"><h2>Drawdowns</h2>
{{.Drawdown}}</section>
</body>
</html>
`
