package backtest

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/risk"
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
	// CommissionMax caps the commission of one order (zero for none).
	CommissionMax decimal.Decimal `json:"commission_max" yaml:"commission_max"`
	// CommissionFixed is charged once per order, on its first fill.
	CommissionFixed decimal.Decimal `json:"commission_fixed" yaml:"commission_fixed"`
	// CommissionTiers is a per-unit commission tiered by the units traded
	// in the calendar month: "0:0.005,300000:0.003" charges 0.005 per unit
	// until 300000 units have traded in the month, then 0.003.
	CommissionTiers string `json:"commission_tiers,omitempty" yaml:"commission_tiers,omitempty"`
	// SlippageBps moves fill prices against the trader (slippage model
	// "fixed").
	SlippageBps decimal.Decimal `json:"slippage_bps" yaml:"slippage_bps"`
	// SlippageModel is "fixed" (SlippageBps; the default) or "volume"
	// (VolumeImpact × the square of the share of bar volume taken).
	SlippageModel string `json:"slippage_model" yaml:"slippage_model"`
	// VolumeImpact is the volume model's impact factor (default 0.1).
	VolumeImpact decimal.Decimal `json:"volume_impact" yaml:"volume_impact"`

	// Orders is an orders file replayed instead of a strategy.
	Orders string `json:"orders,omitempty" yaml:"orders,omitempty"`
	// IntrabarPath is "nearest" (the default) or "pessimistic".
	IntrabarPath string `json:"intrabar_path" yaml:"intrabar_path"`
	// MaxVolumeShare, when positive, is the largest fraction of a bar's
	// volume that fills on it (0.025 = 2.5 %).
	MaxVolumeShare decimal.Decimal `json:"max_volume_share" yaml:"max_volume_share"`
	// Account is "margin" (the default) or "cash".
	Account string `json:"account" yaml:"account"`
	// MarginLeverage, when positive, caps a margin account's gross
	// exposure at MarginLeverage × equity; zero is unlimited.
	MarginLeverage decimal.Decimal `json:"margin_leverage" yaml:"margin_leverage"`
	// MaintenanceMargin, when positive, is the fraction of gross exposure
	// below which equity triggers a margin call.
	MaintenanceMargin decimal.Decimal `json:"maintenance_margin" yaml:"maintenance_margin"`
	// BorrowRate is the annual fee on short market value, in percent.
	BorrowRate decimal.Decimal `json:"borrow_rate" yaml:"borrow_rate"`
	// NoShort lists symbols that cannot be sold short.
	NoShort []string `json:"no_short,omitempty" yaml:"no_short,omitempty"`

	// CloseAtEnd closes open positions at the last close.
	CloseAtEnd bool `json:"close_at_end" yaml:"close_at_end"`
	// PeriodsPerYear annualizes the metrics; 0 infers it from the bar
	// spacing (252 for daily bars).
	PeriodsPerYear float64 `json:"periods_per_year" yaml:"periods_per_year"`

	// OnBadRow is what a bad data row does: "fail" (the default) ends the
	// run; "skip" drops the row, counts it and goes on.
	OnBadRow string `json:"on_bad_row" yaml:"on_bad_row"`

	// The risk guard's rules, each off at its zero value (see
	// risk.Limits). Values are measured at the last close.
	MaxPosition      decimal.Decimal `json:"max_position" yaml:"max_position"`
	MaxPositionValue decimal.Decimal `json:"max_position_value" yaml:"max_position_value"`
	MaxOrderValue    decimal.Decimal `json:"max_order_value" yaml:"max_order_value"`
	MaxLeverage      decimal.Decimal `json:"max_leverage" yaml:"max_leverage"`
	MaxOrdersPerBar  int             `json:"max_orders_per_bar" yaml:"max_orders_per_bar"`
	MaxOrdersPerDay  int             `json:"max_orders_per_day" yaml:"max_orders_per_day"`
	LongOnly         bool            `json:"long_only" yaml:"long_only"`
	Restricted       []string        `json:"restricted,omitempty" yaml:"restricted,omitempty"`

	// The kill switch: KillDrawdownPct and KillDailyLossPct trip it (0 is
	// off); KillAction is "flatten" (the default), "halt" or "reduce";
	// KillAutoReset resets it at the start of the next calendar day.
	KillDrawdownPct  float64 `json:"kill_drawdown_pct" yaml:"kill_drawdown_pct"`
	KillDailyLossPct float64 `json:"kill_daily_loss_pct" yaml:"kill_daily_loss_pct"`
	KillAction       string  `json:"kill_action" yaml:"kill_action"`
	KillAutoReset    bool    `json:"kill_auto_reset" yaml:"kill_auto_reset"`
	// KillAuthorization is what a reset of the kill switch must present;
	// empty, no manual reset is possible. It is never written out.
	KillAuthorization string `json:"-" yaml:"-"`

	// BreakerFailures is how many consecutive failures of a component open
	// its circuit breaker: 0 means the default, 5; a negative number never
	// opens it. BreakerCooldown is how long, in simulated time, it stays
	// open: a Go duration ("24h", "90m"); empty means 24h.
	BreakerFailures int    `json:"breaker_failures" yaml:"breaker_failures"`
	BreakerCooldown string `json:"breaker_cooldown" yaml:"breaker_cooldown"`
	// OnError is what a failing handler (a strategy that panics, say)
	// does: "continue" (the default) isolates it; "stop" ends the run.
	OnError string `json:"on_error" yaml:"on_error"`

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
// one unit, the smacross strategy, no costs, the nearest intrabar path, a
// margin account without a leverage limit.
func DefaultConfig() Config {
	return Config{
		Strategy:      "smacross",
		Params:        strategy.Params{},
		Cash:          decimal.NewFromInt(100000),
		Size:          decimal.NewFromInt(1),
		OnBadRow:      "fail",
		OnError:       "continue",
		SlippageModel: "fixed",
		IntrabarPath:  "nearest",
		Account:       "margin",

		KillAction:      "flatten",
		BreakerFailures: 5,
		BreakerCooldown: "24h",
	}
}

