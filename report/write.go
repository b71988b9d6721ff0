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
	"github.com/quantloop/quantloop/report/metrics"
)

// The files WriteDir writes.
const (
	TradesFile   = "trades.csv"
	FillsFile    = "fills.csv"
	OrdersFile   = "orders.csv"
	EquityFile   = "equity.csv"
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
// fills.csv, orders.csv, equity.csv, config.yaml, results.json,
// report.html and manifest.json. It reads the input files to hash them and
// the benchmark file for its closes. The report is drawn from the other
// files' bytes, exactly as [RenderDir] draws it from disk, so that the two
// agree byte for byte.
func Render(res *backtest.Result) ([]File, error) {
	times := make([]time.Time, len(res.Equity))
	eq := make([]float64, len(res.Equity))
	for i, p := range res.Equity {
		times[i], eq[i] = p.Time, p.Value
	}
	r := metrics.SimpleReturnsFrom(res.InitialCash.InexactFloat64(), eq)
	wealth, err := BenchmarkWealth(res.Config, times)
	if err != nil {
		return nil, err
	}
	s := Series{Times: times, Returns: r, PeriodsPerYear: res.Metrics.PeriodsPerYear,
		RiskFree: res.Config.RiskFree, Trials: res.Config.Trials}
	if wealth != nil {
		s.Benchmark, s.BenchmarkName = wealthReturns(wealth), res.Config.BenchmarkFile()
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

// WriteTrades writes the round trips as CSV, open ones with empty exit
// fields.
func WriteTrades(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"symbol", "side", "quantity", "entry_time", "entry_price", "exit_time", "exit_price",
		"commission", "pnl_gross", "pnl_net", "bars", "status", "mae", "mfe", "return"})
	for _, t := range res.Trades {
		exitTime, exitPrice := FormatTime(t.ExitTime), ""
		if !t.Open {
			exitPrice = t.ExitPrice.String()
		}
		cw.Write([]string{t.Symbol, t.Side(), t.Quantity.String(), FormatTime(t.EntryTime), t.EntryPrice.String(),
			exitTime, exitPrice, t.Commission.String(), t.PnLGross.String(), t.PnLNet.String(),
			strconv.Itoa(t.Bars), t.Status(), formatFloat(t.MAE), formatFloat(t.MFE), formatFloat(TradeReturn(&t))})
	}
	cw.Flush()
	return cw.Error()
}

// WriteFills writes every fill as CSV, in the order they happened.
func WriteFills(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"order_id", "time", "symbol", "side", "quantity", "price", "commission"})
	for _, f := range res.Fills {
		cw.Write([]string{strconv.FormatUint(f.OrderID, 10), FormatTime(f.Time), f.Symbol, f.Side.String(),
			f.Quantity.String(), f.Price.String(), f.Commission.String()})
	}
	cw.Flush()
	return cw.Error()
}

// WriteOrders writes every order and what became of it as CSV.
func WriteOrders(w io.Writer, res *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"order_id", "time", "symbol", "side", "type", "quantity", "source", "status", "reason",
		"fill_time", "fill_price"})
	for _, o := range res.Orders {
		fillPrice := ""
		if o.Status == backtest.StatusFilled {
			fillPrice = o.FillPrice.String()
		}
		cw.Write([]string{strconv.FormatUint(o.ID, 10), FormatTime(o.Time), o.Symbol, o.Side.String(),
			o.Type.String(), o.Quantity.String(), o.Source, o.Status, o.Reason, FormatTime(o.FillTime), fillPrice})
	}
	cw.Flush()
	return cw.Error()
}

// WriteEquity writes one row per bar time: the time, the cash and the
// equity (cash plus positions marked at the close), exactly; then the
// drawdown dd[i] and the benchmark's buy-and-hold value, initial cash ×
// wealth[i], as shortest round-trip floats (empty where wealth is NaN or
// when wealth is nil).
func WriteEquity(w io.Writer, res *backtest.Result, dd, wealth []float64) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "cash", "equity", "drawdown", "benchmark"})
	cash := res.InitialCash.InexactFloat64()
	for i, p := range res.Equity {
		bench := ""
		if wealth != nil && !math.IsNaN(wealth[i]) {
			bench = formatFloat(cash * wealth[i])
		}
		cw.Write([]string{FormatTime(p.Time), p.Cash.String(), p.Equity().String(), formatFloat(dd[i]), bench})
	}
	cw.Flush()
	return cw.Error()
}
