package report

import (
	"fmt"
	"math"
	"strconv"
	"sync/atomic"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/portfolio"
)

// equityHeader is equity.csv's first line.
const equityHeader = "time,cash,equity,drawdown,benchmark\n"

// Batches of records handed to a rowWriter's goroutine.
const (
	rowBatches   = 4
	rowBatchSize = 1024 // records of every kind
)

// rowWriter writes the rows of equity.csv, fills.csv, trades.csv and
// orders.csv in a goroutine of its own, so that formatting them overlaps
// the run, and keeps what the analysis and the report read of them: the
// equity and benchmark columns, the trade statistics and the report's
// trade table. The run hands it copies of its records in batches, and
// one goroutine takes them in order: each file is the same as if written
// in step.
type rowWriter struct {
	cfg  backtest.Config
	cash float64 // the initial cash, as the metrics see it

	batch  *rowBatch // filling, on the run's goroutine
	full   chan *rowBatch
	free   chan *rowBatch
	done   chan struct{}
	waited bool
	failed atomic.Bool
	err    error // the goroutine's first error; read after failed or done

	// The rest belongs to the goroutine until done.
	equity                *outFile
	fills, trades, orders *csvFile
	written               bool // an equity row was written
	tradeStats            tradeStats
	table                 tradeTable

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

// rowBatch holds copies of records of each kind, in the order each kind
// came; the files are independent, so only that order matters.
type rowBatch struct {
	equity []backtest.EquityPoint
	fills  []labeledFill
	trades []portfolio.Trade
	orders []backtest.OrderRecord
}

// labeledFill is a fill and the label of its order.
type labeledFill struct {
	engine.FillEvent
	label string
}

func (b *rowBatch) len() int { return len(b.equity) + len(b.fills) + len(b.trades) + len(b.orders) }

func (b *rowBatch) reset() {
	b.equity, b.fills, b.trades, b.orders = b.equity[:0], b.fills[:0], b.trades[:0], b.orders[:0]
}

func newRowWriter(cfg backtest.Config, cash float64, equity *outFile, fills, trades, orders *csvFile) *rowWriter {
	e := &rowWriter{cfg: cfg, cash: cash, prev: cash, wealth: 1, peak: 1,
		equity: equity, fills: fills, trades: trades, orders: orders,
		chart: newChartData(seriesMemory),
		full:  make(chan *rowBatch, rowBatches),
		free:  make(chan *rowBatch, rowBatches+1),
		done:  make(chan struct{}),
		batch: &rowBatch{}}
	for range rowBatches {
		e.free <- &rowBatch{}
	}
	go e.run()
	return e
}

// queued returns the batch to add a record to, or the goroutine's error
// if it has failed.
func (e *rowWriter) queued() (*rowBatch, error) {
	if e.failed.Load() {
		return nil, e.err
	}
	if e.batch.len() >= rowBatchSize {
		e.full <- e.batch
		e.batch = <-e.free
	}
	return e.batch, nil
}

// addEquity queues a copy of p.
func (e *rowWriter) addEquity(p *backtest.EquityPoint) error {
	b, err := e.queued()
	if err == nil {
		b.equity = append(b.equity, *p)
	}
	return err
}

// addFill queues a copy of f with its order's label.
func (e *rowWriter) addFill(f *engine.FillEvent, label string) error {
	b, err := e.queued()
	if err == nil {
		b.fills = append(b.fills, labeledFill{*f, label})
	}
	return err
}

// addTrade queues a copy of t.
func (e *rowWriter) addTrade(t *portfolio.Trade) error {
	b, err := e.queued()
	if err == nil {
		b.trades = append(b.trades, *t)
	}
	return err
}

// addOrder queues a copy of o.
func (e *rowWriter) addOrder(o *backtest.OrderRecord) error {
	b, err := e.queued()
	if err == nil {
		b.orders = append(b.orders, *o)
	}
	return err
}

// wait hands over the last batch, waits for the goroutine to write
// everything and returns its error. Later calls return the same.
func (e *rowWriter) wait() error {
	if !e.waited {
		e.waited = true
		if e.batch.len() > 0 {
			e.full <- e.batch
		}
		close(e.full)
		<-e.done
	}
	return e.err
}

// run writes the batches until the channel closes; after an error it
// drops them.
func (e *rowWriter) run() {
	defer close(e.done)
	for b := range e.full {
		if e.err == nil {
			e.err = e.writeBatch(b)
			if e.err != nil {
				e.failed.Store(true)
			}
		}
		b.reset()
		e.free <- b // never blocks: there is room for every batch
	}
}

// writeBatch writes the rows of b's records.
func (e *rowWriter) writeBatch(b *rowBatch) error {
	for i := range b.equity {
		if err := e.writeEquity(&b.equity[i]); err != nil {
			return err
		}
	}
	for i := range b.fills {
		f := &b.fills[i]
		if err := e.fills.cw.Write([]string{orderName(f.OrderID, f.label), FormatTime(f.Time), f.Symbol, f.Side.String(),
			f.Quantity.String(), f.Price.String(), f.Commission.String(), f.Slippage.String(), f.Remaining.String()}); err != nil {
			return err
		}
	}
	for i := range b.trades {
		t := &b.trades[i]
		row := tradeCSVRow(t)
		e.tradeStats.add(t)
		if err := e.table.add(row); err != nil {
			return fmt.Errorf("trade return %q: %w", row[14], err)
		}
		if err := e.trades.cw.Write(row); err != nil {
			return err
		}
	}
	for i := range b.orders {
		if err := e.orders.cw.Write(orderCSVRow(&b.orders[i])); err != nil {
			return err
		}
	}
	return nil
}

// writeEquity writes p's row of equity.csv: the time, the exact cash and
// equity, the drawdown of the observed equity (metrics.DrawdownSeries of
// the returns from the initial cash) and the benchmark's buy-and-hold
// value, initial cash × its wealth, empty before the benchmark starts.
// The floats are written as the shortest text that reads back to them.
// The benchmark file, if any, is opened at the first row: a data file's
// problems are the run's to report first.
func (e *rowWriter) writeEquity(p *backtest.EquityPoint) error {
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
	_, err := e.equity.Write(b)
	return err
}

// release closes the benchmark and the temporary series; call it after
// wait.
func (e *rowWriter) release() {
	if e.bench != nil {
		e.bench.close()
	}
	if e.benchWealth != nil {
		e.benchWealth.Close()
	}
	e.chart.close()
}
