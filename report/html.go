package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/report/metrics"
)

// reportData is what report.html is drawn from: results.json and the rows
// of equity.csv and trades.csv, as read back from their bytes.
type reportData struct {
	results   Results
	times     []time.Time
	equity    []float64
	drawdown  []float64
	benchmark []float64 // nil without a benchmark column's values
	trades    []tradeRow
}

// tradeRow is one row of trades.csv, as text for the table and as numbers
// for the charts.
type tradeRow struct {
	cells  []string
	closed bool
	ret    float64
}

// RenderDir redraws DIR/report.html from the results.json, equity.csv and
// trades.csv in dir, without running anything. The report is byte for
// byte the one the run wrote when those files are unchanged.
func RenderDir(dir string) error {
	var files []File
	for _, name := range []string{EquityFile, TradesFile, ResultsFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		files = append(files, File{name, b})
	}
	html, err := renderFromFiles(files)
	if err != nil {
		return fmt.Errorf("report %s: %w", dir, err)
	}
	return writeAtomic(filepath.Join(dir, ReportFile), func(w io.Writer) error {
		_, err := w.Write(html)
		return err
	})
}

// renderFromFiles draws report.html from the outputs among files.
func renderFromFiles(files []File) ([]byte, error) {
	get := func(name string) []byte {
		for _, f := range files {
			if f.Name == name {
				return f.Data
			}
		}
		return nil
	}
	d, err := parseReportData(get(ResultsFile), get(EquityFile), get(TradesFile))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := writeHTML(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// parseReportData reads the three files' bytes.
func parseReportData(results, equity, trades []byte) (*reportData, error) {
	d := &reportData{}
	if err := json.Unmarshal(results, &d.results); err != nil {
		return nil, fmt.Errorf("%s: %w", ResultsFile, err)
	}
	if d.results.Analysis == nil || d.results.TradeStats == nil {
		return nil, fmt.Errorf("%s: no analysis or trade_stats (written by an older version?)", ResultsFile)
	}
	// Read equity.csv a row at a time: a long run has millions of rows,
	// and only four numbers of each are kept.
	er := csv.NewReader(bytes.NewReader(equity))
	er.ReuseRecord = true
	hasBench := false
	for i := 0; ; i++ {
		row, err := er.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EquityFile, err)
		}
		if i == 0 {
			if len(row) < 5 || row[0] != "time" || row[2] != "equity" || row[3] != "drawdown" || row[4] != "benchmark" {
				return nil, fmt.Errorf("%s:1: want columns time,cash,equity,drawdown,benchmark", EquityFile)
			}
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, row[0])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: field \"time\": %w", EquityFile, i+1, err)
		}
		eq, err := strconv.ParseFloat(row[2], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: field \"equity\": %w", EquityFile, i+1, err)
		}
		dd, err := strconv.ParseFloat(row[3], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: field \"drawdown\": %w", EquityFile, i+1, err)
		}
		b := math.NaN()
		if row[4] != "" {
			hasBench = true
			if b, err = strconv.ParseFloat(row[4], 64); err != nil {
				return nil, fmt.Errorf("%s:%d: field \"benchmark\": %w", EquityFile, i+1, err)
			}
		}
		d.times, d.equity, d.drawdown = append(d.times, t), append(d.equity, eq), append(d.drawdown, dd)
		d.benchmark = append(d.benchmark, b)
	}
	if !hasBench {
		d.benchmark = nil
	}
	rows, err := csv.NewReader(bytes.NewReader(trades)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", TradesFile, err)
	}
	for i, row := range rows {
		if i == 0 {
			if len(row) != 15 || row[11] != "status" || row[14] != "return" {
				return nil, fmt.Errorf("%s:1: unexpected columns", TradesFile)
			}
			continue
		}
		ret, err := strconv.ParseFloat(row[14], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: field \"return\": %w", TradesFile, i+1, err)
		}
		d.trades = append(d.trades, tradeRow{cells: row, closed: row[11] == "closed", ret: ret})
	}
	return d, nil
}

// maxTradeRows bounds the trade list in the report; results.json and
// trades.csv hold every trade.
const maxTradeRows = 500

// rollingWindow returns the rolling Sharpe window: half a year of periods,
// at least 2.
func rollingWindow(P float64) int { return max(2, int(math.Round(P/2))) }

// maxRollingPoints bounds the windows evaluated for the rolling Sharpe
// chart: each costs a pass over the window.
const maxRollingPoints = 1000

// rollingSharpe returns the Sharpe ratio of the trailing windows of w
// returns ending at up to maxRollingPoints evenly spaced bars (every bar
// for short series), the last bar always included, and those bars.
func rollingSharpe(r []float64, w int, rf, P float64) (ends []int, values []float64) {
	n := len(r) - w + 1
	if n <= 0 {
		return nil, nil
	}
	step := (n + maxRollingPoints - 1) / maxRollingPoints
	for i := w - 1; i < len(r); i += step {
		ends = append(ends, i)
	}
	if ends[len(ends)-1] != len(r)-1 {
		ends = append(ends, len(r)-1)
	}
	for _, e := range ends {
		values = append(values, metrics.Sharpe(metrics.Slice(r[e-w+1:e+1]), rf, P))
	}
	return ends, values
}

// writeHTML renders the report page.
func writeHTML(w io.Writer, d *reportData) error {
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
	}{R: &d.results, A: a, T: d.results.TradeStats, Charts: map[string]template.HTML{}}
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
	for i, t := range d.trades {
		if i == maxTradeRows {
			view.TradesCut = len(d.trades) - maxTradeRows
			break
		}
		cells := append([]string(nil), t.cells...)
		for _, j := range []int{12, 13, 14} {
			cells[j] = pctText(parseOrNaN(cells[j]))
		}
		view.Trades = append(view.Trades, cells)
	}

	initial, _ := strconv.ParseFloat(d.results.InitialCash.String(), 64)
	r := metrics.SimpleReturnsFrom(initial, d.equity)
	view.Window = rollingWindow(float64(a.PeriodsPerYear))
	rf, P := float64(a.RiskFreePeriod), float64(a.PeriodsPerYear)
	ends, rolling := rollingSharpe(r, view.Window, rf, P)
	charts := []struct {
		name string
		draw func() (template.HTML, error)
	}{
		{"equity", func() (template.HTML, error) { return equityChart(d, false) }},
		{"equitylog", func() (template.HTML, error) { return equityChart(d, true) }},
		{"underwater", func() (template.HTML, error) { return underwaterChart(d) }},
		{"annual", func() (template.HTML, error) { return annualChart(d) }},
		{"trades", func() (template.HTML, error) { return tradeHistogram(d) }},
		{"rolling", func() (template.HTML, error) { return rollingSharpeChart(d, view.Window, ends, rolling) }},
	}
	for _, c := range charts {
		h, err := c.draw()
		if err != nil {
			return err
		}
		view.Charts[c.name] = h
	}
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
