package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/metrics"
)

// pageView is what the report page template reads.
type pageView struct {
	R                *Results
	A                *Analysis
	T                *TradeSummary
	Title, Sub       string
	Config, Manifest string
	Warnings         []warningItem
	Figures          []figureRow
	Charts           map[string]template.HTML
	LogDefault       bool // the equity chart opens on its log scale
	Drawdowns        [][]string
	Exposure         []figureRow
	ExposureNote     string
	Positions        string // why there is no weights chart, if there is none
	BySymbol         [][]string
	Window           int
	HasBenchmark     bool
	BarLabel         string // "daily" or "per bar"
	Distribution     []figureRow
	Monthly          monthlyTable
	Annual           [][]string
	TradeNote        string
	TradeHist        string
	TradeRows        template.HTML // the trade table's rows (see tradeRowsHTML)
	Details          bool
}

// warningItem is one line of the warnings section: its code, what
// happened, and the id of the section with the details.
type warningItem struct {
	Code, Message, Link string
}

// warningLinks maps a warning code to the section with its details.
var warningLinks = map[string]string{
	backtest.WarnHandlerErrors:  "handler-errors",
	backtest.WarnBreakerTrips:   "breakers",
	backtest.WarnRejectedOrders: "rejections",
	backtest.WarnKillSwitch:     "kill-switch",
	backtest.WarnSkippedRows:    "skipped-rows",
	backtest.WarnLowExposure:    "exposure",
}

// tradeRowView is one row of the trade table: each cell's text and the
// value the table sorts it by.
type tradeRowView struct {
	Cells []cell
}

type cell struct {
	Text, Sort string
	Class      string
}

// chartPrep is what the page draws from the chart columns and the
// initial cash alone, without the analysis: the longest passes over the
// columns. Writer.Finish has it computed while the analysis runs.
type chartPrep struct {
	initial    float64 // the initial cash it was computed with
	lines      *equityLines
	underwater template.HTML
	err        error          // underwaterChart's
	rets       metrics.Column // the returns of the equity column
	bench      metrics.Column // the benchmark's, nil without one
	barHist    histogram
	weekly     []float64
	bm, ba     map[string]float64 // the benchmark's monthly and annual returns
	roll       *rolling           // nil when the periods per year were not known
}

// rolling are the rolling statistics of the report, for P periods per
// year and the per-period risk-free rate rf: the window, the bars the
// windows end at and their times (Unix seconds), and the Sharpe ratio,
// volatility and beta of each window.
type rolling struct {
	P, rf             float64
	window            int
	ends              []int
	x                 []float64
	sharpe, vol, beta []float64
}

// newRolling computes the rolling statistics of the returns rets and the
// benchmark's bench (nil for none) at the times of c.
func newRolling(c *chartData, rets, bench metrics.Column, P, rf float64) *rolling {
	r := &rolling{P: P, rf: rf, window: rollingWindow(P)}
	r.ends = rollingEnds(c.len(), r.window)
	r.sharpe = metrics.RollingSharpe(rets, r.window, r.ends, rf, P)
	r.vol, r.beta = rollingStats(rets, bench, r.window, r.ends, P)
	r.x = rollingTimes(c, r.ends)
	return r
}

// rollingTimes returns the times of c at the bars ends, as Unix seconds.
func rollingTimes(c *chartData, ends []int) []float64 {
	x := make([]float64, 0, len(ends))
	if len(ends) == 0 {
		return x
	}
	i := 0
	for ch := range c.nanos.Chunks() {
		for _, t := range ch {
			if len(x) < len(ends) && i == ends[len(x)] {
				x = append(x, unixNano(t))
			}
			i++
		}
		if len(x) == len(ends) {
			break
		}
	}
	return x
}

