package report

import (
	"fmt"
	"math"
	"strconv"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/report/metrics"
)

// equityHeader is equity.csv's first line.
const equityHeader = "time,cash,equity,drawdown,benchmark\n"

// rowWriter writes the rows of equity.csv, fills.csv, trades.csv and
// orders.csv as the run hands it records, and keeps what the analysis
// and the report read of them: the equity and benchmark columns, the
// trade statistics and the report's trade table.
type rowWriter struct {
	cfg  backtest.Config
	cash float64 // the initial cash, as the metrics see it

	equity                *outFile
	fills, trades, orders *csvFile
	written               bool // an equity row was written
	tradeStats            tradeStats
	table                 tradeTable

	// The previous observed equity and its drawdown.
	prev     float64
	drawdown metrics.DrawdownTracker
	// The benchmark: its bars come with the equity points when it is a
	// data file, else from its file through bench. benchWealth is nil
	// without a benchmark.
	bench       *benchCursor
	inRun       buyHold
	benchWealth *spill.Series[float64]
	chart       *chartData
	buf         []byte
}

func newRowWriter(cfg backtest.Config, cash float64, equity *outFile, fills, trades, orders *csvFile) *rowWriter {
	return &rowWriter{cfg: cfg, cash: cash, prev: cash, drawdown: metrics.NewDrawdownTracker(),
		equity: equity, fills: fills, trades: trades, orders: orders, chart: newChartData(seriesMemory)}
}

// writeFill writes f's row of fills.csv; label names its order.
func (e *rowWriter) writeFill(f *engine.FillEvent, label string) error {
	return e.fills.cw.Write([]string{orderName(f.OrderID, label), FormatTime(f.Time), f.Symbol, f.Side.String(),
		f.Quantity.String(), f.Price.String(), f.Commission.String(), f.Slippage.String(), f.Remaining.String()})
}

// writeTrade writes t's row of trades.csv and adds t to the trade
// statistics and the report's table.
func (e *rowWriter) writeTrade(t *portfolio.Trade) error {
	row := tradeCSVRow(t)
	e.tradeStats.add(t)
	if err := e.table.add(row); err != nil {
		return fmt.Errorf("trade return %q: %w", row[14], err)
	}
	return e.trades.cw.Write(row)
}

// writeOrder writes o's row of orders.csv.
func (e *rowWriter) writeOrder(o *backtest.OrderRecord) error {
	return e.orders.cw.Write(orderCSVRow(o))
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
	dd := e.drawdown.Next(p.Value/e.prev - 1)
	e.prev = p.Value
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

// release closes the benchmark and the temporary series.
func (e *rowWriter) release() {
	if e.bench != nil {
		e.bench.close()
	}
	if e.benchWealth != nil {
		e.benchWealth.Close()
	}
	e.chart.close()
}
