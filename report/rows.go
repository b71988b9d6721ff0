package report

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/equity"
	"github.com/quantloop/quantloop/internal/fixed"
	"github.com/quantloop/quantloop/internal/ftoa"
	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/portfolio"
)

// equityHeader is equity.csv's first line.
const equityHeader = "time,cash,equity,drawdown,benchmark\n"

// Batches of records handed to a rowWriter's goroutine: how many can be
// queued, and how many records of every kind fill one.
const (
	rowBatches   = 4
	rowBatchSize = 256
)

// rowWriter writes the rows of equity.csv, fills.csv, trades.csv and
// orders.csv on a goroutine of its own, so that formatting, hashing and
// writing them overlaps the run, and keeps what the analysis and the
// report read of them: the equity and benchmark columns, the trade
// statistics and the report's trade table. It also analyzes the equity
// points as they come (liveAnalysis, and the chart columns' chartLive),
// so that the analysis after the run has only the passes left that need
// the whole series. The run hands it copies of
// its records in batches through a bounded channel, and the goroutine
// takes them in order: each file is byte for byte what writing in step
// makes. Its first error (a full disk, a bad benchmark file) is returned
// by a later add and by wait.
type rowWriter struct {
	batch  *rowBatch // being filled, on the run's goroutine
	full   chan *rowBatch
	free   chan *rowBatch
	done   chan struct{}
	waited bool
	failed atomic.Bool
	err    error // the goroutine's first error; read after failed or done

	// The rest belongs to the goroutine until done.
	cfg  backtest.Config
	cash float64 // the initial cash, as the metrics see it

	equity                *outFile
	fills, trades, orders *csvFile
	started               bool // the first equity point came (see start)
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
	analyzeLive bool          // whether to analyze the points as they come
	live        *liveAnalysis // nil before the first point, or without analyzeLive
	feed        *liveFeed     // what hands live the points
	chart       *chartData
	buf         []byte
	// daily thins equity.csv to the last point of each calendar day
	// (backtest.OutputsLean): the latest point waits, pending, until a
	// point of another day, or the end, comes; only then is its row
	// formatted. lastP is the waiting point: in the batch being written,
	// or, once the batch is done with, its copy in last.
	daily      bool
	pending    bool
	pendingDay int // yyyymmdd of the waiting point
	last       lastPoint
	lastP      *backtest.EquityPoint
	// keepRow, when set, says which points (counting from 0) have a
	// row in equity.csv; the others are not formatted, and the charts
	// do not see them (see SummarizeThin). points counts the points.
	keepRow   func(i int) bool
	points    int
	traded    tradedSums // of the fills written, for the exposure
	timeText  timeText   // the time's text, and the day of daily
	cashText  cashText   // the cash's
	ddText    floatText  // the drawdown's text
	benchText floatText  // the benchmark's
	line      csvLine    // the row of fills.csv, orders.csv or trades.csv being written

	// noPage leaves out what only report.html uses, the table of
	// trades and the chart columns: a summary draws no page (see
	// summarize).
	noPage bool
	// sizeHint, when not 0, is the number of equity points, known
	// before they come (a summary): the benchmark's wealth column is
	// made that long at once.
	sizeHint int
}

// lastPoint is the copy of an equity point waiting for the end of its
// day, and the drawdown and benchmark value of the point waiting.
type lastPoint struct {
	p         backtest.EquityPoint
	dd, bench float64
}

// rowBatch holds copies of records of each kind, in the order each kind
// came; the files are independent, so only that order matters.
type rowBatch struct {
	equity []backtest.EquityPoint
	fills  []labeledFill
	trades []queuedTrade
	orders []queuedOrder
}

// labeledFill is a fill, the label of its order, and its decimals.
type labeledFill struct {
	engine.FillEvent
	label string
	x     decs
}

// queuedTrade is a trade and its decimals.
type queuedTrade struct {
	portfolio.Trade
	x decs
}

// queuedOrder is an order's record and its decimals.
type queuedOrder struct {
	backtest.OrderRecord
	x decs
}

func (b *rowBatch) len() int { return len(b.equity) + len(b.fills) + len(b.trades) + len(b.orders) }

