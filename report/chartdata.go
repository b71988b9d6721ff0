package report

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"strconv"
	"time"

	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/metrics"
)

// chartData is what the report's charts are drawn from: the columns of
// equity.csv, as numbers. A run fills it as it writes equity.csv, and
// RenderDir as it reads the file back; both see the same values, because
// every float in the file is written as the shortest text that reads back
// to it. The columns keep their last values in memory and the rest in
// temporary files; the times, their zones and the cash, which come in
// runs (bars a minute apart in a session, the cash between two trades),
// are kept as runs while there are not too many.
type chartData struct {
	nanos     *spill.Runs[int64]   // Unix nanoseconds
	offsets   *spill.Runs[int64]   // the zone offset of each time, seconds east of UTC
	cash      *spill.Runs[float64] // (see newChartData)
	equity    *spill.Series[float64]
	drawdown  *spill.Series[float64]
	benchmark *spill.Series[float64] // NaN where empty; empty while derived is set
	// derived, when set, is the benchmark column as the initial cash
	// times the benchmark's wealth, a column the rows' goroutine keeps
	// for the analysis: the values the run wrote, computed again instead
	// of stored twice (see deriveBenchmark). wealth is that column.
	derived  metrics.Column
	wealth   *spill.Series[float64]
	hasBench bool // a benchmark value is not NaN
	// The first and the last time, Unix nanoseconds.
	first, last int64
	// intraday is true when a time is not at midnight in its zone.
	intraday bool
	// What the charts' passes would first count or scan, taken as the
	// rows come: the range of the non-NaN equity and benchmark values
	// (±Inf if none), and the number of finite values of each.
	lo, hi                    float64
	finiteEquity, finiteBench int
	// live is what the charts need of the returns, taken as the rows
	// come when the initial cash is known before them (see measureFrom);
	// nil otherwise, or once prepareCharts has used it.
	live *chartLive
}

// newChartData returns an empty chartData whose columns keep limit values
// in memory, or limit runs of those kept as runs.
func newChartData(limit int) *chartData {
	return &chartData{nanos: spill.NewRuns[int64](true, limit, limit, ""), offsets: spill.NewRuns[int64](false, limit, limit, ""),
		cash: spill.NewRuns[float64](false, limit, limit, ""), equity: spill.New[float64](limit, ""),
		drawdown: spill.New[float64](limit, ""), benchmark: spill.New[float64](limit, ""),
		lo: math.Inf(1), hi: math.Inf(-1)}
}

// chartLive is what prepareCharts computes from the returns of the equity
// column and of the benchmark's, measured from the initial cash start,
// taken one row at a time: the first pass of the histogram of the
// returns (its moments and extremes), the weekly returns, and the
// benchmark's monthly and annual returns with the month of its first
// value. The operations are prepareCharts' own, in the same order, so the
// results are its bits.
type chartLive struct {
	start  float64
	prev   float64 // the previous equity, for the returns
	hist   histMoments
	weekly *metrics.Aggregator
	bench  *metrics.Aggregator // the benchmark's months and years
	benchR wealthReturn        // the benchmark's returns
	first  string              // "2006-01" of the first benchmark return that is not NaN
}

// measureFrom has the rows added after it measured as returns from the
// initial cash start as they come (see chartLive); call it before the
// first row.
func (c *chartData) measureFrom(start float64) {
	c.live = &chartLive{start: start, prev: start, benchR: newWealthReturn(), hist: newHistMoments(),
		weekly: metrics.NewAggregator([]metrics.Period{metrics.Week}, nil),
		bench:  metrics.NewAggregator([]metrics.Period{metrics.Month, metrics.Year}, nil)}
}

// deriveBenchmark has the benchmark column read as cash × each value of
// wealth instead of kept: call it before the first row when every row's
// benchmark value will be cash × the value wealth gets at the same time
// (NaN × anything being NaN), computed so. wealth must stay readable as
// long as c.
func (c *chartData) deriveBenchmark(wealth *spill.Series[float64], cash float64) {
	c.wealth = wealth
	c.derived = metrics.Map(wealth, func() func(float64) float64 {
		return func(w float64) float64 { return cash * w }
	})
}

// benchmarkColumn returns the benchmark column.
func (c *chartData) benchmarkColumn() metrics.Column {
	if c.derived != nil {
		return c.derived
	}
	return c.benchmark
}

