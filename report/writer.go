package report

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/report/metrics"
)

// seriesMemory is how many values of each long series a Writer keeps in
// memory; the rest go to temporary files (see internal/spill).
const seriesMemory = 1 << 16

// Writer writes a run's outputs into a directory while the run makes
// them, so that no record is held in memory: it is a backtest.Sink. Give
// it to backtest.Options.Sink, then call Finish with the run's Result, or
// Abort. trades.csv, fills.csv, orders.csv and equity.csv grow under
// temporary names in the directory; Finish analyzes the run, writes the
// other files and renames everything into place, manifest.json last.
// Memory stays bounded however long the run: long series (the equity and
// benchmark curves the analysis and charts read) keep their last values
// in memory and the rest in temporary files.
type Writer struct {
	dir     string
	created bool  // NewWriter made dir
	err     error // the first error of a Write method

	files                 []*outFile
	rows                  *rowWriter
	fills, trades, orders *csvFile
	results               *Results
}

// outFile is an output file growing under a temporary name, hashed as it
// is written.
type outFile struct {
	name string // its name in the directory
	f    *os.File
	w    *bufio.Writer
	sum  hash.Hash
	n    int64
}

// Write implements io.Writer.
func (o *outFile) Write(b []byte) (int, error) {
	n, err := o.w.Write(b)
	o.n += int64(n)
	return n, err
}

type csvFile struct {
	*outFile
	cw *csv.Writer
}

