package backtest

import (
	"fmt"
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

// Config describes one run, in groups. The zero value of every field
// means its default, so a Config built in Go needs only the settings it
// changes. Each field has a dotted path made of its groups' and its own
// yaml names (costs.commission.pct): the key of the config file, the
// argument of Set and of the command line's --set, and the name Validate
// reports a bad value by. Its JSON form is the effective configuration
// saved with the results; money is written as exact decimal strings.
type Config struct {
	// Data says which CSV files to read and how.
	Data DataConfig `json:"data" yaml:"data"`
	// Strategy is what trades: a built-in strategy or an orders file.
	Strategy StrategyConfig `json:"strategy" yaml:"strategy"`
	// Account is the money and the account's rules.
	Account AccountConfig `json:"account" yaml:"account"`
	// Sizing turns a strategy's signals into order quantities.
	Sizing SizingConfig `json:"sizing" yaml:"sizing"`
	// Costs are the commission and slippage of each fill.
	Costs CostsConfig `json:"costs" yaml:"costs"`
	// Execution are the rules of matching orders against bars.
	Execution ExecutionConfig `json:"execution" yaml:"execution"`
	// Risk are the pre-trade guard's rules, each off at its zero value.
	Risk RiskConfig `json:"risk" yaml:"risk"`
	// KillSwitch are the kill switch's rules.
	KillSwitch KillSwitchConfig `json:"kill_switch" yaml:"kill_switch"`
	// Breaker configures the components' circuit breakers and what a
	// failing handler does.
	Breaker BreakerConfig `json:"breaker" yaml:"breaker"`
	// Analysis configures the metrics and the report.
	Analysis AnalysisConfig `json:"analysis" yaml:"analysis"`
	// Seed seeds any randomness of the run. Nothing in the engine is
	// random yet; the seed is recorded in the manifest.
	Seed int64 `json:"seed" yaml:"seed"`
}

// DataConfig says which CSV files a run reads and how to read them.
type DataConfig struct {
	// Files are the CSV files, one symbol each. An entry NAME=PATH names
	// its file's symbol (letters, digits, '.', '_' and '-'); an entry
	// PATH has the symbol Symbol for a single file, else the file name
	// without its extension. The symbols must differ.
	Files []string `json:"files" yaml:"files"`
	// Catalog is a folder of Parquet files made by 'quantloop ingest',
	// one per symbol, read in place of Files: every symbol of the
	// catalog, or those of Symbols in their order. A run replaces it by
	// the files it names (see Config.UseCatalog). Left out when empty.
	Catalog string `json:"catalog,omitempty" yaml:"catalog,omitempty"`
	// Symbol overrides the symbol of a single data file.
	Symbol string `json:"symbol" yaml:"symbol"`
	// Symbols are the run's symbols, in the data's order. A run whose
	// bars come from elsewhere than Files (RunFeed) records them, since
	// no file names them; when given, a run checks that the data's
	// symbols are these. Left out when empty.
	Symbols []string `json:"symbols,omitempty" yaml:"symbols,omitempty"`
	// TimeLayout is a Go time layout for the time column; empty to detect.
	TimeLayout string `json:"time_layout" yaml:"time_layout"`
	// Timezone names the zone of times that carry none (default UTC).
	Timezone string `json:"timezone" yaml:"timezone"`
	// Header says whether the files' first line names the columns.
	Header data.HeaderMode `json:"header" yaml:"header"`
	// Columns maps fields (time, date, clock, open, high, low, close,
	// volume) to header names that the usual spellings do not find.
	Columns map[string]string `json:"columns" yaml:"columns"`
	// Order names the field of each column by position, for files without
	// a usable header ("" ignores a column).
	Order []string `json:"order" yaml:"order"`
	// Delimiter is the field separator (zero: a comma).
	Delimiter Delimiter `json:"delimiter" yaml:"delimiter"`
	// OnBadRow is what a bad data row does: fail ends the run; skip drops
	// the row, counts it and goes on.
	OnBadRow data.BadRowPolicy `json:"on_bad_row" yaml:"on_bad_row"`
	// From and To restrict the run to the bars whose date, in Timezone's
	// zone, lies between them, both inclusive; a zero Date is no bound.
	// The bars before From are warm-up: each goes into its symbol's
	// strategy History (the strategy's Lookback bars, see
	// strategy.Runner.Warm) and, for a strategy.Warmer, to its Warm, and
	// nothing else; no other strategy method is called for them, no order
	// can be sent, nothing fills and no equity is recorded before From.
	// Reading stops at the first bar after To.
	// Left out of the saved configuration when zero.
	From Date `json:"from,omitzero" yaml:"from,omitempty"`
	To   Date `json:"to,omitzero" yaml:"to,omitempty"`
	// Adjust is how prices are read: raw (the default) as written, or
	// adjusted, each bar's open, high, low and close scaled by its
	// Adj Close / Close (see data.AdjustPrices). Left out of the saved
	// configuration when raw.
	Adjust data.Adjust `json:"adjust,omitzero" yaml:"adjust,omitempty"`
	// Actions is a corporate-actions CSV file (date,symbol,split,dividend;
	// see data.ParseActions) whose splits and dividends take effect at
	// the start of their ex-dates. Left out of the saved configuration
	// when empty.
	Actions string `json:"actions,omitempty" yaml:"actions,omitempty"`
}

// StrategyConfig names what trades in a run.
type StrategyConfig struct {
	// Name is the built-in strategy's name (empty: DefaultStrategy).
	Name string `json:"name" yaml:"name"`
	// Params are the strategy's parameters, as text.
	Params strategy.Params `json:"params" yaml:"params"`
	// Orders is an orders file replayed instead of a strategy.
	Orders string `json:"orders" yaml:"orders"`
	// Schedule, when not empty, changes the strategy's params within the
	// run: each entry is a time and the params from then on, merged over
	// Params ("2005-01-03T00:00:00Z fast=10 slow=50"; see
	// strategy.ParseStep and strategy.Scheduled), in increasing order of
	// time. Each entry's strategy is warmed up with the bars before it
	// (see strategy.Warmer). The strategy does not trade before the first
	// entry. Left out
	// of the saved configuration when empty.
	Schedule []string `json:"schedule,omitempty" yaml:"schedule,omitempty"`
}

// AccountConfig is the starting money and the account's rules.
type AccountConfig struct {
	// Cash is the starting cash (zero: DefaultCash).
	Cash decimal.Decimal `json:"cash" yaml:"cash"`
	// Type is a margin (the default) or a cash account.
	Type broker.AccountType `json:"type" yaml:"type"`
	// MarginLeverage, when positive, caps a margin account's gross
	// exposure at MarginLeverage × equity; zero is Risk.MaxLeverage, or
	// unlimited when that is zero too.
	MarginLeverage decimal.Decimal `json:"margin_leverage" yaml:"margin_leverage"`
	// MaintenanceMargin, when positive, is the fraction of gross exposure
	// below which equity triggers a margin call.
	MaintenanceMargin decimal.Decimal `json:"maintenance_margin" yaml:"maintenance_margin"`
	// BorrowRate is the annual fee on short market value, in percent.
	BorrowRate decimal.Decimal `json:"borrow_rate" yaml:"borrow_rate"`
	// NoShort lists symbols that cannot be sold short.
	NoShort []string `json:"no_short" yaml:"no_short"`
}

// SizingConfig turns signals into order quantities: a fixed Size or a
// percent of equity, Pct. At most one may be set; neither is DefaultPct of
// the run's number of symbols (the equity split equally among them).
type SizingConfig struct {
	Size decimal.Decimal `json:"size" yaml:"size"`
	Pct  decimal.Decimal `json:"pct" yaml:"pct"`
	// Places is the number of decimal places, from 0 to MaxSizingPlaces,
	// of the quantities sized from equity: by Pct, for a weight signal,
	// and by Context.Rebalance; each is rounded toward zero. Zero trades
	// whole units. Left out of the saved configuration when zero.
	Places int `json:"places,omitempty" yaml:"places,omitempty"`
}

// MaxSizingPlaces is the most decimal places of sizing.places.
const MaxSizingPlaces = 8

// CostsConfig are the costs of each fill.
type CostsConfig struct {
	Commission CommissionConfig `json:"commission" yaml:"commission"`
	Slippage   SlippageConfig   `json:"slippage" yaml:"slippage"`
}

// CommissionConfig is the commission of an order: the sum of a percent of
// traded value, a charge per unit, a fixed charge and tiered per-unit
// rates, kept between Min and Max.
type CommissionConfig struct {
	// Pct is a percent of traded value (0.1 = 0.1 %).
	Pct decimal.Decimal `json:"pct" yaml:"pct"`
	// PerShare is charged per unit traded.
	PerShare decimal.Decimal `json:"per_share" yaml:"per_share"`
	// Min is the least commission an order pays.
	Min decimal.Decimal `json:"min" yaml:"min"`
	// Max caps the commission of one order (zero for none).
	Max decimal.Decimal `json:"max" yaml:"max"`
	// Fixed is charged once per order, on its first fill.
	Fixed decimal.Decimal `json:"fixed" yaml:"fixed"`
	// Tiers is a per-unit commission tiered by the units traded in the
	// calendar month: "0:0.005,300000:0.003" charges 0.005 per unit until
	// 300000 units have traded in the month, then 0.003.
	Tiers string `json:"tiers" yaml:"tiers"`
}

// SlippageConfig moves fill prices against the trader.
type SlippageConfig struct {
	// Model is fixed (Bps) or volume (VolumeImpact × the square of the
	// share of bar volume taken).
	Model broker.SlippageKind `json:"model" yaml:"model"`
	// Bps is the fixed model's slippage in basis points.
	Bps decimal.Decimal `json:"bps" yaml:"bps"`
	// VolumeImpact is the volume model's impact factor (zero:
	// DefaultVolumeImpact).
	VolumeImpact decimal.Decimal `json:"volume_impact" yaml:"volume_impact"`
}

// ExecutionConfig are the rules of matching orders against bars.
type ExecutionConfig struct {
	// IntrabarPath is the assumed order of each bar's high and low.
	IntrabarPath broker.IntrabarPath `json:"intrabar_path" yaml:"intrabar_path"`
	// MaxVolumeShare, when positive, is the largest fraction of a bar's
	// volume that fills on it (0.025 = 2.5 %).
	MaxVolumeShare decimal.Decimal `json:"max_volume_share" yaml:"max_volume_share"`
	// CloseAtEnd closes open positions at the last close.
	CloseAtEnd bool `json:"close_at_end" yaml:"close_at_end"`
}

// RiskConfig are the risk guard's rules, each off at its zero value (see
// risk.Limits). Values are measured at the last close.
type RiskConfig struct {
	MaxPosition      decimal.Decimal `json:"max_position" yaml:"max_position"`
	MaxPositionValue decimal.Decimal `json:"max_position_value" yaml:"max_position_value"`
	MaxOrderValue    decimal.Decimal `json:"max_order_value" yaml:"max_order_value"`
	// MaxLeverage is also a margin account's limit unless
	// Account.MarginLeverage is set.
	MaxLeverage     decimal.Decimal `json:"max_leverage" yaml:"max_leverage"`
	MaxOrdersPerBar int             `json:"max_orders_per_bar" yaml:"max_orders_per_bar"`
	MaxOrdersPerDay int             `json:"max_orders_per_day" yaml:"max_orders_per_day"`
	LongOnly        bool            `json:"long_only" yaml:"long_only"`
	Restricted      []string        `json:"restricted" yaml:"restricted"`
}

// KillSwitchConfig are the kill switch's rules.
type KillSwitchConfig struct {
	// DrawdownPct and DailyLossPct trip the switch, in percent (0 is off).
	DrawdownPct  float64 `json:"drawdown_pct" yaml:"drawdown_pct"`
	DailyLossPct float64 `json:"daily_loss_pct" yaml:"daily_loss_pct"`
	// Action is what a trip does besides canceling working orders.
	Action risk.KillAction `json:"action" yaml:"action"`
	// AutoReset resets the switch at the start of the next calendar day.
	AutoReset bool `json:"auto_reset" yaml:"auto_reset"`
	// Authorization is what a reset of the kill switch must present;
	// empty, no manual reset is possible. It is never written out, and no
	// path sets it.
	Authorization string `json:"-" yaml:"-"`
}

// BreakerConfig configures the circuit breakers and the error policy.
type BreakerConfig struct {
	// Failures is how many consecutive failures of a component open its
	// circuit breaker: 0 means the default, 5; a negative number never
	// opens it.
	Failures int `json:"failures" yaml:"failures"`
	// Cooldown is how long, in simulated time, a breaker stays open (zero:
	// 24h).
	Cooldown Duration `json:"cooldown" yaml:"cooldown"`
	// OnError is what a failing handler (a strategy that panics, say)
	// does: by default (stop-strategy) a strategy's failure ends the run
	// and other components' are isolated; continue isolates every
	// failure; stop ends the run at any failure.
	OnError ErrorPolicy `json:"on_error" yaml:"on_error"`
}

// AnalysisConfig configures the metrics and the report.
type AnalysisConfig struct {
	// PeriodsPerYear annualizes the metrics; 0 infers it from the bar
	// spacing (252 for daily bars).
	PeriodsPerYear float64 `json:"periods_per_year" yaml:"periods_per_year"`
	// RiskFree is the annual risk-free rate (0.02 = 2 %), turned into a
	// per-period rate (1+rf)^(1/P)-1 for the Sharpe, Sortino and
	// probabilistic Sharpe ratios and alpha.
	RiskFree float64 `json:"risk_free" yaml:"risk_free"`
	// Benchmark is the data file whose buy-and-hold is the benchmark of
	// the report (alpha, beta, information ratio, capture).
	Benchmark Benchmark `json:"benchmark" yaml:"benchmark"`
	// Trials is the number of configurations tried before this one, for
	// the deflated Sharpe ratio; 0 or 1 means this run was the only one.
	Trials int `json:"trials" yaml:"trials"`
	// Outputs is which output files a run writes: full (the default),
	// lean or metrics (see OutputLevel). It changes no number of
	// results.json. Left out of the config when full.
	Outputs OutputLevel `json:"outputs,omitempty" yaml:"outputs,omitempty"`
}

// The defaults of settings whose zero value stands for something else.
const (
	// DefaultStrategy is the strategy of a Config whose Strategy.Name and
	// Strategy.Orders are empty.
	DefaultStrategy = "smacross"
	// DefaultCash is the starting cash of a Config whose Account.Cash is
	// zero.
	DefaultCash = 100000
	// DefaultVolumeImpact is the volume slippage model's impact factor
	// when Costs.Slippage.VolumeImpact is zero.
	DefaultVolumeImpact = "0.1"
)

// Benchmark names the benchmark of a run: a data file, or none. Its zero
// value is the first data file.
type Benchmark struct {
	// File is the benchmark's data file; empty for the first data file.
	File string
	// Off turns the benchmark off; File is then ignored.
	Off bool
}

// NoBenchmark is the text of a Benchmark that is off.
const NoBenchmark = "none"

// MarshalText returns the file, or NoBenchmark when b is off.
func (b Benchmark) MarshalText() ([]byte, error) {
	if b.Off {
		return []byte(NoBenchmark), nil
	}
	return []byte(b.File), nil
}

// UnmarshalText sets b from a file name, or NoBenchmark for none.
func (b *Benchmark) UnmarshalText(text []byte) error {
	*b = Benchmark{File: string(text), Off: string(text) == NoBenchmark}
	if b.Off {
		b.File = ""
	}
	return nil
}

// Duration is a time.Duration written as Go writes durations ("24h",
// "1h30m", "90s").
type Duration time.Duration

// String returns d as time.Duration writes it, without zero trailing
// units: 24h rather than 24h0m0s.
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MarshalText returns d as String writes it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a Go duration ("24h", "90m").
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 24h or 90m", text)
	}
	*d = Duration(v)
	return nil
}