// prepareCharts computes the chartPrep of c for the initial cash
// initial and, when periods is not nil, the rolling statistics for its
// periods per year and per-period risk-free rate. What c took of the returns as its rows came (chartData.live),
// when measured from initial, saves the passes that compute it; either
// way the results are the same bits.
func prepareCharts(c *chartData, initial float64, periods *[2]float64) *chartPrep {
	p := &chartPrep{initial: initial, rets: metrics.ReturnsFrom(initial, c.equity), bench: benchmarkReturns(c, initial)}
	if periods != nil {
		// On a goroutine of its own: its passes are the longest.
		roll := make(chan *rolling, 1)
		go func() { roll <- newRolling(c, p.rets, p.bench, periods[0], periods[1]) }()
		defer func() { p.roll = <-roll }()
	}
	p.lines = newEquityLines(c)
	p.underwater, p.err = underwaterChart(c)
	live := c.live
	c.live = nil // its Aggregators give their results once
	if live == nil || math.Float64bits(live.start) != math.Float64bits(initial) {
		p.barHist = newHistogram(p.rets, returnBins)
		p.weekly = weeklyReturns(c, p.rets)
		if p.bench != nil {
			p.bm, p.ba = benchmarkPeriods(c, p.bench)
		}
		return p
	}
	p.barHist = live.hist.histogram(p.rets, returnBins)
	p.weekly = returnsOf(live.weekly.Result()[0])
	bench := live.bench.Result()
	if p.bench != nil {
		p.bm, p.ba = periodMaps(bench, live.first)
	}
	return p
}

