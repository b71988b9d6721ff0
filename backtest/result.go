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
	// Markers are notable events for the report's charts, in time order.
	Markers []Marker

	// SameBarFills is true when an order filled on the bar that made it
	// (close-at-end's market-on-close orders).
	SameBarFills bool
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

// Order statuses in an OrderRecord.
const (
	StatusSubmitted = "submitted"
	StatusWorking   = "working"
	StatusFilled    = "filled"
	StatusRejected  = "rejected"
	StatusCanceled  = "canceled"
	// StatusUnfilled is a working order left when the data ended.
	StatusUnfilled = "unfilled"
)

// OrderRecord is an order and what became of it.
type OrderRecord struct {
	engine.Order
	Status string
	Reason string // why it was rejected or canceled
	// FillTime and FillPrice are set once it filled.
	FillTime  time.Time
	FillPrice decimal.Decimal
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

// Marker is a notable event of a run, such as a kill switch tripping or a
// margin call, that the report draws on its charts as a labelled vertical
// line. Components add markers to Result.Markers in time order.
type Marker struct {
	Time  time.Time
	Label string
}
