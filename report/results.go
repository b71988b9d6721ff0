package report

import (
	"encoding/json"
	"io"
	"math"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/internal/ftoa"
	"github.com/quantloop/quantloop/manifest"
)

// Float is a float64 that JSON-encodes with the shortest text that reads
// back to the same value, and encodes NaN and ±Inf, which JSON cannot hold,
// as the strings "NaN", "Infinity" and "-Infinity".
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	return f.AppendJSON(nil), nil
}

// AppendJSON appends the JSON text of f, as MarshalJSON writes it, to b:
// a finite f as strconv.AppendFloat(b, f, 'g', -1, 64) writes it, by
// ftoa.AppendFloat64, which writes the same bytes in less time.
func (f Float) AppendJSON(b []byte) []byte {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return append(b, `"NaN"`...)
	case math.IsInf(x, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(x, -1):
		return append(b, `"-Infinity"`...)
	}
	return ftoa.AppendFloat64(b, x)
}

// UnmarshalJSON implements json.Unmarshaler, accepting what MarshalJSON
// writes.
func (f *Float) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = Float(math.NaN())
		return nil
	case `"Infinity"`:
		*f = Float(math.Inf(1))
		return nil
	case `"-Infinity"`:
		*f = Float(math.Inf(-1))
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Float(x)
	return nil
}

// Results is the content of results.json. Money is exact decimal text;
// ratios are floats per METRICS.md.
type Results struct {
	// Format is the run folder's format version, manifest.Format.
	Format  int    `json:"format"`
	Partial bool   `json:"partial"`
	Error   string `json:"error,omitempty"`
	Start   string `json:"start"`
	End     string `json:"end"`
	Bars    int    `json:"bars"`
	// Timestamps is the number of distinct bar times: equity.csv's rows
	// at the output level full.
	Timestamps int `json:"timestamps"`
	// Outputs names the output level and the rows equity.csv holds when
	// the level is not full (backtest.OutputLevel); nil at full.
	Outputs *OutputsNote `json:"outputs,omitempty"`

	InitialCash decimal.Decimal `json:"initial_cash"`
	FinalCash   decimal.Decimal `json:"final_cash"`
	FinalEquity decimal.Decimal `json:"final_equity"`

	PeriodsPerYear   Float `json:"periods_per_year"`
	TotalReturn      Float `json:"total_return"`
	AnnualReturn     Float `json:"annual_return"`
	AnnualVolatility Float `json:"annual_volatility"`
	Sharpe           Float `json:"sharpe"`
	Sortino          Float `json:"sortino"`
	MaxDrawdown      Float `json:"max_drawdown"`
	Calmar           Float `json:"calmar"`

	Trades       int   `json:"trades"`
	ClosedTrades int   `json:"closed_trades"`
	OpenTrades   int   `json:"open_trades"`
	Wins         int   `json:"wins"`
	Losses       int   `json:"losses"`
	Even         int   `json:"even"`
	WinRate      Float `json:"win_rate"`

	Fills  int `json:"fills"`
	Orders int `json:"orders"`
	// UnfilledOrders counts the orders still working at the end, in part
	// filled or not.
	UnfilledOrders int `json:"unfilled_orders"`
	RejectedOrders int `json:"rejected_orders"`
	CanceledOrders int `json:"canceled_orders"`
	ExpiredOrders  int `json:"expired_orders"`
	// SameBarFills says whether any order filled on the bar that made it.
	SameBarFills bool `json:"same_bar_fills"`
	// IntrabarPath is the assumption about the order of each bar's high
	// and low: nearest or pessimistic.
	IntrabarPath string `json:"intrabar_path"`
	// Fees is the total of fees.csv (borrow fees).
	Fees        decimal.Decimal `json:"fees"`
	MarginCalls int             `json:"margin_calls"`
	// TradingStopped is true when equity reached zero.
	TradingStopped bool `json:"trading_stopped"`
	// UnsubmittedRows counts orders-file rows after their symbol's data.
	UnsubmittedRows int `json:"unsubmitted_rows"`

	HandlerErrors []HandlerError `json:"handler_errors"`
	// Warnings are what makes the run's numbers mean less than they seem
	// (see backtest.Result.Warnings); an empty list for a clean run.
	Warnings []backtest.Warning `json:"warnings"`

	Safety
	// Analysis holds every metric and table of the equity curve's returns;
	// TradeStats the round-trip statistics; Markers the notable events.
	// A Writer fills them when it finishes.
	Analysis   *Analysis     `json:"analysis,omitempty"`
	TradeStats *TradeSummary `json:"trade_stats,omitempty"`
	Markers    []Marker      `json:"markers"`

	Config backtest.Config `json:"config"`
	// Manifest is the manifest without output hashes (see manifest.json).
	Manifest *manifest.Manifest `json:"manifest,omitempty"`
}