// Delimiter is a field separator: one character, zero for a comma.
type Delimiter rune

// MarshalText returns the character (a comma for zero).
func (d Delimiter) MarshalText() ([]byte, error) {
	if d == 0 {
		return []byte(","), nil
	}
	return []byte(string(rune(d))), nil
}

// UnmarshalText reads one character; empty text is zero.
func (d *Delimiter) UnmarshalText(text []byte) error {
	r := []rune(string(text))
	switch len(r) {
	case 0:
		*d = 0
	case 1:
		*d = Delimiter(r[0])
	default:
		return fmt.Errorf("%q must be one character", text)
	}
	return nil
}

// BenchmarkFile returns the benchmark's data file: Analysis.Benchmark's
// file (the path of the data file whose entry or symbol it is), or the
// first data file's path when it is empty, or "" for none.
func (c *Config) BenchmarkFile() string {
	b := c.Analysis.Benchmark
	switch {
	case b.Off:
		return ""
	case b.File != "":
		for _, f := range c.Data.DataFiles() {
			if b.File == f.Symbol || b.File == f.String() {
				return f.Path
			}
		}
		return b.File
	case len(c.Data.Files) > 0:
		return ParseDataFile(c.Data.Files[0]).Path
	}
	return ""
}

// BenchmarkName returns the name of the benchmark in outputs: the symbol
// of its data file when the data.files entry names one (NAME=PATH), else
// BenchmarkFile.
func (c *Config) BenchmarkName() string {
	file := c.BenchmarkFile()
	for _, f := range c.Data.DataFiles() {
		if f.Symbol != "" && f.Path == file {
			return f.Symbol
		}
	}
	return file
}