// Validate reports settings that cannot make a run.
func (c *Config) Validate() error {
	// Magnitudes first: arithmetic on, or even printing of, a decimal
	// such as 1e100000000 would take minutes and gigabytes.
	if err := c.checkRanges(); err != nil {
		return err
	}
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
	if _, err := c.slippageModel(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.commissionModel(); err != nil {
		errs = append(errs, err)
	}
	if _, err := broker.ParseIntrabarPath(c.IntrabarPath); err != nil {
		errs = append(errs, err)
	}
	if _, err := broker.ParseAccountType(c.Account); err != nil {
		errs = append(errs, err)
	}
	for _, v := range []struct {
		name string
		d    decimal.Decimal
	}{{"max volume share", c.MaxVolumeShare}, {"margin leverage", c.MarginLeverage},
		{"maintenance margin", c.MaintenanceMargin}, {"borrow rate", c.BorrowRate}, {"fixed commission", c.CommissionFixed}} {
		if v.d.IsNegative() {
			errs = append(errs, fmt.Errorf("%s %s is negative", v.name, v.d))
		}
	}
	if c.MaxVolumeShare.GreaterThan(decimal.NewFromInt(1)) {
		errs = append(errs, fmt.Errorf("max volume share %s is above 1 (it is a fraction: 0.025 = 2.5 %%)", c.MaxVolumeShare))
	}
	if c.MaintenanceMargin.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		errs = append(errs, fmt.Errorf("maintenance margin %s must be below 1 (a fraction of gross exposure)", c.MaintenanceMargin))
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
	if err := c.limits().Validate(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.killOptions(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.breaker(); err != nil {
		errs = append(errs, err)
	}
	switch c.OnError {
	case "", "continue", "stop":
	default:
		errs = append(errs, fmt.Errorf("on error %q: want continue or stop", c.OnError))
	}
	return errors.Join(errs...)
}

// The bounds of the decimal settings: at most maxIntDigits digits before
// the decimal point and maxScale after it.
const (
	maxIntDigits = 18
	maxScale     = 18
)

// checkRanges refuses decimal settings too large or too finely divided to
// be meant, before anything computes with them.
func (c *Config) checkRanges() error {
	var errs []error
	for _, v := range []struct {
		name string
		d    decimal.Decimal
	}{
		{"cash", c.Cash}, {"size", c.Size}, {"size percent", c.SizePct},
		{"commission percent", c.CommissionPct}, {"commission per share", c.CommissionPerShare},
		{"minimum commission", c.CommissionMin}, {"slippage bps", c.SlippageBps},
		{"max position", c.MaxPosition}, {"max position value", c.MaxPositionValue},
		{"max order value", c.MaxOrderValue}, {"max leverage", c.MaxLeverage},
	} {
		exp := int64(v.d.Exponent())
		if v.d.IsZero() {
			continue
		}
		if exp < -maxScale || int64(v.d.NumDigits())+exp > maxIntDigits {
			coef := v.d.Coefficient().String()
			if len(coef) > 20 {
				coef = coef[:20] + "..."
			}
			errs = append(errs, fmt.Errorf("%s %se%d is out of range: at most %d digits before the decimal point and %d after",
				v.name, coef, exp, maxIntDigits, maxScale))
		}
	}
	return errors.Join(errs...)
}

func (c *Config) limits() risk.Limits {
	return risk.Limits{
		MaxPosition: c.MaxPosition, MaxPositionValue: c.MaxPositionValue,
		MaxOrderValue: c.MaxOrderValue, MaxLeverage: c.MaxLeverage,
		MaxOrdersPerBar: c.MaxOrdersPerBar, MaxOrdersPerDay: c.MaxOrdersPerDay,
		LongOnly: c.LongOnly, Restricted: c.Restricted,
	}
}

func (c *Config) killOptions() (risk.KillSwitchOptions, error) {
	action, err := risk.ParseKillAction(c.KillAction)
	if err != nil {
		return risk.KillSwitchOptions{}, err
	}
	o := risk.KillSwitchOptions{
		MaxDrawdownPct: c.KillDrawdownPct, MaxDailyLossPct: c.KillDailyLossPct,
		Action: action, Authorization: c.KillAuthorization, AutoReset: c.KillAutoReset,
	}
	return o, o.Validate()
}

// breaker returns the circuit-breaker settings, defaults filled in.
func (c *Config) breaker() (engine.BreakerConfig, error) {
	b := engine.DefaultBreakerConfig()
	if c.BreakerFailures != 0 {
		b.Failures = c.BreakerFailures
	}
	if c.BreakerCooldown != "" {
		d, err := time.ParseDuration(c.BreakerCooldown)
		if err != nil {
			return b, fmt.Errorf("breaker cool-down %q: want a duration such as 24h or 90m", c.BreakerCooldown)
		}
		if d < 0 {
			return b, fmt.Errorf("breaker cool-down %q: must not be negative", c.BreakerCooldown)
		}
		b.Cooldown = d
	}
	return b, nil
}

// DataOptions returns the options of the CSV reader for the data settings:
// the options Run opens cfg.Data with, for reading other files the same way.
func (c *Config) DataOptions() (data.Options, error) { return c.dataOptions() }

// dataOptions turns the data settings into options for the CSV reader.
func (c *Config) dataOptions() (data.Options, error) {
	opts := data.Options{Symbol: c.Symbol, TimeLayout: c.TimeLayout, Order: c.Order}
	switch c.OnBadRow {
	case "", "fail":
		opts.BadRows = data.FailOnBadRow
	case "skip":
		opts.BadRows = data.SkipBadRow
	default:
		return opts, fmt.Errorf("on bad row %q: want fail or skip", c.OnBadRow)
	}
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
	return broker.Commission{Percent: c.CommissionPct, PerShare: c.CommissionPerShare, Minimum: c.CommissionMin, Maximum: c.CommissionMax}
}

// commissionModel returns the commission models the config asks for, in
// one sum. Each call returns fresh state (the tiers' monthly volume).
func (c *Config) commissionModel() (broker.CommissionModel, error) {
	pct := c.commission()
	if err := pct.Validate(); err != nil {
		return nil, err
	}
	models := broker.Commissions{pct}
	if c.CommissionFixed.IsPositive() {
		models = append(models, broker.FixedCommission{Amount: c.CommissionFixed})
	}
	if c.CommissionTiers != "" {
		t, err := ParseTiers(c.CommissionTiers)
		if err != nil {
			return nil, err
		}
		models = append(models, t)
	}
	if len(models) == 1 {
		return pct, nil
	}
	return models, nil
}

// ParseTiers parses commission tiers written "from:per_share,...".
func ParseTiers(s string) (*broker.TieredCommission, error) {
	t := &broker.TieredCommission{}
	for _, part := range strings.Split(s, ",") {
		from, rate, ok := strings.Cut(strings.TrimSpace(part), ":")
		f, err1 := decimal.NewFromString(strings.TrimSpace(from))
		r, err2 := decimal.NewFromString(strings.TrimSpace(rate))
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("commission tiers %q: %q is not from:per_share", s, part)
		}
		t.Tiers = append(t.Tiers, broker.Tier{From: f, PerShare: r})
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("commission tiers %q: %w", s, err)
	}
	return t, nil
}

func (c *Config) slippage() broker.Slippage { return broker.Slippage{BPS: c.SlippageBps} }

// slippageModel returns the slippage model the config names.
func (c *Config) slippageModel() (broker.SlippageModel, error) {
	switch c.SlippageModel {
	case "", "fixed":
		s := c.slippage()
		return s, s.Validate()
	case "volume":
		impact := c.VolumeImpact
		if impact.IsZero() {
			impact = decimal.RequireFromString("0.1")
		}
		v := broker.VolumeShare{Impact: impact}
		return v, v.Validate()
	}
	return nil, fmt.Errorf("slippage model %q: want fixed or volume", c.SlippageModel)
}
