// Package equity defines the equity point of a run, which package
// backtest exports as EquityPoint, and the fast paths that write a
// point's cash and equity as text from int64 Price units without
// allocating: backtest records the units with SetUnits, and report
// formats its equity rows with AppendCash and AppendEquity. Keeping the
// fast paths here leaves the exported point with its fields and its
// decimal and float accessors.
package equity

import (
	"math"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// Point is the account at the end of one bar time.
type Point struct {
	Time time.Time
	Cash decimal.Decimal
	// Value is the equity observed in float64 (cash plus positions marked
	// at the close): what the metrics are computed on.
	Value float64
	// Benchmark is the benchmark's bar at this time when the benchmark
	// is one of the run's data files.
	Benchmark BenchmarkBar

	units Units
}

// BenchmarkBar is the benchmark's bar at an equity point's time, when
// the benchmark is one of the run's data files (see backtest's
// AnalysisConfig.Benchmark): the run then reads its prices with the
// other data instead of the report reading the file again.
type BenchmarkBar struct {
	// Tracked is true on every point of a run that tracks the benchmark.
	Tracked bool
	// Open and Close are zero at times without a benchmark bar.
	Open, Close engine.Price
}

// Units are a point's cash and the market value of its positions in
// Price units (1e-8), each with whether it is exact in an int64. When
// the market value is not, MarketDecimal holds it. Equity adds the
// market value to Cash only when asked, which keeps decimal arithmetic
// off the per-bar path. The zero value is a point without positions
// whose cash is not known in units.
type Units struct {
	Cash          int64
	CashExact     bool
	Market        int64
	MarketExact   bool
	MarketDecimal decimal.Decimal
}

// SetUnits records u as p's units. u must agree with p.Cash.
func SetUnits(p *Point, u Units) { p.units = u }

// Equity returns cash plus positions marked at the close, exactly.
func (p Point) Equity() decimal.Decimal {
	u := &p.units
	if !u.MarketExact {
		return p.Cash.Add(u.MarketDecimal)
	}
	if u.Market == 0 {
		return p.Cash
	}
	return p.Cash.Add(decimal.New(u.Market, -engine.PriceDecimals))
}

// EquityFloat returns Equity() rounded to the nearest float64: what
// parsing the text of Equity() gives, computed without allocating when
// the equity is exact in Price units.
func (p Point) EquityFloat() float64 {
	u := &p.units
	if u.CashExact && u.MarketExact {
		if v, ok := fixed.AddInt64(u.Cash, u.Market); ok && v <= 1<<53 && v >= -1<<53 {
			// Both operands are exact, so the division rounds once.
			return float64(v) / engine.PriceScale
		}
	}
	f, _ := strconv.ParseFloat(p.Equity().String(), 64)
	return f
}

// CashFloat returns Cash rounded to the nearest float64: what parsing
// the text of AppendCash gives, computed without allocating when the cash
// is exact in Price units.
func (p Point) CashFloat() float64 {
	if u := &p.units; u.CashExact && u.Cash <= 1<<53 && u.Cash >= -1<<53 {
		// The operand is exact, so the division rounds once.
		return float64(u.Cash) / engine.PriceScale
	}
	f, _ := strconv.ParseFloat(p.Cash.String(), 64)
	return f
}

// AppendCash appends the exact text of p.Cash to b, as Cash.String()
// would write it, without allocating when the cash is exact in Price
// units.
func AppendCash(b []byte, p *Point) []byte {
	if p.units.CashExact {
		return engine.Price(p.units.Cash).Append(b)
	}
	return append(b, p.Cash.String()...)
}

// CashUnits returns p's cash in Price units and whether it is exact in
// them; when it is, the text AppendCash writes depends on those units
// alone.
func CashUnits(p *Point) (int64, bool) { return p.units.Cash, p.units.CashExact }

// AppendEquity appends the exact text of p.Equity() to b, without
// allocating when cash and market value are exact in Price units.
func AppendEquity(b []byte, p *Point) []byte {
	u := &p.units
	if u.CashExact && u.MarketExact {
		if v, ok := fixed.AddInt64(u.Cash, u.Market); ok {
			return engine.Price(v).Append(b)
		}
	}
	return append(b, p.Equity().String()...)
}

// PriceUnits returns d in Price units and whether that is exact: d has at
// most engine.PriceDecimals decimals and |d| < 1e10.
func PriceUnits(d decimal.Decimal) (int64, bool) {
	if a, ok := fixed.Of(d); ok && a.E <= math.MaxInt32-engine.PriceDecimals {
		// An Int that does not fit is at least 2^63 units, beyond 1e18.
		a.E += engine.PriceDecimals
		n, ok := a.Int()
		if !ok || n >= maxUnitsInt || n <= -maxUnitsInt {
			return 0, false
		}
		return n, true
	}
	s := d.Shift(engine.PriceDecimals)
	if !s.IsInteger() || s.Abs().GreaterThanOrEqual(maxUnits) {
		return 0, false
	}
	return s.IntPart(), true
}

var maxUnits = decimal.New(1, 18)

// maxUnitsInt is maxUnits as an int64.
const maxUnitsInt = 1e18