// writeHTML renders the report page of d.
func writeHTML(w io.Writer, d *reportData) error {
	r := &d.results
	a := r.Analysis
	c := d.chart
	tf := timeFormatter{daily: !c.intraday}
	initial := initialCash(r)
	prep := d.prep
	P := float64(a.PeriodsPerYear)
	if prep == nil || math.Float64bits(prep.initial) != math.Float64bits(initial) {
		prep = prepareCharts(c, initial, nil)
	}
	v := pageView{R: r, A: a, T: r.TradeStats, Charts: map[string]template.HTML{}, HasBenchmark: a.Benchmark != nil}
	v.Title = "quantloop report: " + r.Config.Strategy.Name
	v.Sub = fmt.Sprintf("%s to %s · %s bars, %s bar times · initial cash %s · final equity %s",
		tf.format(r.Start), tf.format(r.End), fmtNum(float64(r.Bars), 0), fmtNum(float64(r.Timestamps), 0),
		fmtMoney(initial), fmtMoney(r.FinalEquity.InexactFloat64()))
	if v.HasBenchmark {
		v.Sub += " · benchmark: buy and hold of " + a.Benchmark.Name
	}
	v.BarLabel = "per bar"
	if !c.intraday && P >= 200 && P <= 366 {
		v.BarLabel = "daily"
	}
	cfg, err := json.MarshalIndent(r.Config, "", "  ")
	if err != nil {
		return err
	}
	v.Config = string(cfg)
	man, err := json.MarshalIndent(r.Manifest, "", "  ")
	if err != nil {
		return err
	}
	v.Manifest = string(man)
	for _, wn := range r.Warnings {
		link := warningLinks[wn.Code]
		if link == "" {
			link = "details"
		}
		v.Warnings = append(v.Warnings, warningItem{Code: wn.Code, Message: wn.Message, Link: link})
	}
	v.Details = len(r.HandlerErrors) > 0 || len(r.RiskRefusals) > 0 || r.RejectedOrders > 0 || len(r.KillSwitch.Events) > 0 ||
		len(r.Breakers) > 0 || r.SkippedRows > 0 || r.Error != ""
	v.Figures = keyFigures(r)

	// Equity and drawdowns.
	lines := prep.lines
	// The log scale first when the equity grew more than 10× and every
	// value can be drawn on it.
	v.LogDefault = r.Bars > 0 && lines.lo > 0 && r.FinalEquity.InexactFloat64() > 10*initial
	// Each chart is drawn on a goroutine of its own, from values that
	// do not change once it starts; the page waits for them all.
	var charts drawing
	for _, log := range []bool{false, true} {
		name := "equity"
		if log {
			name = "equitylog"
		}
		charts.draw(name, func() (template.HTML, error) { return equityChart(c, r.Markers, lines, log, a.Drawdowns) })
	}
	charts.drawn("underwater", prep.underwater, prep.err)
	for i, dd := range a.Drawdowns {
		rec, days := "not recovered", "-"
		if dd.Recovery != "" {
			rec, days = tf.format(dd.Recovery), fmtNum(float64(dd.Duration), 0)
		}
		v.Drawdowns = append(v.Drawdowns, []string{strconv.Itoa(i + 1), tf.format(dd.Peak), tf.format(dd.Valley), rec,
			fmtPct(float64(dd.Depth)), days, fmtNum(float64(dd.Bars), 0)})
	}

	// Exposure and positions.
	ex := d.ex
	charts.draw("exposure", func() (template.HTML, error) { return exposureChart(ex) })
	if ex.Err != nil {
		v.ExposureNote = "Gross, long and short exposure and the weights by symbol are not shown: " + ex.Err.Error() + "."
	}
	v.Exposure = []figureRow{
		{Name: "Mean net exposure", Strategy: fmtPct(mean(ex.Net)), Note: "market value / equity"},
		{Name: "Mean gross leverage", Strategy: fmtRatio(ex.MeanGross) + "×", Note: "Σ |position value| / equity"},
		{Name: "Max gross leverage", Strategy: fmtRatio(ex.MaxGross) + "×", Note: "at a bar"},
		{Name: "Traded value", Strategy: fmtMoney(ex.Traded), Note: "Σ |quantity × price| of the fills"},
		{Name: "Annual turnover", Strategy: fmtRatio(ex.Turnover) + "×", Note: "traded value / mean equity / years"},
	}
	switch {
	case len(ex.Symbols) < 2 && ex.Err == nil:
		v.Positions = "One symbol: its weight is the net exposure above."
	case ex.Weights == nil:
		v.Positions = "Not shown: the positions could not be replayed (see Exposure)."
	default:
		charts.draw("weights", func() (template.HTML, error) { return weightsChart(ex) })
	}
	for _, s := range d.trades.symbols.table(initial, ex.TradedBy) {
		v.BySymbol = append(v.BySymbol, []string{s.Symbol, fmtNum(float64(s.Closed), 0), fmtNum(float64(s.Open), 0),
			fmtPctPlain(s.WinRate), fmtMoney(s.PnL), fmtPct(s.PnLPercent), fmtMoney(s.Traded)})
	}

	// Rolling statistics.
	bench := prep.bench
	roll, rf := prep.roll, float64(a.RiskFreePeriod)
	if roll == nil || math.Float64bits(roll.P) != math.Float64bits(P) || math.Float64bits(roll.rf) != math.Float64bits(rf) {
		roll = newRolling(c, prep.rets, bench, P, rf)
	}
	v.Window = roll.window
	win := fmt.Sprintf(" (%d periods)", v.Window)
	charts.draw("rolling", func() (template.HTML, error) {
		return rollingChart(c, "Rolling Sharpe ratio"+win, "Sharpe", roll.x, roll.sharpe, 1)
	})
	charts.draw("rollingvol", func() (template.HTML, error) {
		return rollingChart(c, "Rolling volatility"+win+", annualized", "volatility %", roll.x, roll.vol, 100)
	})
	if bench != nil {
		charts.draw("rollingbeta", func() (template.HTML, error) {
			return rollingChart(c, "Rolling beta vs benchmark"+win, "beta", roll.x, roll.beta, 1)
		})
	}

	// Return distribution.
	barHist := prep.barHist
	barTitle := "Daily returns"
	if v.BarLabel != "daily" {
		barTitle = "Returns per bar"
	}
	weekly := prep.weekly
	var monthly []float64
	for _, m := range a.Monthly {
		monthly = append(monthly, float64(m.Return))
	}
	for _, h := range []struct {
		name, title string
		hist        histogram
		vaR         float64
	}{
		{"dist-bar", barTitle, barHist, float64(a.Returns.ValueAtRisk)},
		{"dist-week", "Weekly returns", plainHistogram(weekly), historicalVaR(weekly)},
		{"dist-month", "Monthly returns", plainHistogram(monthly), historicalVaR(monthly)},
	} {
		charts.draw(h.name, func() (template.HTML, error) { return histogramChart(h.title, "return %", h.hist, true, h.vaR) })
		v.Distribution = append(v.Distribution, figureRow{Name: h.title, Strategy: fmtNum(float64(h.hist.N), 0),
			Benchmark: fmtPct(h.vaR), Note: fmt.Sprintf("%s outside the range shown (mean ± %d σ)", fmtNum(float64(h.hist.Outside), 0), sigmaRange)})
	}

	// Calendar returns.
	bm, ba := prep.bm, prep.ba
	v.Monthly = newMonthlyTable(a.Monthly, a.Annual, bm, ba)
	for _, y := range a.Annual {
		row := []string{y.Period, fmtPct(float64(y.Return))}
		if bench != nil {
			b, ok := ba[y.Period]
			if !ok {
				b = math.NaN()
			}
			row = append(row, fmtPct(b), fmtPct(float64(y.Return)-b))
		}
		v.Annual = append(v.Annual, row)
	}
	charts.draw("annual", func() (template.HTML, error) { return annualChart(a, ba) })

	// Trades.
	th := tradeReturnHistogram(d.trades.returns.values(), histogramBins)
	charts.draw("trades", func() (template.HTML, error) {
		return histogramChart("Distribution of trade returns", "return %", th, false, math.NaN())
	})
	if th.Outside > 0 {
		v.TradeHist = fmt.Sprintf("%s of %s closed trades fall outside the range shown, %s to %s (quartiles ± 3 × the interquartile range).",
			fmtNum(float64(th.Outside), 0), fmtNum(float64(th.N), 0), fmtPct(th.Lo), fmtPct(th.Hi))
	}
	rows := make([]tradeRowView, len(d.trades.rows))
	for i, row := range d.trades.rows {
		rows[i] = tradeView(i+1, row, tf)
	}
	v.TradeRows = tradeRowsHTML(rows)
	v.TradeNote = fmt.Sprintf("%s trades in all (trades.csv); the table shows the first %s, in the order of trades.csv: closed trades by exit time, then open ones. Click a column to sort the rows shown.",
		fmtNum(float64(d.trades.n), 0), fmtNum(float64(len(d.trades.rows)), 0))

	if err := charts.wait(v.Charts); err != nil {
		return err
	}
	t, err := template.New("report").Funcs(template.FuncMap{
		"pct":      func(f Float) string { return fmtPct(float64(f)) },
		"pctplain": func(f Float) string { return fmtPctPlain(float64(f)) },
		"num":      func(f Float) string { return fmtRatio(float64(f)) },
		"money":    func(f Float) string { return fmtMoney(float64(f)) },
		"dur":      fmtGoDuration,
		"when":     tf.format,
	}).Parse(pageTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, v)
}