// add adds the row of equity and benchmark at t.
func (l *chartLive) add(t time.Time, equity, benchmark float64) {
	r := equity/l.prev - 1 // as metrics.ReturnsFrom
	l.prev = equity
	if !math.IsNaN(r) && !math.IsInf(r, 0) {
		l.hist.add(r)
	}
	l.weekly.Add(r, t)
	b := l.benchR.next(benchmark / l.start) // as benchmarkReturns
	l.bench.Add(b, t)
	if l.first == "" && !math.IsNaN(b) {
		l.first = t.Format("2006-01")
	}
}

// add appends one row of equity.csv.
func (c *chartData) add(t time.Time, cash, equity, drawdown, benchmark float64) {
	nanos := t.UnixNano()
	_, off := t.Zone()
	if !c.intraday && !atMidnight(t) {
		c.intraday = true
	}
	c.offsets.Append(int64(off))
	c.cash.Append(cash)
	if c.nanos.Len() == 0 {
		c.first = nanos
	}
	c.last = nanos
	c.nanos.Append(nanos)
	c.equity.Append(equity)
	c.drawdown.Append(drawdown)
	if c.derived == nil {
		c.benchmark.Append(benchmark)
	}
	if !math.IsNaN(benchmark) {
		c.hasBench = true
	}
	for _, v := range [2]float64{equity, benchmark} {
		if !math.IsNaN(v) {
			c.lo, c.hi = min(c.lo, v), max(c.hi, v)
		}
	}
	if finite1(equity) {
		c.finiteEquity++
	}
	if finite1(benchmark) {
		c.finiteBench++
	}
	if c.live != nil {
		c.live.add(t, equity, benchmark)
	}
}

// chartTimes are the times of a chartData as metrics.Times, each in the
// zone of its row.
type chartTimes struct{ c *chartData }

// Len implements metrics.Times.
func (t chartTimes) Len() int { return t.c.len() }

// Chunks implements metrics.Times.
func (t chartTimes) Chunks() iter.Seq[[]time.Time] {
	return func(yield func([]time.Time) bool) {
		next, stop := iter.Pull(t.c.offsets.Chunks())
		defer stop()
		var buf []time.Time
		for nc := range t.c.nanos.Chunks() {
			oc, _ := next()
			buf = buf[:0]
			for i, n := range nc {
				buf = append(buf, time.Unix(0, n).In(zone(oc[i])))
			}
			if !yield(buf) {
				return
			}
		}
	}
}

// zone returns a fixed zone of off seconds east of UTC, UTC for 0.
func zone(off int64) *time.Location {
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone("", int(off))
}

// len returns the number of rows.
func (c *chartData) len() int { return c.nanos.Len() }

// err returns the first error of the temporary files.
func (c *chartData) err() error {
	errs := []error{c.nanos.Err(), c.offsets.Err(), c.cash.Err(), c.equity.Err(), c.drawdown.Err(), c.benchmark.Err()}
	if c.wealth != nil {
		errs = append(errs, c.wealth.Err())
	}
	return errors.Join(errs...)
}

// close releases the temporary files.
func (c *chartData) close() {
	c.nanos.Close()
	c.offsets.Close()
	c.cash.Close()
	c.equity.Close()
	c.drawdown.Close()
	c.benchmark.Close()
}

// tradeTable is what the report shows of trades.csv: its first rows as
// text, the number of rows, and the returns of the closed trades for the
// histogram.
type tradeTable struct {
	rows    [][]string // the first maxTradeRows rows
	n       int
	returns floatBlocks // the return column of the closed trades
	symbols bySymbol
}

// maxTradeRows bounds the trade list in the report; results.json and
// trades.csv hold every trade.
const maxTradeRows = 500

// add adds a row of trades.csv; the row is not kept beyond the call.
func (t *tradeTable) add(row []string) error {
	ret, err := strconv.ParseFloat(row[14], 64)
	if err != nil {
		return fmt.Errorf("field \"return\": %w", err)
	}
	pnl, err := strconv.ParseFloat(row[9], 64)
	if err != nil {
		return fmt.Errorf("field \"pnl_net\": %w", err)
	}
	t.symbols.add(row[0], row[11] == "closed", pnl)
	if t.n < maxTradeRows {
		t.rows = append(t.rows, append([]string(nil), row...))
	}
	t.n++
	if row[11] == "closed" && !math.IsNaN(ret) && !math.IsInf(ret, 0) {
		t.returns.add(ret)
	}
	return nil
}
