// Package report analyzes a run and writes its results: CSV tables of
// trades, fills, orders and equity; results.json with every metric, the
// tables, the effective configuration and the manifest; config.yaml, the
// canonical configuration to re-run from; a self-contained report.html;
// and manifest.json with the SHA-256 of every input and output. Every file
// is written atomically, and the same run gives byte-identical files. The
// metrics themselves live in the subpackage metrics, which does not
// depend on the engine.
package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/report/metrics"
)

// The files WriteDir writes.
const (
	TradesFile   = "trades.csv"
	FillsFile    = "fills.csv"
	OrdersFile   = "orders.csv"
	EquityFile   = "equity.csv"
	FeesFile     = "fees.csv"
	ConfigFile   = "config.yaml"
	ResultsFile  = "results.json"
	ReportFile   = "report.html"
	ManifestFile = "manifest.json"
)

// File is one output file: its name in the output directory and its bytes.
type File struct {
	Name string
	Data []byte
}

// WriteDir writes every output of res into dir, creating it if needed:
// the files of [Render]. Each file is written to a temporary name and
// renamed into place, so a reader never sees half a file; manifest.json
// comes last.
func WriteDir(dir string, res *backtest.Result) error {
	files, err := Render(res)
	if err != nil {
		return err
	}
	return WriteFiles(dir, files)
}

// WriteFiles writes files into dir atomically, in order.
func WriteFiles(dir string, files []File) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.Name), func(w io.Writer) error {
			_, err := w.Write(f.Data)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// Render returns every output of res, in writing order: trades.csv,
// fills.csv, orders.csv, equity.csv, fees.csv, config.yaml, results.json,
// report.html and manifest.json. A result whose records went to a
// backtest.Sink (res.Streamed) has none to render and is refused. It reads the input files to hash them and
// the benchmark file for its closes. The report is drawn from the other
// files' bytes, exactly as [RenderDir] draws it from disk, so that the two
// agree byte for byte.
func Render(res *backtest.Result) ([]File, error) {
	if res.Streamed {
		return nil, fmt.Errorf("render: the run's records went to a sink, not into the result")
	}
	times := res.Curve.Times(res.Curve.Len())
	r := metrics.SimpleReturnsFrom(res.InitialCash.InexactFloat64(), res.Curve.Values)
	wealth, err := BenchmarkWealth(res.Config, times)
	if err != nil {
		return nil, err
	}
	s := Series{Times: metrics.TimeSlice(times), Returns: metrics.Slice(r), PeriodsPerYear: res.Metrics.PeriodsPerYear,
		RiskFree: res.Config.RiskFree, Trials: res.Config.Trials}
	if wealth != nil {
		s.Benchmark, s.BenchmarkName = metrics.Slice(wealthReturns(wealth)), res.Config.BenchmarkFile()
	}
	results := NewResults(res)
	results.Analysis = Analyze(s)
	results.TradeStats = SummarizeTrades(res.Trades)
	manifest, canon, err := NewManifest(res.Config)
	if err != nil {
		return nil, err
	}
	results.Manifest = manifest

	var files []File
	add := func(name string, write func(io.Writer) error) error {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
		files = append(files, File{name, b.Bytes()})
		return nil
	}
	dd := metrics.DrawdownSeries(r)
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{TradesFile, func(w io.Writer) error { return WriteTrades(w, res) }},
		{FillsFile, func(w io.Writer) error { return WriteFills(w, res) }},
		{OrdersFile, func(w io.Writer) error { return WriteOrders(w, res) }},
		{EquityFile, func(w io.Writer) error { return WriteEquity(w, res, dd, wealth) }},
		{FeesFile, func(w io.Writer) error { return WriteFees(w, res) }},
		{ConfigFile, func(w io.Writer) error { _, err := w.Write(canon); return err }},
		{ResultsFile, func(w io.Writer) error { return WriteResults(w, results) }},
	} {
		if err := add(f.name, f.write); err != nil {
			return nil, err
		}
	}
	html, err := renderFromFiles(files)
	if err != nil {
		return nil, err
	}
	files = append(files, File{ReportFile, html})
	full := *manifest
	for _, f := range files {
		full.Outputs = append(full.Outputs, HashBytes(f.Name, f.Data))
	}
	mb, err := json.MarshalIndent(&full, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", ManifestFile, err)
	}
	files = append(files, File{ManifestFile, append(mb, '\n')})
	return files, nil
}