// drawing draws charts on goroutines of their own (see draw), each
// from values that do not change while it is drawn, at most
// chartsAtOnce at a time.
type drawing struct {
	names []string
	out   []chan drawnChart
	slots chan struct{}
}

// chartsAtOnce is how many charts a drawing draws at a time. It is fixed,
// not the number of cores, so that the memory the charts being drawn hold
// is the same on every machine; two keep a second core busy.
const chartsAtOnce = 2

// drawnChart is a chart drawn, or the error that stopped it.
type drawnChart struct {
	h   template.HTML
	err error
}

// draw draws the chart name with f on a goroutine of its own. A panic of
// f is its error.
func (d *drawing) draw(name string, f func() (template.HTML, error)) {
	out := make(chan drawnChart, 1)
	d.names, d.out = append(d.names, name), append(d.out, out)
	if d.slots == nil {
		d.slots = make(chan struct{}, chartsAtOnce)
	}
	go func() {
		d.slots <- struct{}{}
		defer func() { <-d.slots }()
		defer func() {
			if v := recover(); v != nil {
				out <- drawnChart{err: fmt.Errorf("chart %s: %v", name, v)}
			}
		}()
		h, err := f()
		out <- drawnChart{h, err}
	}()
}

// drawn adds the chart name drawn beforehand, h or the error err.
func (d *drawing) drawn(name string, h template.HTML, err error) {
	out := make(chan drawnChart, 1)
	out <- drawnChart{h, err}
	d.names, d.out = append(d.names, name), append(d.out, out)
}

