package backtest

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/strategy"
)

// Config describes one run. Its JSON form is the effective configuration
// saved with the results; money is written as exact decimal strings.
type Config struct {
	// Data are the CSV files, one symbol each (the file name without its
	// extension, unless Symbol is set for a single file).
	Data []string `json:"data" yaml:"data"`
	// Symbol overrides the symbol of a single data file.
	Symbol string `json:"symbol,omitempty" yaml:"symbol,omitempty"`
	// TimeLayout is a Go time layout for the time column; empty to detect.
	TimeLayout string `json:"time_layout,omitempty" yaml:"time_layout,omitempty"`
	// Timezone names the zone of times that carry none (default UTC).
	Timezone string `json:"timezone,omitempty" yaml:"timezone,omitempty"`
	// Header says whether the files' first line names the columns: "auto"
	// (the default), "present", "absent" or "skip" (a header whose names
	// are wrong: skip it and map columns by position).
	Header string `json:"header,omitempty" yaml:"header,omitempty"`
	// Columns maps fields (time, date, clock, open, high, low, close,
	// volume) to header names that the usual spellings do not find.
	Columns map[string]string `json:"columns,omitempty" yaml:"columns,omitempty"`
	// Order names the field of each column by position, for files without
	// a usable header ("" ignores a column).
	Order []string `json:"order,omitempty" yaml:"order,omitempty"`
	// Delimiter is the field separator, one character (default ",").
	Delimiter string `json:"delimiter,omitempty" yaml:"delimiter,omitempty"`

	// Strategy is the built-in strategy's name, with its Params.
	Strategy string          `json:"strategy" yaml:"strategy"`
	Params   strategy.Params `json:"params" yaml:"params"`

	// Cash is the starting cash.
	Cash decimal.Decimal `json:"cash" yaml:"cash"`
	// Size is a fixed order quantity; SizePct a percent of equity. Exactly
	// one must be set.
	Size    decimal.Decimal `json:"size" yaml:"size"`
	SizePct decimal.Decimal `json:"size_pct" yaml:"size_pct"`

	// CommissionPct is a percent of traded value (0.1 = 0.1 %).
	CommissionPct decimal.Decimal `json:"commission_pct" yaml:"commission_pct"`
	// CommissionPerShare is charged per unit traded.
	CommissionPerShare decimal.Decimal `json:"commission_per_share" yaml:"commission_per_share"`
	// CommissionMin is the least commission an order pays.
	CommissionMin decimal.Decimal `json:"commission_min" yaml:"commission_min"`
	// SlippageBps moves fill prices against the trader.
	SlippageBps decimal.Decimal `json:"slippage_bps" yaml:"slippage_bps"`

	// CloseAtEnd closes open positions at the last close.
	CloseAtEnd bool `json:"close_at_end" yaml:"close_at_end"`
	// PeriodsPerYear annualizes the metrics; 0 infers it from the bar
	// spacing (252 for daily bars).
	PeriodsPerYear float64 `json:"periods_per_year" yaml:"periods_per_year"`

	// Benchmark is the data file whose buy-and-hold is the benchmark of
	// the report (alpha, beta, information ratio, capture). Empty means
	// the first data file; "none" means no benchmark.
	Benchmark string `json:"benchmark,omitempty" yaml:"benchmark,omitempty"`
	// RiskFree is the annual risk-free rate (0.02 = 2 %), turned into a
	// per-period rate (1+rf)^(1/P)-1 for the Sharpe, Sortino and
	// probabilistic Sharpe ratios and alpha.
	RiskFree float64 `json:"risk_free" yaml:"risk_free"`
	// Trials is the number of configurations tried before this one, for
	// the deflated Sharpe ratio; 0 or 1 means this run was the only one.
	Trials int `json:"trials" yaml:"trials"`
	// Seed seeds any randomness of the run. Nothing in the engine is
	// random yet; the seed is recorded in the manifest.
	Seed int64 `json:"seed" yaml:"seed"`
}

// NoBenchmark is the Benchmark value that turns the benchmark off.
const NoBenchmark = "none"

