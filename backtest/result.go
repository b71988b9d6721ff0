package backtest

import (
	"errors"
	"iter"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/equity"
	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/portfolio"
)

// Result is everything a run produced.
type Result struct {
	Config Config
	// CanonicalConfig is Config.CanonicalYAML() when the caller of the
	// run has set it, having it at hand (a sweep, which encodes its
	// runs' configs for their ids); nil otherwise.
	CanonicalConfig []byte
	// Start and End are the first and last bar times processed.
	Start, End time.Time
	Stats      engine.Stats

	InitialCash decimal.Decimal
	FinalCash   decimal.Decimal
	// FinalEquity is cash plus open positions marked at their last close.
	FinalEquity decimal.Decimal

	// AvgExposure is the mean, over the equity points whose equity is
	// positive, of gross exposure (Σ |quantity| × close) divided by
	// equity: 1 for a run fully invested all along, 0.5 for one invested
	// half the time or at half its equity. NaN when no point counts.
	AvgExposure float64

	// Equity has one point per bar time, after that time's fills, marked
	// at its closes.
	Equity []EquityPoint
	// Fills are in the order they happened.
	Fills []engine.FillEvent
	// Trades are the round trips in the order they closed, then those
	// still open in the order they opened.
	Trades []portfolio.Trade
	// Orders are in the order they ended (filled, rejected, canceled),
	// then those still working at the end, marked unfilled, by ID.
	Orders []OrderRecord
	// Streamed is true when the equity points, fills, trades and orders
	// went to an Options.Sink: Equity, Fills, Trades and Orders are then
	// empty.
	Streamed bool
	// Curve is the equity curve as observed in float64, one point per
	// bar time, streamed or not: what the metrics use. A streamed run
	// keeps only its last points in memory and the rest in a temporary
	// file, which Close releases.
	Curve Curve

	Errors []ErrorRecord
	Logs   []engine.LogEvent

	Metrics Metrics
	// Counts are kept whether or not the records were.
	Counts Counts

	// RiskRefusals counts the orders each risk rule refused, by rule name
	// (see the risk.Rule constants).
	RiskRefusals map[string]int
	// KillSwitch lists the kill switch's trips, resets and refused
	// resets, in order.
	KillSwitch []engine.KillSwitchEvent
	// Breakers has each component's circuit-breaker counts, by name;
	// BreakerEvents every change of a breaker's state, in order.
	Breakers      []engine.BreakerStats
	BreakerEvents []engine.BreakerEvent
	// SkippedRows counts the bad data rows dropped under data.on_bad_row skip;
	// SkippedErrors names the first few.
	SkippedRows   int
	SkippedErrors []string
	// Inputs are the data files as Run read them, in the order of
	// Config.Data: the SHA-256 of the bytes read (see data.Reader.Digest),
	// which the manifest records. A file whose digest could not be
	// completed (a read error after the run) is missing. RunFeed, whose feed
	// is the caller's, leaves it empty.
	Inputs []data.Digest
	// Markers are notable events for the report's charts, in time order.
	Markers []Marker

	// SameBarFills is true when an order filled on the bar that made it
	// (close-at-end's market-on-close orders).
	SameBarFills bool
	// IntrabarPath is the intrabar path assumption the run used.
	IntrabarPath string
	// Fees are the borrow fees charged, FeeTotal their sum.
	Fees     []portfolio.Fee
	FeeTotal decimal.Decimal
	// Actions are what the corporate actions of Config.Data.Actions did
	// to the positions, and OrderAdjustments what their splits did to
	// working orders, each in the order they happened.
	Actions          []portfolio.ActionEntry
	OrderAdjustments []broker.OrderAdjustment
	// ActionsInput is the corporate-actions file as the run read it: the
	// SHA-256 of its bytes, which the manifest records; nil without one.
	ActionsInput *data.Digest
	// ActionsUnused counts, by symbol, the actions of Config.Data.Actions
	// whose symbol had no bar in the run (a symbol of another universe, or
	// a misspelt one): they changed nothing. Nil when every action's
	// symbol had data.
	ActionsUnused map[string]int
	// MarginCalls counts margin calls and zero-equity stops; Stopped is
	// true when equity reached zero and trading stopped.
	MarginCalls int
	Stopped     bool
	// UnsubmittedRows counts orders-file rows after their symbol's last
	// bar, never submitted.
	UnsubmittedRows int
	// Partial is true when the run did not reach the end of its data:
	// interrupted, or stopped by an error. Err says why.
	Partial bool
	Err     error
}