func (b *rowBatch) reset() {
	b.equity, b.fills, b.trades, b.orders = b.equity[:0], b.fills[:0], b.trades[:0], b.orders[:0]
}

// newRowWriter starts a rowWriter's goroutine; call wait to end it.
// live says whether the records come while a run goes: then the equity
// points are analyzed as they come (see liveAnalysis), and, when report
// is true too, the chart columns take what report.html's charts need of
// the returns (see chartData.measureFrom). A summary of a run that ended
// (Summarize) gains nothing from either: its columns are in memory.
func newRowWriter(cfg backtest.Config, cash float64, equity *outFile, fills, trades, orders *csvFile, live, report bool) *rowWriter {
	e := &rowWriter{cfg: cfg, cash: cash, prev: cash, drawdown: metrics.NewDrawdownTracker(), tradeStats: tradeStats{limit: seriesMemory},
		equity: equity, fills: fills, trades: trades, orders: orders, chart: newChartData(seriesMemory),
		full:  make(chan *rowBatch, rowBatches),
		free:  make(chan *rowBatch, rowBatches+1),
		done:  make(chan struct{}),
		batch: &rowBatch{}}
	for range rowBatches {
		e.free <- &rowBatch{}
	}
	e.analyzeLive = live
	if live && report {
		e.chart.measureFrom(cash)
	}
	go e.run()
	return e
}

// queued returns the batch to add a record to, or the goroutine's error
// once it has failed.
func (e *rowWriter) queued() (*rowBatch, error) {
	if e.failed.Load() {
		return nil, e.err
	}
	if e.waited {
		return nil, errors.New("report: a record after the rows were finished")
	}
	if e.batch.len() >= rowBatchSize {
		e.full <- e.batch
		e.batch = <-e.free
	}
	return e.batch, nil
}

// addAll queues the records of b as the add methods queue each of them,
// in order by kind, but without copying them: the goroutine reads them
// where they are, so they must not change until wait returns (a
// summary's replay of a run that ended).
func (e *rowWriter) addAll(b *rowBatch) error {
	if e.failed.Load() {
		return e.err
	}
	if e.waited {
		return errors.New("report: records after the rows were finished")
	}
	if len(b.equity) > 0 && !e.started {
		e.started = true
		if err := e.start(&b.equity[0]); err != nil {
			return err
		}
	}
	if e.batch.len() > 0 {
		e.full <- e.batch
		e.batch = <-e.free
	}
	// Once written, b joins the free batches: the channel has room for
	// every batch there is but the one being filled.
	e.full <- b
	return nil
}

// addEquity queues a copy of p's row of equity.csv (see writeEquity).
// At the first point it opens the benchmark file, if any, on the run's
// goroutine: a data file's problems are the run's to report first, and
// the file is read as it is when the run starts writing.
func (e *rowWriter) addEquity(p *backtest.EquityPoint) error {
	b, err := e.queued()
	if err == nil && !e.started {
		e.started = true
		err = e.start(p)
	}
	if err == nil {
		b.equity = append(b.equity, *p)
	}
	return err
}

// start opens the benchmark file when the run does not track the
// benchmark itself (p is its first point), and starts the benchmark's
// wealth column when there is a benchmark.
func (e *rowWriter) start(p *backtest.EquityPoint) error {
	if !p.Benchmark.Tracked {
		bench, err := openBenchmark(e.cfg)
		if err != nil {
			return err
		}
		e.bench = bench
	}
	if p.Benchmark.Tracked || e.bench != nil {
		e.benchWealth = spill.New[float64](seriesMemory, "")
		e.benchWealth.Grow(e.sizeHint)
		if e.equity != nil && e.keepRow == nil {
			// The charts see every point, and its benchmark value is
			// cash × wealth (see writeEquity).
			e.chart.deriveBenchmark(e.benchWealth, e.cash)
		}
	}
	if e.analyzeLive {
		// The per-period risk-free rate is known at the first point
		// unless the periods per year are inferred from the bars after
		// the run and the annual rate is not 0.
		rf, known := 0.0, true
		if a := e.cfg.Analysis; a.RiskFree != 0 {
			rf, known = metrics.PeriodRate(a.RiskFree, a.PeriodsPerYear), a.PeriodsPerYear != 0
		}
		e.live = newLiveAnalysis(e.cash, rf, known, e.benchWealth != nil)
		e.feed = newLiveFeed(e.live)
	}
	return nil
}

