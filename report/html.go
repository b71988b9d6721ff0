package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/internal/atomicfile"
	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/metrics"
)

// reportData is what report.html is drawn from: results.json, the
// columns of equity.csv and what the page shows of trades.csv.
type reportData struct {
	results Results
	chart   *chartData
	trades  tradeTable
}

// ErrOutputLevel is wrapped by RenderDir's error for a run written at an
// output level other than full (backtest.OutputLevel), whose equity.csv
// does not hold every bar.
var ErrOutputLevel = errors.New("not a full run")

// RenderDir redraws DIR/report.html from the results.json, equity.csv and
// trades.csv in dir, without running anything. The report is byte for
// byte the one the run wrote when those files are unchanged. It reads the
// CSV files a row at a time, in bounded memory. A results.json of another
// format version (see manifest.Format) is refused with an error wrapping
// manifest.ErrFormat, and so is a folder whose files do not match its
// manifest (see CheckDir), report.html excepted, which may be missing or
// differ.
func RenderDir(dir string) error {
	d := &reportData{chart: newChartData(seriesMemory)}
	defer d.chart.close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer root.Close()
	rb, err := root.ReadFile(ResultsFile)
	if err != nil {
		return fmt.Errorf("report: %s: %w", filepath.Join(dir, ResultsFile), err)
	}
	if err := manifest.CheckFormat(filepath.Join(dir, ResultsFile), rb); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := checkDir(root, dir, ReportFile); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := json.Unmarshal(rb, &d.results); err != nil {
		return fmt.Errorf("report: %s: %w", ResultsFile, err)
	}
	if o := d.results.Outputs; o != nil {
		return fmt.Errorf("report: %s was written with --outputs %s (equity.csv holds %s): report.html can be redrawn only from a run with --outputs full: %w",
			dir, o.Level, o.EquityRows, ErrOutputLevel)
	}
	if d.results.Analysis == nil || d.results.TradeStats == nil {
		return fmt.Errorf("report: %s: no analysis or trade_stats (written by an older version?)", ResultsFile)
	}
	for _, f := range []struct {
		name   string
		header func([]string) error
		row    func([]string) error
	}{{EquityFile, equityHeaderOK, d.readEquity}, {TradesFile, tradesHeaderOK, d.readTrade}} {
		file, err := root.Open(f.name)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		err = eachRow(bufio.NewReaderSize(file, 1<<16), f.header, f.row)
		file.Close()
		if err != nil {
			return fmt.Errorf("report: %s: %w", filepath.Join(dir, f.name), err)
		}
	}
	if err := d.chart.err(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	a := d.results.Analysis
	charts, err := seriesCharts(d.chart, &d.trades, d.results.Markers, initialCash(&d.results), float64(a.PeriodsPerYear), float64(a.RiskFreePeriod))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return atomicfile.Write(filepath.Join(dir, ReportFile), func(w io.Writer) error { return writeHTML(w, d, charts) })
}

// eachRow reads CSV from r a row at a time: header checks the first, and
// row is called with each of the others. Errors name the line.
func eachRow(r io.Reader, header, row func([]string) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		check := row
		if line == 1 {
			check = header
		}
		if err := check(rec); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// equityHeaderOK checks equity.csv's header.
func equityHeaderOK(row []string) error {
	if len(row) < 5 || row[0] != "time" || row[2] != "equity" || row[3] != "drawdown" || row[4] != "benchmark" {
		return fmt.Errorf("want columns time,cash,equity,drawdown,benchmark")
	}
	return nil
}

// tradesHeaderOK checks trades.csv's header.
func tradesHeaderOK(row []string) error {
	if len(row) != 15 || row[11] != "status" || row[14] != "return" {
		return fmt.Errorf("unexpected columns")
	}
	return nil
}

// readEquity adds a row of equity.csv to d.chart.
func (d *reportData) readEquity(row []string) error {
	t, err := time.Parse(time.RFC3339Nano, row[0])
	if err != nil {
		return fmt.Errorf("field \"time\": %w", err)
	}
	eq, err := strconv.ParseFloat(row[2], 64)
	if err != nil {
		return fmt.Errorf("field \"equity\": %w", err)
	}
	dd, err := strconv.ParseFloat(row[3], 64)
	if err != nil {
		return fmt.Errorf("field \"drawdown\": %w", err)
	}
	b := math.NaN()
	if row[4] != "" {
		if b, err = strconv.ParseFloat(row[4], 64); err != nil {
			return fmt.Errorf("field \"benchmark\": %w", err)
		}
	}
	d.chart.add(t.UnixNano(), eq, dd, b)
	return nil
}

// readTrade adds a row of trades.csv to d.trades.
func (d *reportData) readTrade(row []string) error {
	if err := d.trades.add(row); err != nil {
		return fmt.Errorf("field \"return\": %w", err)
	}
	return nil
}

// rollingWindow returns the rolling Sharpe window: half a year of periods,
// at least 2.
func rollingWindow(P float64) int { return max(2, int(math.Round(P/2))) }

// maxRollingPoints bounds the points of the rolling Sharpe chart.
const maxRollingPoints = 1000

// rollingEnds returns the bars at which the rolling Sharpe chart
// evaluates a window of w of n returns: up to maxRollingPoints evenly
// spaced bars (every bar for short series), the last always included.
func rollingEnds(n, w int) []int {
	m := n - w + 1
	if m <= 0 {
		return nil
	}
	step := (m + maxRollingPoints - 1) / maxRollingPoints
	var ends []int
	for i := w - 1; i < n; i += step {
		ends = append(ends, i)
	}
	if ends[len(ends)-1] != n-1 {
		ends = append(ends, n-1)
	}
	return ends
}

// seriesCharts draws the charts of the report that need only the columns
// of equity.csv and the trades, not the analysis: the equity (linear and
// log scale), the drawdown, the trade returns and the rolling Sharpe
// ratio, given the initial cash, P and the per-period risk-free rate.
// They can be drawn while the analysis runs.
func seriesCharts(c *chartData, t *tradeTable, markers []Marker, initial, P, rf float64) (map[string]template.HTML, error) {
	window := rollingWindow(P)
	lines := newEquityLines(c)
	ends := rollingEnds(c.len(), window)
	rolling := metrics.RollingSharpe(metrics.ReturnsFrom(initial, c.equity), window, ends, rf, P)
	out := map[string]template.HTML{}
	for _, ch := range []struct {
		name string
		draw func() (template.HTML, error)
	}{
		{"equity", func() (template.HTML, error) { return equityChart(c, markers, lines, false) }},
		{"equitylog", func() (template.HTML, error) { return equityChart(c, markers, lines, true) }},
		{"underwater", func() (template.HTML, error) { return underwaterChart(c) }},
		{"trades", func() (template.HTML, error) { return tradeHistogram(t) }},
		{"rolling", func() (template.HTML, error) { return rollingSharpeChart(c, window, ends, rolling) }},
	} {
		h, err := ch.draw()
		if err != nil {
			return nil, err
		}
		out[ch.name] = h
	}
	return out, nil
}

// initialCash returns r's initial cash as the charts see it: its text
// parsed, so that a report redrawn from results.json agrees.
func initialCash(r *Results) float64 {
	f, _ := strconv.ParseFloat(r.InitialCash.String(), 64)
	return f
}

// writeHTML renders the report page, with charts from seriesCharts.
func writeHTML(w io.Writer, d *reportData, charts map[string]template.HTML) error {
	a := d.results.Analysis
	view := struct {
		R                *Results
		A                *Analysis
		T                *TradeSummary
		Config, Manifest string
		Figures          []figureRow
		Charts           map[string]template.HTML
		Monthly          monthlyTable
		TradeHeader      []string
		Trades           [][]string
		TradesCut        int
		Window           int
		HasBenchmark     bool
	}{R: &d.results, A: a, T: d.results.TradeStats, Charts: charts}
	cfg, err := json.MarshalIndent(d.results.Config, "", "  ")
	if err != nil {
		return err
	}
	view.Config = string(cfg)
	man, err := json.MarshalIndent(d.results.Manifest, "", "  ")
	if err != nil {
		return err
	}
	view.Manifest = string(man)
	view.Figures = keyFigures(&d.results)
	view.Monthly = newMonthlyTable(a.Monthly, a.Annual)
	view.HasBenchmark = a.Benchmark != nil
	view.TradeHeader = []string{"symbol", "side", "qty", "entry time", "entry price", "exit time", "exit price",
		"commission", "P&L gross", "P&L net", "bars", "status", "MAE", "MFE", "return"}
	view.TradesCut = d.trades.n - len(d.trades.rows)
	for _, row := range d.trades.rows {
		cells := append([]string(nil), row...)
		for _, j := range []int{12, 13, 14} {
			cells[j] = pctText(parseOrNaN(cells[j]))
		}
		view.Trades = append(view.Trades, cells)
	}

	view.Window = rollingWindow(float64(a.PeriodsPerYear))
	annual, err := annualChart(a)
	if err != nil {
		return err
	}
	view.Charts["annual"] = annual
	t, err := template.New("report").Funcs(template.FuncMap{
		"pct": func(f Float) string { return pctText(float64(f)) },
		"inc": func(i int) int { return i + 1 },
	}).Parse(pageTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, view)
}

// figureRow is one row of the key figures table.
type figureRow struct {
	Name, Strategy, Benchmark, Note string
}

// keyFigures lists the headline numbers, formatted for reading.
func keyFigures(r *Results) []figureRow {
	a, t := r.Analysis, r.TradeStats
	m := a.Returns
	b := a.Benchmark
	bf := func(f func(*BenchmarkMetrics) string) string {
		if b == nil {
			return ""
		}
		return f(b)
	}
	return []figureRow{
		{"Total return", pctText(float64(m.TotalReturn)), bf(func(b *BenchmarkMetrics) string { return pctText(float64(b.TotalReturn)) }), ""},
		{"Annual return (CAGR)", pctText(float64(m.AnnualReturn)), bf(func(b *BenchmarkMetrics) string { return pctText(float64(b.AnnualReturn)) }), "years = periods / P"},
		{"Annual volatility", pctText(float64(m.AnnualVolatility)), bf(func(b *BenchmarkMetrics) string { return pctText(float64(b.AnnualVolatility)) }), "ddof 1"},
		{"Sharpe ratio", numText(float64(m.Sharpe)), bf(func(b *BenchmarkMetrics) string { return numText(float64(b.Sharpe)) }), "annualized, √P"},
		{"Sortino ratio", numText(float64(m.Sortino)), "", ""},
		{"Max drawdown", pctText(float64(m.MaxDrawdown)), bf(func(b *BenchmarkMetrics) string { return pctText(float64(b.MaxDrawdown)) }), ""},
		{"Calmar ratio", numText(float64(m.Calmar)), "", ""},
		{"Longest drawdown", strconv.Itoa(m.LongestDrawdownDays) + " days", "", "calendar days, first to last underwater bar"},
		{"Probabilistic Sharpe", pctText(float64(m.ProbabilisticSharpe)), "", "P(true Sharpe > 0)"},
		{"Deflated Sharpe", pctText(float64(m.DeflatedSharpe)), "", fmt.Sprintf("after %d trial(s)", a.Trials)},
		{"Alpha (ann., compounded)", bf(func(b *BenchmarkMetrics) string { return pctText(float64(b.Alpha)) }), "", "vs benchmark"},
		{"Beta", bf(func(b *BenchmarkMetrics) string { return numText(float64(b.Beta)) }), "", "vs benchmark"},
		{"Information ratio", bf(func(b *BenchmarkMetrics) string { return numText(float64(b.InformationRatio)) }), "", "per period, not annualized"},
		{"Up / down capture", bf(func(b *BenchmarkMetrics) string {
			return numText(float64(b.UpCapture)) + " / " + numText(float64(b.DownCapture))
		}), "", ""},
		{"Value at risk (5 %)", pctText(float64(m.ValueAtRisk)), "", "historical, per period"},
		{"Closed trades", fmt.Sprintf("%d (%d won, %d lost, %d even), %d open", t.Closed, t.Wins, t.Losses, t.Even, t.Open), "", ""},
		{"Win rate", pctText(float64(t.WinRate)), "", "trades with net P&L > 0"},
		{"Profit factor", numText(float64(t.ProfitFactor)), "", "gross profit / |gross loss|"},
		{"Expectancy", numText(float64(t.Expectancy)), "", "mean net P&L per trade"},
		{"SQN", numText(float64(t.SQN)), "", "population σ"},
		{"Avg MAE / MFE", pctText(float64(t.AvgMAE)) + " / " + pctText(float64(t.AvgMFE)), "", "of entry price"},
		{"Avg holding time", t.AvgDuration, "", fmt.Sprintf("%s bars", numText(float64(t.AvgBars)))},
		{"Periods per year", strconv.FormatFloat(float64(a.PeriodsPerYear), 'g', -1, 64), "", ""},
	}
}

// monthlyTable is the monthly returns heatmap: one row per year.
type monthlyTable struct {
	Rows []monthlyRow
}

type monthlyRow struct {
	Year   string
	Cells  [12]heatCell
	Annual heatCell
}

type heatCell struct {
	Text  string
	Style template.CSS
}

func newMonthlyTable(monthly, annual []PeriodRow) monthlyTable {
	var t monthlyTable
	idx := map[string]int{}
	for _, y := range annual {
		idx[y.Period] = len(t.Rows)
		t.Rows = append(t.Rows, monthlyRow{Year: y.Period, Annual: heat(float64(y.Return), 0.3)})
	}
	for _, m := range monthly {
		i, ok := idx[m.Period[:4]]
		if !ok {
			continue
		}
		month, _ := strconv.Atoi(m.Period[5:])
		t.Rows[i].Cells[month-1] = heat(float64(m.Return), 0.1)
	}
	return t
}

// heat formats x as a percentage on a red (loss) or green (gain)
// background whose strength grows with |x| up to full.
func heat(x, full float64) heatCell {
	if math.IsNaN(x) {
		return heatCell{Text: "-"}
	}
	alpha := math.Min(math.Abs(x)/full, 1)*0.75 + 0.05
	rgb := "46,139,87"
	if x < 0 {
		rgb = "192,57,43"
	}
	return heatCell{Text: strconv.FormatFloat(100*x, 'f', 1, 64),
		Style: template.CSS(fmt.Sprintf("background:rgba(%s,%.2f)", rgb, alpha))}
}

func parseOrNaN(s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// pctText formats a ratio as a percentage with two decimals; non-finite
// values print as "-".
func pctText(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return strconv.FormatFloat(100*x, 'f', 2, 64) + " %"
}

// numText formats a number with three decimals; non-finite values print
// as "-".
func numText(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}
