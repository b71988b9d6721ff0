package report

import (
	"bufio"
	"bytes"
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
	"strconv"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/dirswap"
	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/portfolio"
)

// seriesMemory is how many values of each long series a Writer keeps in
// memory; the rest go to temporary files (see internal/spill).
const seriesMemory = 1 << 16

// Writer writes a run's outputs into a directory while the run makes
// them, so that no record is held in memory: it is a backtest.Sink. Give
// it to backtest.Options.Sink, then call Finish with the run's Result, or
// Abort. The run's files grow in a fresh folder beside the directory
// (see internal/dirswap): trades.csv, fills.csv, orders.csv and
// equity.csv while the run goes, and most of the analysis with them
// (see rowWriter); Finish completes the analysis, with the report's
// charts and exposure beside it on goroutines of their own, writes the
// other files, manifest.json last, and swaps the folder in for the
// directory in one step. The directory thus holds the previous complete
// run, or the new one, at every moment; a kill leaves at most a stage
// folder that the next Writer for the same directory removes. Files of
// the directory that are not the previous run's (see CheckDir) are
// carried over into the new folder. Memory stays bounded however long
// the run: long series (the equity and benchmark curves the analysis and
// charts read) keep their last values in memory and the rest in
// temporary files.
type Writer struct {
	dir   string         // the directory as given
	stage *dirswap.Stage // where the files are written
	err   error          // the first error of a Write method
	done  bool           // finished or aborted

	level                 backtest.OutputLevel
	files                 []*outFile
	rows                  *rowWriter
	prep                  chan *chartPrep   // the charts prepared beside the analysis (see Finish)
	exp                   chan *exposureRun // the exposure computed beside the analysis
	bars                  *barLog           // the closes of a run of several data files, for the exposure; nil otherwise
	symbol                string            // else the symbol of the run's bars, "" before the first
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

// A Writer takes the bars of a run as well as its records.
var _ backtest.BarSink = (*Writer)(nil)

// ErrNotRunFolder is wrapped by NewWriter's error when dir is a folder
// that holds files but no run: a run replaces only an empty folder or a
// run's.
var ErrNotRunFolder = errors.New("not a run folder")

// NewWriter starts the outputs of a run of cfg that will replace the
// directory dir, in a stage folder beside it, making dir's parent if
// needed. dir must not exist, or be empty, or hold a run. The benchmark
// file of cfg, if any, is opened at the first equity point: a data
// file's problems are the run's to report first.
func NewWriter(dir string, cfg backtest.Config) (*Writer, error) {
	if err := checkReplaceable(dir); err != nil {
		return nil, err
	}
	stage, err := dirswap.New(dir)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, stage: stage, level: cfg.Analysis.Outputs}
	openCSV := func(name string, header []string) (*csvFile, error) {
		f, err := w.create(name)
		if err != nil {
			return nil, err
		}
		c := &csvFile{outFile: f, cw: csv.NewWriter(f)}
		return c, c.cw.Write(header)
	}
	var equity *outFile
	if w.level != backtest.OutputsMetrics {
		if w.trades, err = openCSV(TradesFile, tradesHeader); err == nil {
			if w.fills, err = openCSV(FillsFile, fillsHeader); err == nil {
				if w.orders, err = openCSV(OrdersFile, ordersHeader); err == nil {
					if equity, err = w.create(EquityFile); err == nil {
						_, err = io.WriteString(equity, equityHeader)
					}
				}
			}
		}
	}
	if err == nil {
		w.rows = newRowWriter(cfg, cfg.InitialCash().InexactFloat64(), equity, w.fills, w.trades, w.orders, true, w.level != backtest.OutputsMetrics)
		w.rows.daily = w.level == backtest.OutputsLean
		if w.level != backtest.OutputsMetrics && len(cfg.Data.Files) > 1 {
			w.bars = newBarLog(seriesMemory)
		}
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// create starts the output file name in the stage.
func (w *Writer) create(name string) (*outFile, error) {
	f, err := os.OpenFile(filepath.Join(w.stage.Dir(), name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", filepath.Join(w.dir, name), err)
	}
	o := &outFile{name: name, f: f, sum: sha256.New()}
	o.w = bufio.NewWriterSize(io.MultiWriter(f, o.sum), 1<<16)
	w.files = append(w.files, o)
	return o, nil
}

// The Write methods queue copies of the records for the Writer's own
// goroutine, which writes their rows in order, a batch behind the run;
// an error there is returned by a later call and by Err.

// WriteEquity queues p's row of equity.csv (see rowWriter.writeEquity).
func (w *Writer) WriteEquity(p *backtest.EquityPoint) error {
	if w.err != nil {
		return w.err
	}
	return w.fail(w.rows.addEquity(p))
}

// WriteBars keeps the time, symbol and close of bars, one timestamp's,
// for the report's exposure (see backtest.BarSink), when the run has
// several data files; with one, the exposure needs no closes, only the
// symbol, which it keeps.
func (w *Writer) WriteBars(bars []engine.Bar) error {
	if w.bars != nil {
		w.bars.add(bars)
	} else if w.symbol == "" && len(bars) > 0 {
		w.symbol = bars[0].Symbol
	}
	return nil
}

// WriteFill queues f's row of fills.csv; label names its order.
func (w *Writer) WriteFill(f *engine.FillEvent, label string) error {
	return w.fail(w.rows.addFill(f, label))
}

// WriteTrade queues t's row of trades.csv and t for the trade
// statistics.
func (w *Writer) WriteTrade(t *portfolio.Trade) error {
	return w.fail(w.rows.addTrade(t))
}

// WriteOrder queues o's row of orders.csv.
func (w *Writer) WriteOrder(o *backtest.OrderRecord) error {
	return w.fail(w.rows.addOrder(o))
}

// fail notes err, the first error of a Write method, and returns it.
func (w *Writer) fail(err error) error {
	if err != nil && w.err == nil {
		w.err = err
	}
	return err
}

// Err returns the first error of a Write method or of writing the rows,
// waiting until the rows handed over are written: the run stopped on
// it, or its outputs would be incomplete; Abort instead of Finish. Call
// it only when the run has ended.
func (w *Writer) Err() error {
	if w.err == nil && w.rows != nil {
		w.err = w.rows.wait()
	}
	return w.err
}

// Basics returns what metrics.ComputeBasics(r, P) returns, bit for bit,
// for r the returns of the run's equity points measured from the initial
// cash start, from the analysis the Writer made of the points as they
// came: its first pass is done, and the second, which the report's
// analysis needs too, is made once for both. ok is false when the points
// were not analyzed as they came, or from another start, or for a
// per-period risk-free rate other than +0 (whose downside risk is
// another), or when writing the rows failed. backtest.Options.Run calls
// it, when its Sink has it, once the run has ended; like Err, it waits
// until the rows handed over are written. It also starts the passes over
// the chart columns that Finish would start (see prepareCharts), so that
// they run beside the second pass.
func (w *Writer) Basics(start float64, r metrics.Column, P float64) (wealth metrics.Wealth, m metrics.Moments, downsideRisk float64, ok bool) {
	if w.Err() != nil || w.rows == nil {
		return wealth, m, downsideRisk, false
	}
	if w.level != backtest.OutputsMetrics && w.prep == nil {
		// The charts' passes can start now, beside the second pass
		// below, for the initial cash and rates as Finish takes them
		// (writeHTML checks).
		if initial, err := strconv.ParseFloat(w.rows.cfg.InitialCash().String(), 64); err == nil {
			w.startPrep(initial, &[2]float64{P, metrics.PeriodRate(w.rows.cfg.Analysis.RiskFree, P)})
		}
	}
	live := w.rows.live
	if live == nil || live.sum == nil || live.n != r.Len() ||
		math.Float64bits(live.start) != math.Float64bits(start) || math.Float64bits(live.rf) != 0 {
		return wealth, m, downsideRisk, false
	}
	sm, ok := live.summary(r, P)
	return sm.Wealth, sm.Moments, sm.DownsideRisk, ok
}

// Results returns what Finish wrote to results.json, nil before.
func (w *Writer) Results() *Results { return w.results }

// Finish completes the outputs of res, the run the Writer was given to:
// it writes fees.csv, actions.csv (with data.actions), config.yaml, results.json with the analysis,
// report.html and manifest.json, and swaps the folder in for the
// directory. It reads res.Curve, so call it before res.Close. The Writer
// is done afterwards; on error its files are removed and the directory
// is as it was.
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
	results := newResults(res)
	results.Outputs = outputsNote(w.level)
	if w.level != backtest.OutputsMetrics {
		// The charts' longest passes over the columns, which need no
		// analysis, run while the analysis does; writeReport takes
		// their result, and every return waits for them. The rolling
		// statistics need the periods per year and the per-period
		// risk-free rate, which the analysis takes as they are here.
		P := res.Metrics.PeriodsPerYear
		if w.prep == nil { // else started when the run ended (see Basics)
			w.startPrep(initialCash(results), &[2]float64{P, metrics.PeriodRate(res.Config.Analysis.RiskFree, P)})
		}
		defer w.waitPrep()
		// So does the exposure, which reads the staged fills.csv, for
		// the config as results.json reads it back (writeReport checks).
		var cfg backtest.Config
		if b, err := json.Marshal(results.Config); err == nil && json.Unmarshal(b, &cfg) == nil {
			exp := make(chan *exposureRun, 1)
			go func() { exp <- w.exposure(cfg, P) }()
			w.exp = exp
			defer w.waitExposure()
		}
	}
	if err := w.analyze(res, results); err != nil {
		return err
	}
	man, canon, err := w.newManifest(res)
	if err != nil {
		return err
	}
	results.Manifest = man
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
	if w.level != backtest.OutputsMetrics {
		if err := write(FeesFile, func(o io.Writer) error { return writeFees(o, res.Fees) }); err != nil {
			return err
		}
		if res.Config.Data.Actions != "" {
			if err := write(ActionsFile, func(o io.Writer) error { return writeActions(o, res) }); err != nil {
				return err
			}
		}
	}
	if err := write(ConfigFile, func(o io.Writer) error { _, err := o.Write(canon); return err }); err != nil {
		return err
	}
	if err := write(ResultsFile, func(o io.Writer) error { return writeResults(o, results) }); err != nil {
		return err
	}
	if w.level != backtest.OutputsMetrics {
		if err := w.writeReport(results, write); err != nil {
			return err
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	full := man.WithBuild()
	for _, f := range w.files {
		full.Outputs = append(full.Outputs, manifest.FileHash{Path: f.name, SHA256: hex.EncodeToString(f.sum.Sum(nil)), Bytes: f.n})
	}
	if err := write(ManifestFile, full.Write); err != nil {
		return err
	}
	if err := w.close(); err != nil {
		return err
	}
	w.files = nil
	var isRun func(string) bool
	if err := w.stage.Commit(func(name string) bool {
		if isRun == nil {
			isRun = runEntries(w.stage.Target())
		}
		return !isRun(name)
	}, ManifestFile); err != nil {
		return err
	}
	w.done = true
	w.release()
	return nil
}

// writeReport writes report.html of results with write: the page shows
// results as results.json reads them back, the chart columns and trade
// table the rows' goroutine kept, and the exposure by position from the
// staged fills.csv (see exposureOf).
func (w *Writer) writeReport(results *Results, write func(string, func(io.Writer) error) error) error {
	d := &reportData{results: *results, chart: w.rows.chart, trades: w.rows.table, prep: w.waitPrep()}
	if err := w.rows.chart.err(); err != nil {
		return fmt.Errorf("analysis: %w", err)
	}
	if err := roundTrip(results, &d.results); err != nil {
		return err
	}
	P := float64(d.results.Analysis.PeriodsPerYear)
	ex := w.waitExposure()
	if ex == nil || math.Float64bits(ex.P) != math.Float64bits(P) || !sameJSON(ex.cfg, d.results.Config) {
		// Not computed beside the analysis, or for another config.
		ex = w.exposure(d.results.Config, P)
	}
	if ex.err != nil {
		return ex.err
	}
	d.ex = ex.ex
	return write(ReportFile, func(o io.Writer) error { return writeHTML(o, d) })
}

// exposureRun is the exposure of a run's report, computed for the config
// cfg and P periods per year, or the error opening fills.csv.
type exposureRun struct {
	cfg backtest.Config
	P   float64
	ex  *exposure
	err error
}

// exposure computes the exposure of the run for cfg and P (see
// exposureOf) from the staged fills.csv, which must be complete.
func (w *Writer) exposure(cfg backtest.Config, P float64) *exposureRun {
	r := &exposureRun{cfg: cfg, P: P}
	fills, err := os.Open(filepath.Join(w.stage.Dir(), FillsFile))
	if err != nil {
		r.err = err
		return r
	}
	defer fills.Close()
	log := w.bars
	if log != nil && log.len() == 0 {
		log = nil // the records were replayed without their bars (WriteDir)
	}
	if len(cfg.Data.Files) == 1 && len(cfg.Data.Symbols) == 0 && w.symbol != "" {
		// The one data file's symbol, which its bars name: the file
		// need not be opened for it.
		cfg.Data.Symbols = []string{w.symbol}
	}
	r.ex = exposureOf(cfg, w.rows.chart, bufio.NewReaderSize(fills, 1<<16), &w.rows.traded, P, log)
	return r
}

// waitExposure waits for the exposure computed beside the analysis and
// returns it, or nil when none was started; later calls return nil.
func (w *Writer) waitExposure() *exposureRun { return takeOnce(&w.exp) }

// sameJSON reports whether a and b have the same JSON text.
func sameJSON(a, b backtest.Config) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// startPrep starts preparing the charts (see prepareCharts) for the
// initial cash initial and periods on a goroutine of its own; waitPrep
// takes the result.
func (w *Writer) startPrep(initial float64, periods *[2]float64) {
	prep := make(chan *chartPrep, 1)
	chart := w.rows.chart
	go func() { prep <- prepareCharts(chart, initial, periods) }()
	w.prep = prep
}

// waitPrep waits for the charts prepared beside the analysis and returns
// them, or nil when none were started; later calls return nil.
func (w *Writer) waitPrep() *chartPrep { return takeOnce(&w.prep) }

// takeOnce receives the one value of the channel *ch and forgets the
// channel; it returns nil when *ch is nil, as it is after the first call.
func takeOnce[T any](ch *chan *T) *T {
	if *ch == nil {
		return nil
	}
	v := <-*ch
	*ch = nil
	return v
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
	s, live := w.series(res)
	results.Analysis = analyze(s, live)
	results.TradeStats = w.rows.tradeStats.summary()
	// The chart's columns are checked where the charts are drawn from
	// them (writeReport); at the metrics level they are empty.
	errs := []error{res.Curve.Err(), w.rows.tradeStats.err()}
	if bw := w.rows.benchWealth; bw != nil {
		errs = append(errs, bw.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("analysis: %w", err)
	}
	return nil
}

// series returns the series of res to analyze, and what the rows'
// goroutine analyzed of it as the run went (nil if nothing).
func (w *Writer) series(res *backtest.Result) (Series, *liveAnalysis) {
	start := res.InitialCash.InexactFloat64()
	s := Series{Times: res.Curve.Times(), Returns: res.Curve.Returns(start),
		PeriodsPerYear: res.Metrics.PeriodsPerYear, RiskFree: res.Config.Analysis.RiskFree, Trials: res.Config.Analysis.Trials}
	if bw := w.rows.benchWealth; bw != nil {
		s.Benchmark, s.BenchmarkName = wealthReturns(bw), res.Config.BenchmarkName()
	}
	// The rows' goroutine analyzed the returns of the points it was
	// given, measured from the config's initial cash: the curve's, unless
	// the run went otherwise.
	live := w.rows.live
	if live != nil && math.Float64bits(live.start) != math.Float64bits(start) {
		live = nil
	}
	return s, live
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

// Abort removes the files written so far and leaves the directory as it
// was. It does nothing after Finish, so that it can be deferred.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	for _, f := range w.files {
		f.f.Close()
	}
	w.files = nil
	w.release()
	w.stage.Remove()
}

// Discard removes the folder the run is being written to, leaving the
// directory as it was, or, if Finish is swapping it in, waits until the
// directory holds the new run. Unlike Abort it may be called from any
// goroutine while the run goes: it is for a process about to exit, such
// as on a second interrupt. The Writer's later writes fail.
func (w *Writer) Discard() { w.stage.Remove() }

// release waits for the charts' passes, ends the rows' goroutine and
// closes the benchmark, the temporary series and the bar log.
func (w *Writer) release() {
	w.waitPrep() // it reads the chart's columns
	if w.rows != nil {
		w.rows.wait()
		w.rows.release()
	}
	if w.bars != nil {
		w.bars.close()
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
	err = replay(w, res)
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
	for _, name := range OutputsOf(res.Config) {
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
		w := newWealthReturn()
		return w.next
	})
}

// wealthReturn is wealthReturns one value at a time.
type wealthReturn struct{ prev float64 }

func newWealthReturn() wealthReturn { return wealthReturn{prev: 1} }

// next returns the return of the wealth x, the next of the path.
func (w *wealthReturn) next(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	r := x/w.prev - 1
	w.prev = x
	return r
}