// writeAtomic writes a file through fn to a temporary file beside path and
// renames it to path once complete.
func writeAtomic(path string, fn func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = fn(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// formatFloat writes x with the shortest text that reads back to it.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// FormatTime formats t as ISO 8601 (RFC 3339), with fractional seconds only
// when there are any. The zero time is written as an empty string.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// The CSV headers.
var (
	tradesHeader = []string{"symbol", "side", "quantity", "entry_time", "entry_price", "exit_time", "exit_price",
		"commission", "pnl_gross", "pnl_net", "bars", "status", "mae", "mfe", "return"}
	fillsHeader  = []string{"order_id", "time", "symbol", "side", "quantity", "price", "commission", "slippage", "remaining"}
	ordersHeader = []string{"id", "engine_id", "time", "symbol", "side", "type", "quantity", "filled_quantity",
		"limit", "stop", "trail", "tif", "expire", "parent", "oco", "reduce_only", "source", "status", "reason",
		"trigger_time", "fill_time", "fill_price"}
	feesHeader = []string{"time", "symbol", "kind", "amount"}
)

// writeCSV writes header and one row per record.
func writeCSV[T any](w io.Writer, header []string, records []T, row func(*T) []string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for i := range records {
		cw.Write(row(&records[i]))
	}
	cw.Flush()
	return cw.Error()
}

// WriteTrades writes the round trips as CSV, in the order they closed,
// then those still open, with empty exit fields. mae and mfe are the
// trade's excursions and return its net P&L over the entry value.
func WriteTrades(w io.Writer, res *backtest.Result) error {
	return writeCSV(w, tradesHeader, res.Trades, tradeCSVRow)
}

func tradeCSVRow(t *portfolio.Trade) []string {
	exitPrice := ""
	if !t.Open {
		exitPrice = t.ExitPrice.String()
	}
	return []string{t.Symbol, t.Side(), t.Quantity.String(), FormatTime(t.EntryTime), t.EntryPrice.String(),
		FormatTime(t.ExitTime), exitPrice, t.Commission.String(), t.PnLGross.String(), t.PnLNet.String(),
		strconv.Itoa(t.Bars), t.Status(), formatFloat(t.MAE), formatFloat(t.MFE), formatFloat(TradeReturn(t))}
}

// WriteFills writes every fill as CSV, in the order they happened. The
// order_id is the order's name (see orderNames).
func WriteFills(w io.Writer, res *backtest.Result) error {
	name := orderNames(res)
	return writeCSV(w, fillsHeader, res.Fills, func(f *engine.FillEvent) []string {
		return []string{name(f.OrderID), FormatTime(f.Time), f.Symbol, f.Side.String(),
			f.Quantity.String(), f.Price.String(), f.Commission.String(), f.Slippage.String(), f.Remaining.String()}
	})
}

// orderNames maps order IDs to the names the output files use: the
// order's label (an orders file's id) when it has one, else its ID.
func orderNames(res *backtest.Result) func(uint64) string {
	labels := make(map[uint64]string)
	for _, o := range res.Orders {
		if o.Label != "" {
			labels[o.ID] = o.Label
		}
	}
	return func(id uint64) string {
		if id == 0 {
			return ""
		}
		if l, ok := labels[id]; ok {
			return l
		}
		return strconv.FormatUint(id, 10)
	}
}

// priceText is a price column's text: empty for no price.
func priceText(p engine.Price) string {
	if p == 0 {
		return ""
	}
	return p.String()
}

// WriteOrders writes every order and what became of it as CSV, in the
// order they ended: id and parent are orders' names (see orderNames);
// engine_id is always the engine's ID.
func WriteOrders(w io.Writer, res *backtest.Result) error {
	name := orderNames(res)
	return writeCSV(w, ordersHeader, res.Orders, func(o *backtest.OrderRecord) []string { return orderCSVRow(o, name) })
}

func orderCSVRow(o *backtest.OrderRecord, name func(uint64) string) []string {
	fillPrice := ""
	if o.FilledQuantity.IsPositive() {
		fillPrice = o.FillPrice.String()
	}
	trail := priceText(o.TrailAmount)
	if o.TrailPercent.IsPositive() {
		trail = o.TrailPercent.String() + "%"
	}
	reduce := ""
	if o.ReduceOnly {
		reduce = "true"
	}
	trig := time.Time{}
	if o.Triggered {
		trig = o.TriggerTime
	}
	return []string{name(o.ID), strconv.FormatUint(o.ID, 10), FormatTime(o.Time), o.Symbol, o.Side.String(),
		o.Type.String(), o.Quantity.String(), o.FilledQuantity.String(), priceText(o.Limit), priceText(o.Stop),
		trail, o.TIF.String(), FormatTime(o.ExpireAt), name(o.Parent), o.OCO, reduce, o.Source, o.Status, o.Reason,
		FormatTime(trig), FormatTime(o.FillTime), fillPrice}
}

// WriteFees writes the fees that are not commissions (borrow fees), one
// row per charge.
func WriteFees(w io.Writer, res *backtest.Result) error {
	return writeCSV(w, feesHeader, res.Fees, feeCSVRow)
}

func feeCSVRow(f *portfolio.Fee) []string {
	return []string{FormatTime(f.Time), f.Symbol, f.Kind, f.Amount.String()}
}

// WriteEquity writes one row per bar time: the time, the cash and the
// equity (cash plus positions marked at the close), exactly; then the
// drawdown dd[i] and the benchmark's buy-and-hold value, initial cash ×
// wealth[i], as shortest round-trip floats (empty where wealth is NaN or
// when wealth is nil). No field needs CSV quoting, so rows are formatted
// straight into one buffer, without allocating for exact values.
func WriteEquity(w io.Writer, res *backtest.Result, dd, wealth []float64) error {
	if _, err := io.WriteString(w, "time,cash,equity,drawdown,benchmark\n"); err != nil {
		return err
	}
	cash := res.InitialCash.InexactFloat64()
	var b []byte
	for i := range res.Equity {
		p := &res.Equity[i]
		b = appendTime(b[:0], p.Time)
		b = append(b, ',')
		b = p.AppendCash(b)
		b = append(b, ',')
		b = p.AppendEquity(b)
		b = append(b, ',')
		b = strconv.AppendFloat(b, dd[i], 'g', -1, 64)
		b = append(b, ',')
		if wealth != nil && !math.IsNaN(wealth[i]) {
			b = strconv.AppendFloat(b, cash*wealth[i], 'g', -1, 64)
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// appendTime appends FormatTime(t) to b.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return t.AppendFormat(b, time.RFC3339Nano)
}