// wait waits for every chart, puts each into charts by its name, and
// returns the first error in the order the charts were added.
func (d *drawing) wait(charts map[string]template.HTML) error {
	var first error
	for i, out := range d.out {
		c := <-out
		if c.err != nil && first == nil {
			first = c.err
		}
		charts[d.names[i]] = c.h
	}
	return first
}

// plainHistogram bins the returns x over mean ± sigmaRange standard
// deviations, as newHistogram.
func plainHistogram(x []float64) histogram { return newHistogram(metrics.Slice(x), returnBins) }

// mean returns the mean of the finite values of x, NaN for none.
func mean(x []float64) float64 {
	var s, n float64
	for _, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			s += v
			n++
		}
	}
	return s / n
}

// tradeView lays out row i (from 1) of trades.csv for the trade table:
// #, symbol, side, quantity, entry, entry price, exit, exit price, net
// P&L, return, bars, MAE, MFE.
func tradeView(i int, row []string, tf timeFormatter) tradeRowView {
	num := func(s string, f func(float64) string) cell {
		x := parseOrNaN(s)
		return cell{Text: f(x), Sort: s}
	}
	signed := func(s string, f func(float64) string) cell {
		c := num(s, f)
		if x := parseOrNaN(s); x > 0 {
			c.Class = "g"
		} else if x < 0 {
			c.Class = "r"
		}
		return c
	}
	exit := cell{Text: tf.format(row[5]), Sort: row[5]}
	if row[11] != "closed" {
		exit = cell{Text: row[11], Sort: "~"}
	}
	return tradeRowView{Cells: []cell{
		{Text: strconv.Itoa(i), Sort: strconv.Itoa(i)},
		{Text: row[0], Sort: row[0], Class: "l"},
		{Text: row[1], Sort: row[1], Class: "l"},
		num(row[2], fmtQty),
		{Text: tf.format(row[3]), Sort: row[3], Class: "l"},
		num(row[4], fmtPrice),
		{Text: exit.Text, Sort: exit.Sort, Class: "l"},
		num(row[6], fmtPrice),
		signed(row[9], fmtMoney),
		signed(row[14], fmtPct),
		num(row[10], func(x float64) string { return fmtNum(x, 0) }),
		num(row[12], fmtPct),
		num(row[13], fmtPct),
	}}
}

// figureRow is one row of a table of figures.
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
	pct := func(f Float) string { return fmtPct(float64(f)) }
	plain := func(f Float) string { return fmtPctPlain(float64(f)) }
	ratio := func(f Float) string { return fmtRatio(float64(f)) }
	return []figureRow{
		{"Total return", pct(m.TotalReturn), bf(func(b *BenchmarkMetrics) string { return pct(b.TotalReturn) }), ""},
		{"Annual return (CAGR)", pct(m.AnnualReturn), bf(func(b *BenchmarkMetrics) string { return pct(b.AnnualReturn) }), "years = periods / P"},
		{"Annual volatility", plain(m.AnnualVolatility), bf(func(b *BenchmarkMetrics) string { return plain(b.AnnualVolatility) }), "ddof 1"},
		{"Sharpe ratio", ratio(m.Sharpe), bf(func(b *BenchmarkMetrics) string { return ratio(b.Sharpe) }), "annualized, √P"},
		{"Sortino ratio", ratio(m.Sortino), "", ""},
		{"Max drawdown", pct(m.MaxDrawdown), bf(func(b *BenchmarkMetrics) string { return pct(b.MaxDrawdown) }), ""},
		{"Calmar ratio", ratio(m.Calmar), "", ""},
		{"Longest drawdown", fmtNum(float64(m.LongestDrawdownDays), 0) + " days", "", "calendar days, first to last underwater bar"},
		{"Probabilistic Sharpe", plain(m.ProbabilisticSharpe), "", "P(true Sharpe > 0)"},
		{"Deflated Sharpe", plain(m.DeflatedSharpe), "", fmt.Sprintf("after %d trial(s)", a.Trials)},
		{"Alpha (ann., compounded)", bf(func(b *BenchmarkMetrics) string { return pct(b.Alpha) }), "", "vs benchmark"},
		{"Beta", bf(func(b *BenchmarkMetrics) string { return ratio(b.Beta) }), "", "vs benchmark"},
		{"Information ratio", bf(func(b *BenchmarkMetrics) string { return fmtNum(float64(b.InformationRatio), 3) }), "", "per period, not annualized"},
		{"Up / down capture", bf(func(b *BenchmarkMetrics) string { return ratio(b.UpCapture) + " / " + ratio(b.DownCapture) }), "", ""},
		{"Value at risk (5 %)", pct(m.ValueAtRisk), "", "historical, per period"},
		{"Closed trades", fmt.Sprintf("%s (%s won, %s lost, %s even), %s open", fmtNum(float64(t.Closed), 0), fmtNum(float64(t.Wins), 0),
			fmtNum(float64(t.Losses), 0), fmtNum(float64(t.Even), 0), fmtNum(float64(t.Open), 0)), "", ""},
		{"Win rate", plain(t.WinRate), "", "trades with net P&L > 0"},
		{"Profit factor", ratio(t.ProfitFactor), "", "gross profit / |gross loss|"},
		{"Expectancy", fmtMoney(float64(t.Expectancy)), "", "mean net P&L per trade"},
		{"SQN", ratio(t.SQN), "", "population σ"},
		{"Avg MAE / MFE", pct(t.AvgMAE) + " / " + pct(t.AvgMFE), "", "of entry price"},
		{"Avg holding time", fmtGoDuration(t.AvgDuration), "", fmt.Sprintf("%s bars", fmtNum(float64(t.AvgBars), 1))},
		{"Periods per year", strconv.FormatFloat(float64(a.PeriodsPerYear), 'g', -1, 64), "", ""},
	}
}