// Marker is a notable event drawn on the report's charts.
type Marker struct {
	Time  string `json:"time"`
	Label string `json:"label"`
}

// HandlerError is a failure that did not end the run.
type HandlerError struct {
	Time      string `json:"time"`
	Component string `json:"component"`
	Message   string `json:"message"`
}

// newResults gathers res into the results.json form.
// OutputsNote is results.json's statement of a run's output level other
// than full.
type OutputsNote struct {
	// Level is lean or metrics.
	Level string `json:"level"`
	// EquityRows says which rows equity.csv holds: backtest.EquityRowsLean
	// at lean, "none" at metrics (no equity.csv is written).
	EquityRows string `json:"equity_rows"`
}

// outputsNote returns the note of level, nil at full.
func outputsNote(level backtest.OutputLevel) *OutputsNote {
	switch level {
	case backtest.OutputsLean:
		return &OutputsNote{Level: level.String(), EquityRows: backtest.EquityRowsLean}
	case backtest.OutputsMetrics:
		return &OutputsNote{Level: level.String(), EquityRows: "none"}
	}
	return nil
}

func newResults(res *backtest.Result) *Results {
	m, c := res.Metrics, res.Counts
	out := &Results{
		Format:           manifest.Format,
		Partial:          res.Partial,
		Start:            FormatTime(res.Start),
		End:              FormatTime(res.End),
		Bars:             res.Stats.Bars,
		Timestamps:       res.Stats.Timestamps,
		InitialCash:      res.InitialCash,
		FinalCash:        res.FinalCash,
		FinalEquity:      res.FinalEquity,
		PeriodsPerYear:   Float(m.PeriodsPerYear),
		TotalReturn:      Float(m.TotalReturn),
		AnnualReturn:     Float(m.AnnualReturn),
		AnnualVolatility: Float(m.AnnualVolatility),
		Sharpe:           Float(m.Sharpe),
		Sortino:          Float(m.Sortino),
		MaxDrawdown:      Float(m.MaxDrawdown),
		Calmar:           Float(m.Calmar),
		Trades:           c.ClosedTrades + c.OpenTrades,
		ClosedTrades:     c.ClosedTrades,
		OpenTrades:       c.OpenTrades,
		Wins:             c.Wins,
		Losses:           c.Losses,
		Even:             c.Even,
		WinRate:          Float(m.WinRate),
		Fills:            c.Fills,
		Orders:           c.Orders,
		UnfilledOrders:   c.Unfilled,
		RejectedOrders:   c.Rejected,
		CanceledOrders:   c.Canceled,
		ExpiredOrders:    c.Expired,
		SameBarFills:     res.SameBarFills,
		IntrabarPath:     res.IntrabarPath,
		Fees:             res.FeeTotal,
		MarginCalls:      res.MarginCalls,
		TradingStopped:   res.Stopped,
		UnsubmittedRows:  res.UnsubmittedRows,
		HandlerErrors:    []HandlerError{},
		Warnings:         append([]backtest.Warning{}, res.Warnings()...),
		Markers:          []Marker{},
		Config:           res.Config,
	}
	if res.Err != nil {
		out.Error = res.Err.Error()
	}
	out.Safety = newSafety(res)
	for _, m := range res.Markers {
		out.Markers = append(out.Markers, Marker{Time: FormatTime(m.Time), Label: m.Label})
	}
	for _, e := range res.Errors {
		out.HandlerErrors = append(out.HandlerErrors, HandlerError{Time: FormatTime(e.Time), Component: e.Component, Message: e.Message})
	}
	return out
}

// writeResults writes r as results.json.
func writeResults(w io.Writer, r *Results) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