// DefaultConfig returns the effective defaults: DefaultCash, the
// DefaultStrategy, no costs, the nearest intrabar path, a margin account
// without a leverage limit. Its sizing is left empty: a run resolves it
// from its number of symbols (see DefaultPct). A zero Config runs the same
// way.
func DefaultConfig() Config {
	var c Config
	c.fillDefaults(0)
	c.Sizing = SizingConfig{}
	c.Strategy.Name = DefaultStrategy
	c.Strategy.Params = strategy.Params{}
	return c
}

// DefaultPct returns the percent of equity a long or short signal is
// sized at when neither sizing.size nor sizing.pct is given, in a run of
// n symbols: the equity split equally, 100 / n (rounded half up to 16
// decimal places; 100 when n < 2). A signal of each symbol then holds a
// position worth its share of equity at the signal bar's close.
func DefaultPct(n int) decimal.Decimal {
	if n < 2 {
		return decimal.NewFromInt(100)
	}
	return decimal.NewFromInt(100).DivRound(decimal.NewFromInt(int64(n)), 16)
}

// fillDefaults writes the defaults of empty settings into c, so that the
// saved configuration is the effective one; symbols is the number of the
// run's symbols, for the default sizing.
func (c *Config) fillDefaults(symbols int) {
	if c.Account.Cash.IsZero() {
		c.Account.Cash = decimal.NewFromInt(DefaultCash)
	}
	if c.Sizing.Size.IsZero() && c.Sizing.Pct.IsZero() {
		c.Sizing.Pct = DefaultPct(symbols)
	}
	if c.Costs.Slippage.VolumeImpact.IsZero() {
		c.Costs.Slippage.VolumeImpact = decimal.RequireFromString(DefaultVolumeImpact)
	}
	if c.Data.Delimiter == 0 {
		c.Data.Delimiter = ','
	}
	b := c.breaker()
	c.Breaker.Failures, c.Breaker.Cooldown = b.Failures, Duration(b.Cooldown)
	// Empty rather than null in results.json, as in config.yaml.
	for _, l := range []*[]string{&c.Data.Files, &c.Data.Order, &c.Account.NoShort, &c.Risk.Restricted} {
		if *l == nil {
			*l = []string{}
		}
	}
	if c.Data.Columns == nil {
		c.Data.Columns = map[string]string{}
	}
	if c.Strategy.Params == nil {
		c.Strategy.Params = strategy.Params{}
	}
}