// monthlyTable is the monthly returns heatmap: one row per year, and
// under it a row of the benchmark's when there is one.
type monthlyTable struct {
	Rows []monthlyRow
}

type monthlyRow struct {
	Year   string
	Bench  bool // the benchmark's row
	Cells  [12]heatCell
	Annual heatCell
}

type heatCell struct {
	Text  string
	Style template.CSS
}

// newMonthlyTable lays out the monthly and annual returns, with the
// benchmark's (keyed by period) in a row under each year when bm is not
// nil.
func newMonthlyTable(monthly, annual []PeriodRow, bm, ba map[string]float64) monthlyTable {
	var t monthlyTable
	idx := map[string]int{}
	for _, y := range annual {
		idx[y.Period] = len(t.Rows)
		t.Rows = append(t.Rows, monthlyRow{Year: y.Period, Annual: heat(float64(y.Return), 0.3)})
		if bm != nil {
			b, ok := ba[y.Period]
			if !ok {
				b = math.NaN()
			}
			t.Rows = append(t.Rows, monthlyRow{Year: "benchmark", Bench: true, Annual: heat(b, 0.3)})
		}
	}
	for _, m := range monthly {
		i, ok := idx[m.Period[:4]]
		if !ok {
			continue
		}
		month, _ := strconv.Atoi(m.Period[5:])
		t.Rows[i].Cells[month-1] = heat(float64(m.Return), 0.1)
		if bm != nil {
			b, ok := bm[m.Period]
			if !ok {
				b = math.NaN()
			}
			t.Rows[i+1].Cells[month-1] = heat(b, 0.1)
		}
	}
	return t
}

// heat formats x as a signed percentage with one decimal on a red (loss)
// or green (gain) background whose strength grows with |x| up to full.
func heat(x, full float64) heatCell {
	if math.IsNaN(x) {
		return heatCell{Text: "-"}
	}
	alpha := math.Min(math.Abs(x)/full, 1)*0.75 + 0.05
	rgb := "46,139,87"
	if x < 0 {
		rgb = "192,57,43"
	}
	text := fmtNum(100*x, 1)
	if text != "0.0" && text[0] != '-' {
		text = "+" + text
	}
	return heatCell{Text: text, Style: template.CSS(fmt.Sprintf("background:rgba(%s,%.2f)", rgb, alpha))}
}

// parseOrNaN parses s as a float, NaN when it is not one.
func parseOrNaN(s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}