// addFill queues a copy of f's row of fills.csv; label names its order.
func (e *rowWriter) addFill(f *engine.FillEvent, label string) error {
	b, err := e.queued()
	if err == nil {
		b.fills = append(b.fills, labeledFill{*f, label, fillDecs(f)})
	}
	return err
}

// addTrade queues a copy of t's row of trades.csv (see writeTrade).
func (e *rowWriter) addTrade(t *portfolio.Trade) error {
	b, err := e.queued()
	if err == nil {
		b.trades = append(b.trades, queuedTrade{*t, tradeDecs(t)})
	}
	return err
}

// addOrder queues a copy of o's row of orders.csv.
func (e *rowWriter) addOrder(o *backtest.OrderRecord) error {
	b, err := e.queued()
	if err == nil {
		b.orders = append(b.orders, queuedOrder{*o, orderDecs(o)})
	}
	return err
}

// wait hands over the last batch, waits until the goroutine has written
// everything and returned, and returns its first error. Later calls
// return the same.
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
	if e.err == nil {
		e.err = e.flushDay()
	}
	if e.feed != nil {
		e.feed.close()
	}
}

// writeBatch writes the rows of b's records.
func (e *rowWriter) writeBatch(b *rowBatch) error {
	for i := range b.equity {
		if err := e.writeEquity(&b.equity[i]); err != nil {
			return err
		}
	}
	if e.pending && e.lastP != &e.last.p {
		// The batch goes back to be filled again.
		e.last.p = *e.lastP
		e.lastP = &e.last.p
	}
	for i := range b.fills {
		if err := e.writeFill(&b.fills[i].FillEvent, b.fills[i].label, &b.fills[i].x); err != nil {
			return err
		}
	}
	for i := range b.trades {
		if err := e.writeTrade(&b.trades[i].Trade, &b.trades[i].x); err != nil {
			return err
		}
	}
	for i := range b.orders {
		if err := e.writeOrder(&b.orders[i].OrderRecord, &b.orders[i].x); err != nil {
			return err
		}
	}
	return nil
}

// writeFill writes f's row of fills.csv; label names its order, x holds
// its decimals (nil: read them from f).
func (e *rowWriter) writeFill(f *engine.FillEvent, label string, x *decs) error {
	e.traded.add(spreadsheetText(f.Symbol), f, x)
	if e.fills == nil {
		return nil
	}
	l := e.line.start(x)
	fillRow(l, f, label)
	if !l.plain {
		var r record
		fillRow(&r, f, label)
		return e.fills.cw.Write(r)
	}
	return e.fills.writeLine(l.end())
}

// writeTrade writes t's row of trades.csv and adds t to the trade
// statistics and the report's table; x holds its decimals (nil: read
// them from t).
func (e *rowWriter) writeTrade(t *portfolio.Trade, x *decs) error {
	// The shortest text of a float64 reads back to it, and fixed.Float64
	// rounds the exact P&L as reading its text does: pnl is the value the
	// text of trades.csv reads back as.
	pnl := x.float(tradeNet, t.PnLNet)
	ret := pnl / entryValueOf(t, x)
	e.tradeStats.addValues(t, pnl, ret)
	if e.trades == nil {
		return nil
	}
	if !e.noPage && e.table.n < maxTradeRows {
		// The report shows the first rows as text.
		var row record
		tradeRow(&row, t, ret)
		if err := e.table.add(row); err != nil {
			return fmt.Errorf("trade: %w", err)
		}
		return e.trades.cw.Write(row)
	}
	l := e.line.start(x)
	tradeRow(l, t, ret)
	if !e.noPage {
		e.table.count(spreadsheetText(t.Symbol), !t.Open, pnl, ret)
	}
	if !l.plain {
		var r record
		tradeRow(&r, t, ret)
		return e.trades.cw.Write(r)
	}
	return e.trades.writeLine(l.end())
}