func (c *Config) limits() risk.Limits {
	r := c.Risk
	return risk.Limits{
		MaxPosition: r.MaxPosition, MaxPositionValue: r.MaxPositionValue,
		MaxOrderValue: r.MaxOrderValue, MaxLeverage: r.MaxLeverage,
		MaxOrdersPerBar: r.MaxOrdersPerBar, MaxOrdersPerDay: r.MaxOrdersPerDay,
		LongOnly: r.LongOnly, Restricted: r.Restricted,
	}
}

func (c *Config) killOptions() risk.KillSwitchOptions {
	k := c.KillSwitch
	return risk.KillSwitchOptions{
		MaxDrawdownPct: k.DrawdownPct, MaxDailyLossPct: k.DailyLossPct,
		Action: k.Action, Authorization: k.Authorization, AutoReset: k.AutoReset,
	}
}

// breaker returns the circuit-breaker settings, defaults filled in.
func (c *Config) breaker() engine.BreakerConfig {
	b := engine.DefaultBreakerConfig()
	if c.Breaker.Failures != 0 {
		b.Failures = c.Breaker.Failures
	}
	if c.Breaker.Cooldown != 0 {
		b.Cooldown = time.Duration(c.Breaker.Cooldown)
	}
	return b
}

// DataOptions returns the options of the CSV reader for the data settings:
// the options Run opens the data files with, for reading other files the
// same way.
func (c *Config) DataOptions() (data.Options, error) {
	d := c.Data
	opts := data.Options{Symbol: d.Symbol, TimeLayout: d.TimeLayout,
		BadRows: d.OnBadRow, Header: d.Header, Comma: rune(d.Delimiter), Adjust: d.Adjust}
	if len(d.Order) > 0 {
		opts.Order = d.Order
	}
	loc, err := c.location()
	if err != nil {
		return opts, err
	}
	if d.Timezone != "" {
		opts.Location = loc
	}
	cols := map[string]*string{
		"time": &opts.Columns.Time, "date": &opts.Columns.Date, "clock": &opts.Columns.Clock,
		"open": &opts.Columns.Open, "high": &opts.Columns.High, "low": &opts.Columns.Low,
		"close": &opts.Columns.Close, "volume": &opts.Columns.Volume, "adj_close": &opts.Columns.AdjClose,
	}
	for field, name := range d.Columns {
		p, ok := cols[field]
		if !ok {
			return opts, fmt.Errorf("data.columns.%s: unknown field (want time, date, clock, open, high, low, close, volume or adj_close)", field)
		}
		*p = name
	}
	return opts, nil
}

