package report

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
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
	line        csvLine // the row of fills.csv, orders.csv or trades.csv being written
}

func newRowWriter(cfg backtest.Config, cash float64, equity *outFile, fills, trades, orders *csvFile) *rowWriter {
	return &rowWriter{cfg: cfg, cash: cash, prev: cash, drawdown: metrics.NewDrawdownTracker(),
		equity: equity, fills: fills, trades: trades, orders: orders, chart: newChartData(seriesMemory)}
}

// writeFill writes f's row of fills.csv; label names its order.
func (e *rowWriter) writeFill(f *engine.FillEvent, label string) error {
	l := e.line.start()
	l.name(f.OrderID, label)
	l.time(f.Time)
	l.text(f.Symbol)
	l.text(f.Side.String())
	l.dec(f.Quantity)
	l.dec(f.Price)
	l.dec(f.Commission)
	l.dec(f.Slippage)
	l.dec(f.Remaining)
	if !l.plain {
		return e.fills.cw.Write([]string{orderName(f.OrderID, label), FormatTime(f.Time), f.Symbol, f.Side.String(),
			f.Quantity.String(), f.Price.String(), f.Commission.String(), f.Slippage.String(), f.Remaining.String()})
	}
	return e.fills.writeLine(l.end())
}

// writeTrade writes t's row of trades.csv and adds t to the trade
// statistics and the report's table.
func (e *rowWriter) writeTrade(t *portfolio.Trade) error {
	e.tradeStats.add(t)
	if e.table.n < maxTradeRows {
		// The report shows the first rows as text.
		row := tradeCSVRow(t)
		if err := e.table.add(row); err != nil {
			return fmt.Errorf("trade return %q: %w", row[14], err)
		}
		return e.trades.cw.Write(row)
	}
	ret := TradeReturn(t)
	l := e.line.start()
	l.text(t.Symbol)
	l.text(t.Side())
	l.dec(t.Quantity)
	l.time(t.EntryTime)
	l.dec(t.EntryPrice)
	l.time(t.ExitTime)
	if !t.Open {
		l.dec(t.ExitPrice)
	} else {
		l.text("")
	}
	l.dec(t.Commission)
	l.dec(t.PnLGross)
	l.dec(t.PnLNet)
	l.int(int64(t.Bars))
	l.text(t.Status())
	l.float(t.MAE)
	l.float(t.MFE)
	l.float(ret)
	// The table keeps the return the text reads back as: the shortest
	// text of a float64 reads back to it.
	e.table.count(!t.Open, ret)
	if !l.plain {
		return e.trades.cw.Write(tradeCSVRow(t))
	}
	return e.trades.writeLine(l.end())
}

// count adds a row beyond the report's first rows, of a closed trade
// (closed) or an open one, with the return ret: what add keeps of it.
func (t *tradeTable) count(closed bool, ret float64) {
	t.n++
	if closed && !math.IsNaN(ret) && !math.IsInf(ret, 0) {
		t.returns = append(t.returns, ret)
	}
}

// writeOrder writes o's row of orders.csv (see orderCSVRow).
func (e *rowWriter) writeOrder(o *backtest.OrderRecord) error {
	l := e.line.start()
	l.name(o.ID, o.Label)
	l.int(int64(o.ID))
	l.time(o.Time)
	l.text(o.Symbol)
	l.text(o.Side.String())
	l.text(o.Type.String())
	l.dec(o.Quantity)
	l.dec(o.FilledQuantity)
	l.price(o.Limit)
	l.price(o.Stop)
	if o.TrailPercent.IsPositive() {
		l.b = fixed.Append(l.b, o.TrailPercent)
		l.b = append(l.b, '%', ',')
	} else {
		l.price(o.TrailAmount)
	}
	l.text(o.TIF.String())
	l.time(o.ExpireAt)
	l.name(o.Parent, o.ParentLabel)
	l.text(o.OCO)
	if o.ReduceOnly {
		l.text("true")
	} else {
		l.text("")
	}
	l.text(o.Source)
	l.text(o.Status)
	l.text(o.Reason)
	if o.Triggered {
		l.time(o.TriggerTime)
	} else {
		l.text("")
	}
	l.time(o.FillTime)
	if o.FilledQuantity.IsPositive() {
		l.dec(o.FillPrice)
	} else {
		l.text("")
	}
	if !l.plain {
		return e.orders.cw.Write(orderCSVRow(o))
	}
	return e.orders.writeLine(l.end())
}

// csvLine builds a row of a CSV file in a reused buffer, the bytes
// encoding/csv's Writer writes for it, when no text field needs quotes;
// plain is false when one does, and the row must go through the
// csv.Writer instead. Numbers and times never need them.
type csvLine struct {
	b     []byte
	plain bool
}

// start empties the line for a new row.
func (l *csvLine) start() *csvLine {
	l.b, l.plain = l.b[:0], true
	return l
}

// end returns the row, its last comma turned into the newline.
func (l *csvLine) end() []byte {
	l.b[len(l.b)-1] = '\n'
	return l.b
}

// text adds a text field.
func (l *csvLine) text(s string) {
	if needsQuotes(s) {
		l.plain = false
	}
	l.b = append(l.b, s...)
	l.b = append(l.b, ',')
}

// name adds an order's name (see orderName).
func (l *csvLine) name(id uint64, label string) {
	switch {
	case id == 0:
		l.text("")
	case label != "":
		l.text(label)
	default:
		l.int(int64(id))
	}
}

// dec adds a decimal as its String text.
func (l *csvLine) dec(d decimal.Decimal) {
	l.b = fixed.Append(l.b, d)
	l.b = append(l.b, ',')
}

// price adds a price column (see priceText).
func (l *csvLine) price(p engine.Price) {
	if p != 0 {
		l.b = p.Append(l.b)
	}
	l.b = append(l.b, ',')
}

// int adds an integer.
func (l *csvLine) int(n int64) {
	l.b = strconv.AppendInt(l.b, n, 10)
	l.b = append(l.b, ',')
}

// float adds a float64 as formatFloat writes it.
func (l *csvLine) float(x float64) {
	l.b = strconv.AppendFloat(l.b, x, 'g', -1, 64)
	l.b = append(l.b, ',')
}

// time adds a time as FormatTime writes it.
func (l *csvLine) time(t time.Time) {
	l.b = appendTime(l.b, t)
	l.b = append(l.b, ',')
}

// needsQuotes reports whether encoding/csv's Writer, with the comma as
// its separator, quotes the field s.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// writeLine writes a row made by csvLine after the rows the csv.Writer
// holds.
func (c *csvFile) writeLine(b []byte) error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	_, err := c.Write(b)
	return err
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