// Curve is the equity curve as observed in float64, one point per bar
// time, with its times: 16 bytes a point, held in memory, or for a run
// with a Sink in bounded memory, the rest in a temporary file (see
// [Result.Close]). Its columns are read in order, any number of times.
type Curve struct {
	nanos  *spill.Series[int64]   // bar times, Unix nanoseconds
	values *spill.Series[float64] // equity observed at each time
	loc    *time.Location
	first  time.Time
	last   time.Time
	// times is the buffer of times a pass over Times ended with, for the
	// next pass, of this curve or of one that took its arrays (see
	// Options.Curve); nil in the zero Curve.
	times *atomic.Pointer[[]time.Time]
}

// curveMemory is how many points of a streamed run's curve stay in
// memory; the rest go to a temporary file.
const curveMemory = 1 << 16

// newCurve returns an empty curve that keeps at most limit points in
// memory (0: all).
func newCurve(limit int) Curve {
	return Curve{nanos: spill.New[int64](limit, ""), values: spill.New[float64](limit, ""), times: new(atomic.Pointer[[]time.Time])}
}

// reuse returns an empty curve in c's memory, that of a run its caller
// has finished with, when c holds all its points in memory; otherwise a
// zero Curve. c must not be used afterwards.
func (c *Curve) reuse() Curve {
	if c.values == nil || !c.nanos.Reset() || !c.values.Reset() {
		return Curve{}
	}
	return Curve{nanos: c.nanos, values: c.values, times: c.times}
}

// Len returns the number of points.
func (c *Curve) Len() int {
	if c.values == nil {
		return 0
	}
	return c.values.Len()
}

// Values returns the observed equity at each point.
func (c *Curve) Values() metrics.Column { return c.column() }

func (c *Curve) column() *spill.Series[float64] {
	if c.values == nil {
		return spill.New[float64](0, "")
	}
	return c.values
}

// Times returns the points' times, in the zone of the bars.
func (c *Curve) Times() metrics.Times {
	spare := c.times
	if spare == nil {
		spare = new(atomic.Pointer[[]time.Time])
	}
	return &timeColumn{nanos: c.nanosSeries(), loc: c.location(), spare: spare}
}

func (c *Curve) nanosSeries() *spill.Series[int64] {
	if c.nanos == nil {
		return spill.New[int64](0, "")
	}
	return c.nanos
}

// Returns returns the simple returns of the curve measured from start,
// the initial cash (metrics.SimpleReturnsFrom), computed as they are read.
func (c *Curve) Returns(start float64) metrics.Column { return metrics.ReturnsFrom(start, c.column()) }

// Err returns the first error of the curve's temporary file, if any.
func (c *Curve) Err() error {
	if c.values == nil {
		return nil
	}
	return errors.Join(c.values.Err(), c.nanos.Err())
}

// close releases the temporary file.
func (c *Curve) close() error {
	if c.values == nil {
		return nil
	}
	return errors.Join(c.values.Close(), c.nanos.Close())
}