// BenchmarkFile returns the benchmark's data file: Benchmark, or the first
// data file when it is empty, or "" for none.
func (c *Config) BenchmarkFile() string {
	switch {
	case c.Benchmark == NoBenchmark:
		return ""
	case c.Benchmark != "":
		return c.Benchmark
	case len(c.Data) > 0:
		return c.Data[0]
	}
	return ""
}

// DefaultConfig returns the defaults the CLI uses: 100000 cash, a size of
// one unit, the smacross strategy, no costs.
func DefaultConfig() Config {
	return Config{
		Strategy: "smacross",
		Params:   strategy.Params{},
		Cash:     decimal.NewFromInt(100000),
		Size:     decimal.NewFromInt(1),
	}
}

// Validate reports settings that cannot make a run.
func (c *Config) Validate() error {
	var errs []error
	if !c.Cash.IsPositive() {
		errs = append(errs, fmt.Errorf("cash %s must be positive", c.Cash))
	}
	if err := c.sizer().Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.commission().Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.slippage().Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.PeriodsPerYear < 0 || math.IsNaN(c.PeriodsPerYear) || math.IsInf(c.PeriodsPerYear, 0) {
		errs = append(errs, fmt.Errorf("periods per year %v must be a positive number (or 0 to infer it)", c.PeriodsPerYear))
	}
	if math.IsNaN(c.RiskFree) || math.IsInf(c.RiskFree, 0) || c.RiskFree <= -1 {
		errs = append(errs, fmt.Errorf("risk-free rate %v must be a number above -1", c.RiskFree))
	}
	if c.Trials < 0 {
		errs = append(errs, fmt.Errorf("trials %d must not be negative", c.Trials))
	}
	if _, err := c.dataOptions(); err != nil {
		errs = append(errs, err)
	}
	if c.Symbol != "" && len(c.Data) > 1 {
		errs = append(errs, errors.New("a symbol can be given only with a single data file"))
	}
	return errors.Join(errs...)
}

// DataOptions returns the options of the CSV reader for the data settings:
// the options Run opens cfg.Data with, for reading other files the same way.
func (c *Config) DataOptions() (data.Options, error) { return c.dataOptions() }

// dataOptions turns the data settings into options for the CSV reader.
func (c *Config) dataOptions() (data.Options, error) {
	opts := data.Options{Symbol: c.Symbol, TimeLayout: c.TimeLayout, Order: c.Order}
	if c.Timezone != "" {
		loc, err := time.LoadLocation(c.Timezone)
		if err != nil {
			return opts, fmt.Errorf("timezone %q: %w", c.Timezone, err)
		}
		opts.Location = loc
	}
	switch c.Header {
	case "", "auto":
		opts.Header = data.HeaderAuto
	case "present":
		opts.Header = data.HeaderPresent
	case "absent":
		opts.Header = data.HeaderAbsent
	case "skip":
		opts.Header = data.HeaderSkip
	default:
		return opts, fmt.Errorf("header %q: want auto, present, absent or skip", c.Header)
	}
	cols := map[string]*string{
		"time": &opts.Columns.Time, "date": &opts.Columns.Date, "clock": &opts.Columns.Clock,
		"open": &opts.Columns.Open, "high": &opts.Columns.High, "low": &opts.Columns.Low,
		"close": &opts.Columns.Close, "volume": &opts.Columns.Volume,
	}
	for field, name := range c.Columns {
		p, ok := cols[field]
		if !ok {
			return opts, fmt.Errorf("column mapping %s=%s: unknown field %q (want time, date, clock, open, high, low, close or volume)", field, name, field)
		}
		*p = name
	}
	if c.Delimiter != "" {
		r := []rune(c.Delimiter)
		if len(r) != 1 {
			return opts, fmt.Errorf("delimiter %q must be one character", c.Delimiter)
		}
		opts.Comma = r[0]
	}
	return opts, nil
}

func (c *Config) sizer() portfolio.Sizer {
	return portfolio.Sizer{Quantity: c.Size, Percent: c.SizePct}
}

func (c *Config) commission() broker.Commission {
	return broker.Commission{Percent: c.CommissionPct, PerShare: c.CommissionPerShare, Minimum: c.CommissionMin}
}

func (c *Config) slippage() broker.Slippage { return broker.Slippage{BPS: c.SlippageBps} }