// location returns the zone of data.timezone (UTC when empty).
func (c *Config) location() (*time.Location, error) {
	if c.Data.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(c.Data.Timezone)
	if err != nil {
		return nil, fmt.Errorf("data.timezone: %q: %w", c.Data.Timezone, err)
	}
	return loc, nil
}

// sizer returns the sizer of c's sizing, which fillDefaults has filled.
func (c *Config) sizer() portfolio.Sizer {
	return portfolio.Sizer{Quantity: c.Sizing.Size, Percent: c.Sizing.Pct, Places: int32(c.Sizing.Places)}
}

// InitialCash returns the starting cash: Account.Cash, or DefaultCash
// when it is zero.
func (c *Config) InitialCash() decimal.Decimal {
	if c.Account.Cash.IsZero() {
		return decimal.NewFromInt(DefaultCash)
	}
	return c.Account.Cash
}

func (c *Config) commission() broker.Commission {
	m := c.Costs.Commission
	return broker.Commission{Percent: m.Pct, PerShare: m.PerShare, Minimum: m.Min, Maximum: m.Max}
}

// commissionModel returns the commission models the config asks for, in
// one sum. Each call returns fresh state (the tiers' monthly volume).
func (c *Config) commissionModel() (broker.CommissionModel, error) {
	pct := c.commission()
	m := c.Costs.Commission
	models := broker.Commissions{pct}
	if m.Fixed.IsPositive() {
		models = append(models, broker.FixedCommission{Amount: m.Fixed})
	}
	if m.Tiers != "" {
		t, err := ParseTiers(m.Tiers)
		if err != nil {
			return nil, fmt.Errorf("costs.commission.tiers: %w", err)
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
			return nil, fmt.Errorf("%q: %q is not from:per_share", s, part)
		}
		if err := checkDigits(f); err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
		if err := checkDigits(r); err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
		t.Tiers = append(t.Tiers, broker.Tier{From: f, PerShare: r})
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%q: %w", s, err)
	}
	return t, nil
}

// slippageModel returns the slippage model the config names.
func (c *Config) slippageModel() broker.SlippageModel {
	s := c.Costs.Slippage
	if s.Model == broker.VolumeSlippage {
		impact := s.VolumeImpact
		if impact.IsZero() {
			impact = decimal.RequireFromString(DefaultVolumeImpact)
		}
		return broker.VolumeShare{Impact: impact}
	}
	return broker.Slippage{BPS: s.Bps}
}