// count adds a row beyond the report's first rows, of a trade of the
// symbol sym (as trades.csv has it), closed (closed) or open, with the
// net P&L pnl and the return ret: what add keeps of it.
func (t *tradeTable) count(sym string, closed bool, pnl, ret float64) {
	t.symbols.add(sym, closed, pnl)
	t.n++
	if closed && !math.IsNaN(ret) && !math.IsInf(ret, 0) {
		t.returns.add(ret)
	}
}

// writeOrder writes o's row of orders.csv; x holds its decimals (nil:
// read them from o).
func (e *rowWriter) writeOrder(o *backtest.OrderRecord, x *decs) error {
	if e.orders == nil {
		return nil
	}
	l := e.line.start(x)
	orderRow(l, o)
	if !l.plain {
		var r record
		orderRow(&r, o)
		return e.orders.cw.Write(r)
	}
	return e.orders.writeLine(l.end())
}

// fields is what a row of fills.csv, trades.csv or orders.csv is written
// to, a field at a time: a csvLine, which appends the bytes, or a record,
// which collects the texts for encoding/csv. fillRow, tradeRow and
// orderRow lay out each file's row once for both.
type fields interface {
	text(s string)
	word(s string)                // a text that is plain (see csvLine.word)
	name(id uint64, label string) // an order's name (see orderName)
	dec(i int, d decimal.Decimal) // its String text; i numbers it in decs
	percent(d decimal.Decimal)    // its String text and "%"
	price(p engine.Price)         // see priceText
	uint(n uint64)
	int(n int64)
	float(x float64)  // see formatFloat
	time(t time.Time) // see FormatTime
}

// fillRow writes f's row of fills.csv to r; label names its order.
func fillRow(r fields, f *engine.FillEvent, label string) {
	r.name(f.OrderID, label)
	r.time(f.Time)
	r.text(f.Symbol)
	r.word(f.Side.String())
	r.dec(fillQty, f.Quantity)
	r.dec(fillPrice, f.Price)
	r.dec(fillCommission, f.Commission)
	r.dec(fillSlippage, f.Slippage)
	r.dec(fillRemaining, f.Remaining)
}

// tradeRow writes t's row of trades.csv to r: the round trip, then its
// excursions and its return ret, net P&L over the entry value (see
// TradeReturn).
func tradeRow(r fields, t *portfolio.Trade, ret float64) {
	r.text(t.Symbol)
	r.word(t.Side())
	r.dec(tradeQty, t.Quantity)
	r.time(t.EntryTime)
	r.dec(tradeEntry, t.EntryPrice)
	r.time(t.ExitTime)
	if !t.Open {
		r.dec(tradeExit, t.ExitPrice)
	} else {
		r.word("")
	}
	r.dec(tradeCommission, t.Commission)
	r.dec(tradeGross, t.PnLGross)
	r.dec(tradeNet, t.PnLNet)
	r.int(int64(t.Bars))
	r.word(t.Status())
	r.float(t.MAE)
	r.float(t.MFE)
	r.float(ret)
}

// orderRow writes o's row of orders.csv to r: id and parent are orders'
// names (see orderName); engine_id is always the engine's ID.
func orderRow(r fields, o *backtest.OrderRecord) {
	r.name(o.ID, o.Label)
	r.uint(o.ID)
	r.time(o.Time)
	r.text(o.Symbol)
	r.word(o.Side.String())
	r.word(o.Type.String())
	r.dec(orderQty, o.Quantity)
	r.dec(orderFilled, o.FilledQuantity)
	r.price(o.Limit)
	r.price(o.Stop)
	if o.TrailPercent.IsPositive() {
		r.percent(o.TrailPercent)
	} else {
		r.price(o.TrailAmount)
	}
	r.word(o.TIF.String())
	r.time(o.ExpireAt)
	r.name(o.Parent, o.ParentLabel)
	r.text(o.OCO)
	if o.ReduceOnly {
		r.word("true")
	} else {
		r.word("")
	}
	r.text(o.Source)
	r.text(o.Status)
	r.text(o.Reason)
	if o.Triggered {
		r.time(o.TriggerTime)
	} else {
		r.word("")
	}
	r.time(o.FillTime)
	if o.FilledQuantity.IsPositive() {
		r.dec(orderFillPrice, o.FillPrice)
	} else {
		r.word("")
	}
}

