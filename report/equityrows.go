package report

import (
	"math"
	"strconv"
	"sync/atomic"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/internal/spill"
)

// equityHeader is equity.csv's first line.
const equityHeader = "time,cash,equity,drawdown,benchmark\n"

// Batches of equity points handed to an equityRows' goroutine.
const (
	rowBatches   = 4
	rowBatchSize = 1024
)

// equityRows writes equity.csv, and keeps the columns the analysis and
// the charts read from it, in a goroutine of its own, so that formatting
// the rows overlaps the run. The run hands it copies of its equity
// points in batches; one goroutine takes them in order, so the file is
// the same as if written in step.
type equityRows struct {
	file *outFile
	cfg  backtest.Config
	cash float64 // the initial cash, as the metrics see it

	batch   []backtest.EquityPoint // filling, on the run's goroutine
	full    chan []backtest.EquityPoint
	free    chan []backtest.EquityPoint
	done    chan struct{}
	waited  bool
	failed  atomic.Bool
	err     error // the goroutine's first error; read after failed or done
	written bool  // a row was written

	// The rest belongs to the goroutine until done.

	// The drawdown of the observed equity, as metrics.DrawdownSeries.
	prev, wealth, peak float64
	// The benchmark: its bars come with the equity points when it is a
	// data file, else from its file through bench. benchWealth is nil
	// without a benchmark.
	bench       *benchCursor
	inRun       buyHold
	benchWealth *spill.Series[float64]
	chart       *chartData
	buf         []byte
}

func newEquityRows(file *outFile, cfg backtest.Config, cash float64) *equityRows {
	e := &equityRows{file: file, cfg: cfg, cash: cash, prev: cash, wealth: 1, peak: 1,
		chart: newChartData(seriesMemory),
		full:  make(chan []backtest.EquityPoint, rowBatches),
		free:  make(chan []backtest.EquityPoint, rowBatches+1),
		done:  make(chan struct{}),
		batch: make([]backtest.EquityPoint, 0, rowBatchSize)}
	for range rowBatches {
		e.free <- make([]backtest.EquityPoint, 0, rowBatchSize)
	}
	go e.run()
	return e
}

// add queues a copy of p. It returns the goroutine's error, if it has
// failed.
func (e *equityRows) add(p *backtest.EquityPoint) error {
	if e.failed.Load() {
		return e.err
	}
	e.batch = append(e.batch, *p)
	if len(e.batch) == rowBatchSize {
		e.full <- e.batch
		e.batch = <-e.free
	}
	return nil
}

// wait hands over the last batch, waits for the goroutine to write
// everything and returns its error. Later calls return the same.
func (e *equityRows) wait() error {
	if !e.waited {
		e.waited = true
		if len(e.batch) > 0 {
			e.full <- e.batch
		}
		close(e.full)
		<-e.done
	}
	return e.err
}

// run writes the batches until the channel closes; after an error it
// drops them.
func (e *equityRows) run() {
	defer close(e.done)
	for b := range e.full {
		for i := range b {
			if e.err != nil {
				break
			}
			if err := e.write(&b[i]); err != nil {
				e.err = err
				e.failed.Store(true)
			}
		}
		select {
		case e.free <- b[:0]:
		default: // the last, partial batch: nobody needs it back
		}
	}
}

// write writes p's row of equity.csv: the time, the exact cash and
// equity, the drawdown of the observed equity (metrics.DrawdownSeries of
// the returns from the initial cash) and the benchmark's buy-and-hold
// value, initial cash × its wealth, empty before the benchmark starts.
// The floats are written as the shortest text that reads back to them.
// The benchmark file, if any, is opened at the first row: a data file's
// problems are the run's to report first.
func (e *equityRows) write(p *backtest.EquityPoint) error {
	if !e.written {
		e.written = true
		if !p.Benchmark.Tracked {
			bench, err := openBenchmark(e.cfg)
			if err != nil {
				return err
			}
			e.bench = bench
		}
		if p.Benchmark.Tracked || e.bench != nil {
			e.benchWealth = spill.New[float64](seriesMemory, "")
		}
	}
	r := p.Value/e.prev - 1
	e.prev = p.Value
	if !math.IsNaN(r) {
		e.wealth *= 1 + r
	}
	if e.wealth > e.peak {
		e.peak = e.wealth
	}
	dd := e.wealth/e.peak - 1
	bench := math.NaN()
	if e.benchWealth != nil {
		var wealth float64
		if e.bench != nil {
			var err error
			if wealth, err = e.bench.wealthAt(p.Time); err != nil {
				return err
			}
		} else {
			e.inRun.at(p.Time)
			if b := p.Benchmark; b.Close != 0 {
				e.inRun.apply(p.Time, b.Open.Float64(), b.Close.Float64())
			}
			wealth = e.inRun.wealth()
		}
		e.benchWealth.Append(wealth)
		bench = e.cash * wealth
	}
	b := appendTime(e.buf[:0], p.Time)
	b = append(b, ',')
	b = p.AppendCash(b)
	b = append(b, ',')
	b = p.AppendEquity(b)
	b = append(b, ',')
	b = strconv.AppendFloat(b, dd, 'g', -1, 64)
	b = append(b, ',')
	if !math.IsNaN(bench) {
		b = strconv.AppendFloat(b, bench, 'g', -1, 64)
	}
	b = append(b, '\n')
	e.buf = b
	// The charts see what equity.csv says, as RenderDir reads it back.
	e.chart.add(p.Time.UnixNano(), p.EquityFloat(), dd, bench)
	_, err := e.file.Write(b)
	return err
}

// release closes the benchmark and the temporary series; call it after
// wait.
func (e *equityRows) release() {
	if e.bench != nil {
		e.bench.close()
	}
	if e.benchWealth != nil {
		e.benchWealth.Close()
	}
	e.chart.close()
}
