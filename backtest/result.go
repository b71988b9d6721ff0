package backtest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// Result is everything a run produced.
type Result struct {
	Config Config
	// Start and End are the first and last bar times processed.
	Start, End time.Time
	Stats      engine.Stats

	InitialCash decimal.Decimal
	FinalCash   decimal.Decimal
	// FinalEquity is cash plus open positions marked at their last close.
	FinalEquity decimal.Decimal

	// Equity has one point per bar time, after that time's fills, marked
	// at its closes.
	Equity []EquityPoint
	Trades []portfolio.Trade
	Fills  []engine.FillEvent
	Orders []OrderRecord
	Errors []ErrorRecord
	Logs   []engine.LogEvent

	Metrics Metrics

	// SameBarFills is true when an order filled on the bar that made it
	// (close-at-end's market-on-close orders).
	SameBarFills bool
	// IntrabarPath is the intrabar path assumption the run used.
	IntrabarPath string
	// Fees are the borrow fees charged, FeeTotal their sum.
	Fees     []portfolio.Fee
	FeeTotal decimal.Decimal
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

// EquityPoint is the account at the end of one bar time.
type EquityPoint struct {
	Time time.Time
	Cash decimal.Decimal
	// Value is the equity observed in float64 (cash plus positions marked
	// at the close): what the metrics are computed on.
	Value float64

	// The positions' market value: in Price units when mvExact, else mvD.
	// Equity adds it to Cash only when asked, which keeps decimal
	// arithmetic off the per-bar path.
	mv      int64
	mvExact bool
	mvD     decimal.Decimal
}

// Equity returns cash plus positions marked at the close, exactly.
func (p EquityPoint) Equity() decimal.Decimal {
	if !p.mvExact {
		return p.Cash.Add(p.mvD)
	}
	if p.mv == 0 {
		return p.Cash
	}
	return p.Cash.Add(decimal.New(p.mv, -engine.PriceDecimals))
}

// Order statuses in an OrderRecord. At the end of a run an order is
// filled, partially_filled (part filled, the rest still working), working
// (nothing filled, still working), canceled, expired or rejected; a
// canceled or expired order may have filled in part (FilledQuantity).
const (
	StatusSubmitted = "submitted"
	StatusWorking   = "working"
	StatusPartial   = "partially_filled"
	StatusFilled    = "filled"
	StatusRejected  = "rejected"
	StatusCanceled  = "canceled"
	StatusExpired   = "expired"
	// StatusUnfilled is the former name of an order still working when
	// the data ended; it is now reported as StatusWorking.
	//
	// Deprecated: use StatusWorking.
	StatusUnfilled = StatusWorking
)

// OrderRecord is an order and what became of it. Its Order is as last
// modified.
type OrderRecord struct {
	engine.Order
	Status string
	Reason string // why it was rejected, canceled or expired
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
	Sharpe           float64
	Sortino          float64
	MaxDrawdown      float64
	Calmar           float64

	// Closed round trips: wins have net P&L > 0, losses < 0, even = 0.
	ClosedTrades int
	OpenTrades   int
	Wins         int
	Losses       int
	Even         int
	// WinRate is Wins / ClosedTrades (NaN with none).
	WinRate float64
}