// record collects a row's fields as the texts encoding/csv writes.
type record []string

// text adds a text field, made safe with spreadsheetText; the other
// methods add numbers and times, as they are.
func (r *record) text(s string)                { r.cell(spreadsheetText(s)) }
func (r *record) word(s string)                { r.text(s) }
func (r *record) name(id uint64, label string) { r.text(orderName(id, label)) }
func (r *record) dec(_ int, d decimal.Decimal) { r.cell(d.String()) }
func (r *record) percent(d decimal.Decimal)    { r.cell(d.String() + "%") }
func (r *record) price(p engine.Price)         { r.cell(priceText(p)) }
func (r *record) uint(n uint64)                { r.cell(strconv.FormatUint(n, 10)) }
func (r *record) int(n int64)                  { r.cell(strconv.FormatInt(n, 10)) }
func (r *record) float(x float64)              { r.cell(formatFloat(x)) }
func (r *record) time(t time.Time)             { r.cell(FormatTime(t)) }
func (r *record) cell(s string)                { *r = append(*r, s) }

// csvLine builds a row of a CSV file in a reused buffer, the bytes
// encoding/csv's Writer writes for it, when no text field needs quotes;
// plain is false when one does, and the row must go through the
// csv.Writer instead. Numbers and times never need them.
type csvLine struct {
	b     []byte
	plain bool
	x     *decs // the row's decimals, nil to read them from the record
	times timeTexts
}

// timeTexts keeps the texts of the last times a csvLine wrote. The rows
// repeat times: a flip's trade enters at the time the trade before it
// exits, an order is made at the time of the fill before it, and a fill's
// time is its order's fill time and its trade's exit time. A time equal
// to a kept one, field for field (==, not Equal: the same instant in
// another location has another text), has the kept text.
type timeTexts struct {
	t    [timeTextsKept]time.Time
	text [timeTextsKept][]byte
	next int // the slot the next new time takes
}

// timeTextsKept is the number of times a timeTexts keeps.
const timeTextsKept = 4

// append appends FormatTime(t) of a non-zero t to b.
func (c *timeTexts) append(b []byte, t time.Time) []byte {
	for i := range c.t {
		if c.t[i] == t && len(c.text[i]) > 0 {
			return append(b, c.text[i]...)
		}
	}
	i := c.next
	c.next = (i + 1) % timeTextsKept
	c.t[i], c.text[i] = t, appendTime(c.text[i][:0], t)
	return append(b, c.text[i]...)
}

// start empties the line for a new row whose decimals x holds (nil:
// read them from the record).
func (l *csvLine) start(x *decs) *csvLine {
	l.b, l.plain, l.x = l.b[:0], true, x
	return l
}

// end returns the row, its last comma turned into the newline.
func (l *csvLine) end() []byte {
	l.b[len(l.b)-1] = '\n'
	return l.b
}

// text adds a text field, made safe with spreadsheetText.
func (l *csvLine) text(s string) {
	s = spreadsheetText(s)
	if needsQuotes(s) {
		l.plain = false
	}
	l.b = append(l.b, s...)
	l.b = append(l.b, ',')
}

// word adds a text field that is plain, as it is: one that
// spreadsheetText leaves as it is and encoding/csv does not quote. The
// names of sides, order types and times in force, of a trade's side and
// status, "true" and "" are (TestPlainWords checks every one).
func (l *csvLine) word(s string) {
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
		l.uint(id)
	}
}

// dec adds d, the decimal numbered i in the row's decs, as its String
// text.
func (l *csvLine) dec(i int, d decimal.Decimal) {
	l.b = l.x.append(l.b, i, d)
	l.b = append(l.b, ',')
}

// price adds a price column (see priceText).
func (l *csvLine) price(p engine.Price) {
	if p != 0 {
		l.b = p.Append(l.b)
	}
	l.b = append(l.b, ',')
}