// NewWriter starts the outputs of a run of cfg in dir, creating dir if
// needed. The benchmark file of cfg, if any, is opened at the first
// equity point: a data file's problems are the run's to report first.
func NewWriter(dir string, cfg backtest.Config) (*Writer, error) {
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	w := &Writer{dir: dir, created: os.IsNotExist(statErr)}
	var err error
	openCSV := func(name string, header []string) (*csvFile, error) {
		f, err := w.create(name)
		if err != nil {
			return nil, err
		}
		c := &csvFile{outFile: f, cw: csv.NewWriter(f)}
		return c, c.cw.Write(header)
	}
	if w.trades, err = openCSV(TradesFile, tradesHeader); err == nil {
		if w.fills, err = openCSV(FillsFile, fillsHeader); err == nil {
			if w.orders, err = openCSV(OrdersFile, ordersHeader); err == nil {
				var f *outFile
				if f, err = w.create(EquityFile); err == nil {
					if _, err = io.WriteString(f, equityHeader); err == nil {
						w.rows = newRowWriter(cfg, cfg.InitialCash().InexactFloat64(), f, w.fills, w.trades, w.orders)
					}
				}
			}
		}
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// create starts the output file name under a temporary name.
func (w *Writer) create(name string) (*outFile, error) {
	f, err := os.CreateTemp(w.dir, "."+name+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", filepath.Join(w.dir, name), err)
	}
	o := &outFile{name: name, f: f, sum: sha256.New()}
	o.w = bufio.NewWriterSize(io.MultiWriter(f, o.sum), 1<<16)
	w.files = append(w.files, o)
	return o, nil
}

// WriteEquity writes p's row of equity.csv (see rowWriter.writeEquity).
func (w *Writer) WriteEquity(p *backtest.EquityPoint) error {
	if w.err != nil {
		return w.err
	}
	return w.fail(w.rows.writeEquity(p))
}

// WriteFill writes f's row of fills.csv; label names its order.
func (w *Writer) WriteFill(f *engine.FillEvent, label string) error {
	return w.fail(w.rows.writeFill(f, label))
}

// WriteTrade writes t's row of trades.csv and adds t to the trade
// statistics.
func (w *Writer) WriteTrade(t *portfolio.Trade) error {
	return w.fail(w.rows.writeTrade(t))
}

// WriteOrder writes o's row of orders.csv.
func (w *Writer) WriteOrder(o *backtest.OrderRecord) error {
	return w.fail(w.rows.writeOrder(o))
}

// fail notes err, the first error of a Write method, and returns it.
func (w *Writer) fail(err error) error {
	if err != nil && w.err == nil {
		w.err = err
	}
	return err
}

// Err returns the first error of a Write method: the run stopped on it,
// and Finish would write incomplete files; Abort instead.
func (w *Writer) Err() error { return w.err }

// Results returns what Finish wrote to results.json, nil before.
func (w *Writer) Results() *Results { return w.results }

// Finish completes the outputs of res, the run the Writer was given to:
// it writes fees.csv, config.yaml, results.json with the analysis,
// report.html and manifest.json, and renames every file into place. It
// reads res.Curve, so call it before res.Close. The Writer is done
// afterwards; on error its files are removed.
func (w *Writer) Finish(res *backtest.Result) (err error) {
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	if err := w.Err(); err != nil {
		return fmt.Errorf("outputs incomplete: %w", err)
	}
	if err := w.close(); err != nil {
		return err
	}
	results := NewResults(res)
	if err := w.analyze(res, results); err != nil {
		return err
	}
	manifest, canon, err := NewManifest(res.Config)
	if err != nil {
		return err
	}
	results.Manifest = manifest
	w.results = results
	write := func(name string, fn func(io.Writer) error) error {
		o, err := w.create(name)
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		return nil
	}
	if err := write(FeesFile, func(o io.Writer) error { return writeFees(o, res.Fees) }); err != nil {
		return err
	}
	if err := write(ConfigFile, func(o io.Writer) error { _, err := o.Write(canon); return err }); err != nil {
		return err
	}
	if err := write(ResultsFile, func(o io.Writer) error { return WriteResults(o, results) }); err != nil {
		return err
	}
	d := &reportData{results: *results, chart: w.rows.chart, trades: w.rows.table}
	// results.json as read back: the page shows exactly what it says.
	if err := roundTrip(results, &d.results); err != nil {
		return err
	}
	a := d.results.Analysis
	charts, err := seriesCharts(d.chart, &d.trades, d.results.Markers, initialCash(&d.results), float64(a.PeriodsPerYear), float64(a.RiskFreePeriod))
	if err != nil {
		return err
	}
	if err := write(ReportFile, func(o io.Writer) error { return writeHTML(o, d, charts) }); err != nil {
		return err
	}
	if err := w.close(); err != nil {
		return err
	}
	full := *manifest
	for _, f := range w.files {
		full.Outputs = append(full.Outputs, FileHash{Path: f.name, SHA256: hex.EncodeToString(f.sum.Sum(nil)), Bytes: f.n})
	}
	if err := write(ManifestFile, func(o io.Writer) error {
		mb, err := json.MarshalIndent(&full, "", "  ")
		if err != nil {
			return err
		}
		_, err = o.Write(append(mb, '\n'))
		return err
	}); err != nil {
		return err
	}
	if err := w.close(); err != nil {
		return err
	}
	for _, f := range w.files {
		if err := os.Rename(f.f.Name(), filepath.Join(w.dir, f.name)); err != nil {
			return fmt.Errorf("write %s: %w", f.name, err)
		}
	}
	w.files = nil
	w.release()
	return nil
}

// roundTrip sets dst to src as JSON reads it back.
func roundTrip(src, dst *Results) error {
	b, err := json.Marshal(src)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return json.Unmarshal(b, dst)
}

// analyze fills results' analysis and trade statistics.
func (w *Writer) analyze(res *backtest.Result, results *Results) error {
	s := Series{Times: res.Curve.Times(), Returns: res.Curve.Returns(res.InitialCash.InexactFloat64()),
		PeriodsPerYear: res.Metrics.PeriodsPerYear, RiskFree: res.Config.Analysis.RiskFree, Trials: res.Config.Analysis.Trials}
	if bw := w.rows.benchWealth; bw != nil {
		s.Benchmark, s.BenchmarkName = wealthReturns(bw), res.Config.BenchmarkFile()
	}
	results.Analysis = Analyze(s)
	results.TradeStats = w.rows.tradeStats.summary()
	errs := []error{res.Curve.Err(), w.rows.chart.err()}
	if bw := w.rows.benchWealth; bw != nil {
		errs = append(errs, bw.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("analysis: %w", err)
	}
	return nil
}

// close flushes and closes the files not yet closed.
func (w *Writer) close() error {
	var errs []error
	for _, c := range []*csvFile{w.fills, w.trades, w.orders} {
		if c != nil {
			c.cw.Flush()
			errs = append(errs, c.cw.Error())
		}
	}
	for _, f := range w.files {
		if f.w == nil {
			continue
		}
		err := f.w.Flush()
		if err == nil {
			err = f.f.Chmod(0o644)
		}
		if cerr := f.f.Close(); err == nil {
			err = cerr
		}
		f.w = nil
		if err != nil {
			errs = append(errs, fmt.Errorf("write %s: %w", f.name, err))
		}
	}
	return errors.Join(errs...)
}

// Abort removes the files written so far, and the directory if
// NewWriter made it and it is empty.
func (w *Writer) Abort() {
	for _, f := range w.files {
		f.f.Close()
		os.Remove(f.f.Name())
	}
	w.files = nil
	w.release()
	if w.created {
		os.Remove(w.dir) // fails, harmlessly, unless empty
	}
}

// release closes the benchmark and the temporary series.
func (w *Writer) release() {
	if w.rows != nil {
		w.rows.release()
	}
}

// WriteDir writes every output of res, a run whose records were kept,
// into dir: what a Writer given to the run would have written.
func WriteDir(dir string, res *backtest.Result) error {
	if res.Streamed {
		return fmt.Errorf("report: the run's records went to a sink, not into the result")
	}
	w, err := NewWriter(dir, res.Config)
	if err != nil {
		return err
	}
	labels := make(map[uint64]string)
	for _, o := range res.Orders {
		if o.Label != "" {
			labels[o.ID] = o.Label
		}
	}
	for i := range res.Equity {
		err = errors.Join(err, w.WriteEquity(&res.Equity[i]))
	}
	for i := range res.Fills {
		err = errors.Join(err, w.WriteFill(&res.Fills[i], labels[res.Fills[i].OrderID]))
	}
	for i := range res.Trades {
		err = errors.Join(err, w.WriteTrade(&res.Trades[i]))
	}
	for i := range res.Orders {
		err = errors.Join(err, w.WriteOrder(&res.Orders[i]))
	}
	if err != nil {
		w.Abort()
		return err
	}
	return w.Finish(res)
}

// Render returns every output of res, a run whose records were kept, in
// writing order: trades.csv, fills.csv, orders.csv, equity.csv, fees.csv,
// config.yaml, results.json, report.html and manifest.json. It writes
// them to a temporary directory with WriteDir and reads them back.
func Render(res *backtest.Result) ([]File, error) {
	dir, err := os.MkdirTemp("", "quantloop-render-*")
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := WriteDir(dir, res); err != nil {
		return nil, err
	}
	var files []File
	for _, name := range Outputs() {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		files = append(files, File{name, b})
	}
	return files, nil
}

// wealthReturns returns the column of simple returns of a benchmark's
// wealth path starting from 1: w[0]/1-1, then w[i]/w[i-1]-1, NaN where w
// is NaN. A first valid value after NaNs is measured from 1.
func wealthReturns(wealth metrics.Column) metrics.Column {
	return metrics.Map(wealth, func() func(float64) float64 {
		prev := 1.0
		return func(x float64) float64 {
			if math.IsNaN(x) {
				return x
			}
			r := x/prev - 1
			prev = x
			return r
		}
	})
}