func (c *Curve) location() *time.Location {
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// grow makes room in memory for n more points.
func (c *Curve) grow(n int) {
	if c.values == nil {
		*c = newCurve(0)
	}
	c.nanos.Grow(n)
	c.values.Grow(n)
}

func (c *Curve) add(t time.Time, v float64) {
	if c.values == nil {
		*c = newCurve(0)
	}
	if c.loc == nil {
		c.loc, c.first = t.Location(), t
	}
	c.last = t
	c.nanos.Append(t.UnixNano())
	c.values.Append(v)
}

// firstTimes returns the first n times of c (all if fewer), read from
// the stored nanoseconds without a pass's buffer of times.
func (c *Curve) firstTimes(n int) []time.Time {
	nanos, loc := c.nanosSeries(), c.location()
	out := make([]time.Time, 0, min(n, nanos.Len()))
	for ch := range nanos.Chunks() {
		for _, ns := range ch[:min(len(ch), n-len(out))] {
			out = append(out, time.Unix(0, ns).In(loc))
		}
		if len(out) == n {
			break
		}
	}
	return out
}

// timeColumn is a column of times stored as Unix nanoseconds, read back
// in one location: a metrics.Times.
type timeColumn struct {
	nanos *spill.Series[int64]
	loc   *time.Location
	// spare is the buffer of a pass that ended, for the next to take:
	// the curve's (Curve.times).
	spare *atomic.Pointer[[]time.Time]
}

// Len returns the number of times.
func (t *timeColumn) Len() int { return t.nanos.Len() }

// Chunks returns the times in chunks, in a reused buffer (which a later
// pass reuses).
func (t *timeColumn) Chunks() iter.Seq[[]time.Time] {
	return func(yield func([]time.Time) bool) {
		var buf []time.Time
		if p := t.spare.Swap(nil); p != nil {
			buf = *p
		} else {
			buf = make([]time.Time, 0, spill.ChunkLen)
		}
		defer t.spare.Store(&buf)
		for c := range t.nanos.Chunks() {
			buf = buf[:0]
			for _, n := range c {
				buf = append(buf, time.Unix(0, n).In(t.loc))
			}
			if !yield(buf) {
				return
			}
		}
	}
}

// EquityPoint is the account at the end of one bar time: its Time, Cash,
// Value (the equity observed in float64, cash plus positions marked at
// the close, which the metrics are computed on) and Benchmark bar, with
// Equity, the exact equity, and EquityFloat, Equity rounded to the
// nearest float64.
type EquityPoint = equity.Point

// BenchmarkBar is the benchmark's bar at an equity point's time, when
// the benchmark is one of the run's data files (AnalysisConfig.Benchmark):
// Tracked is true on every point of such a run, and Open and Close are
// zero at times without a benchmark bar.
type BenchmarkBar = equity.BenchmarkBar

// Order statuses in an OrderRecord. While a run goes on an order is
// submitted, then working or partially filled. It ends filled, canceled,
// expired or rejected; an order still open when the data ends keeps the
// status working (nothing filled: an unfilled order) or partially_filled.
// A canceled or expired order may have filled in part (FilledQuantity).
const (
	StatusSubmitted = "submitted"
	StatusWorking   = "working"
	StatusPartial   = "partially_filled"
	StatusFilled    = "filled"
	StatusRejected  = "rejected"
	StatusCanceled  = "canceled"
	StatusExpired   = "expired"
)

// OrderRecord is an order and what became of it. Its Order is as last
// modified.
type OrderRecord struct {
	engine.Order
	Status string
	Reason string // why it was rejected, canceled or expired
	// ParentLabel is the label of the parent order, when it has one.
	ParentLabel string
	// FilledQuantity is the sum of its fills.
	FilledQuantity decimal.Decimal
	// FillTime is the time of its last fill; FillPrice the mean price of
	// its fills, weighted by quantity.
	FillTime  time.Time
	FillPrice decimal.Decimal
	// Triggered is set when its stop triggered, at TriggerTime.
	Triggered   bool
	TriggerTime time.Time

	value decimal.Decimal
}

// ErrorRecord is a failure that did not end the run.
type ErrorRecord struct {
	Time      time.Time
	Component string
	Message   string
}

// Metrics are the run's performance figures, as defined in METRICS.md,
// computed on the per-bar-time simple returns of equity starting from the
// initial cash.
type Metrics struct {
	PeriodsPerYear   float64
	TotalReturn      float64
	AnnualReturn     float64
	AnnualVolatility float64
	// Sharpe is mean(r − rf) / std(r − rf) × √P (std with ddof 1) and
	// Sortino mean(r − rf) × P / DownsideRisk(r, rf, P), where rf is the
	// per-period rate (1 + Analysis.RiskFree)^(1/P) − 1: the figures of
	// the report's returns table, bit for bit (METRICS.md §2.6, §2.10).
	Sharpe      float64
	Sortino     float64
	MaxDrawdown float64
	Calmar      float64
	// WinRate is Counts.Wins / Counts.ClosedTrades (NaN with none).
	WinRate float64
}

// Counts tally a run's records.
type Counts struct {
	Fills    int
	Orders   int
	Unfilled int // orders still open when the data ended, filled in part or not
	Rejected int
	Canceled int
	Expired  int

	// Round trips: wins have net P&L > 0, losses < 0, even = 0.
	ClosedTrades int
	OpenTrades   int
	Wins         int
	Losses       int
	Even         int
}

func (c *Counts) add(t *portfolio.Trade) {
	if t.Open {
		c.OpenTrades++
		return
	}
	c.ClosedTrades++
	switch t.PnLNet.Sign() {
	case 1:
		c.Wins++
	case -1:
		c.Losses++
	default:
		c.Even++
	}
}

// Marker is a notable event of a run, such as a kill switch tripping or a
// margin call, that the report draws on its charts as a labelled vertical
// line. Components add markers to Result.Markers in time order.
type Marker struct {
	Time  time.Time
	Label string
}

// Close releases the temporary file a streamed run's Curve may use. The
// Curve is empty afterwards; the rest of the Result is unchanged.
func (r *Result) Close() error { return r.Curve.close() }