// percent adds a decimal as its String text followed by "%".
func (l *csvLine) percent(d decimal.Decimal) {
	l.b = fixed.Append(l.b, d)
	l.b = append(l.b, '%', ',')
}

// uint adds an unsigned integer.
func (l *csvLine) uint(n uint64) {
	l.b = strconv.AppendUint(l.b, n, 10)
	l.b = append(l.b, ',')
}

// int adds an integer.
func (l *csvLine) int(n int64) {
	l.b = strconv.AppendInt(l.b, n, 10)
	l.b = append(l.b, ',')
}

// float adds a float64 as formatFloat writes it, by ftoa.AppendFloat64,
// which writes strconv's bytes in less time.
func (l *csvLine) float(x float64) {
	l.b = ftoa.AppendFloat64(l.b, x)
	l.b = append(l.b, ',')
}

// time adds a time as FormatTime writes it.
func (l *csvLine) time(t time.Time) {
	if !t.IsZero() {
		l.b = l.times.append(l.b, t)
	}
	l.b = append(l.b, ',')
}

// spreadsheetText returns the text field s as a cell that a spreadsheet
// shows as text and never evaluates: s with a single quote (') in front
// when it starts with =, +, -, @, a tab or a carriage return, the
// characters that make a spreadsheet read a cell as a formula (the OWASP
// rule against CSV injection), and s itself otherwise. It applies to text
// fields only (order IDs and labels, symbols, reasons): numbers are
// written by their own methods, and a negative number stays as it is.
func spreadsheetText(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
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
func (e *rowWriter) writeEquity(p *backtest.EquityPoint) error {
	r := p.Value/e.prev - 1
	dd := e.drawdown.Next(r)
	e.prev = p.Value
	bench, wealth := math.NaN(), math.NaN()
	if e.benchWealth != nil {
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
	if e.feed != nil {
		e.feed.add(r, p.Time, wealth)
	}
	if e.equity == nil {
		return nil
	}
	i := e.points
	e.points++
	if e.keepRow != nil && !e.keepRow(i) {
		return nil
	}
	// The charts see every point, as the full equity.csv says it, and as
	// RenderDir reads it back.
	if !e.noPage {
		e.chart.add(p.Time, p.CashFloat(), p.EquityFloat(), dd, bench)
	}
	if e.daily {
		// A point waits until the next one shows it was its day's last;
		// only that one is formatted.
		var day int
		if e.timeText.covers(p.Time) {
			day = e.timeText.day
		} else {
			y, m, d := p.Time.Date()
			day = y*10000 + int(m)*100 + d
		}
		if e.pending && day != e.pendingDay {
			if err := e.flushDay(); err != nil {
				return err
			}
		}
		e.pending, e.pendingDay = true, day
		e.lastP, e.last.dd, e.last.bench = p, dd, bench
		return nil
	}
	e.buf = e.appendEquityRow(e.buf[:0], p, dd, bench)
	_, err := e.equity.Write(e.buf)
	return err
}

// appendEquityRow appends p's row of equity.csv to b, with the drawdown
// dd and the benchmark value bench (NaN: none yet).
func (e *rowWriter) appendEquityRow(b []byte, p *backtest.EquityPoint, dd, bench float64) []byte {
	b = e.timeText.append(b, p.Time)
	b = append(b, ',')
	b = e.cashText.append(b, p)
	b = append(b, ',')
	b = equity.AppendEquity(b, p)
	b = append(b, ',')
	b = e.ddText.append(b, dd)
	b = append(b, ',')
	if !math.IsNaN(bench) {
		b = e.benchText.append(b, bench)
	}
	return append(b, '\n')
}

// flushDay formats and writes the row of the point that waits for the
// end of its day (see rowWriter.daily), when a point of a later day
// comes and at the end of the run.
func (e *rowWriter) flushDay() error {
	if !e.pending {
		return nil
	}
	e.pending = false
	e.buf = e.appendEquityRow(e.buf[:0], e.lastP, e.last.dd, e.last.bench)
	_, err := e.equity.Write(e.buf)
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
	e.tradeStats.close()
}
