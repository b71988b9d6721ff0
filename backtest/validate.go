package backtest

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/risk"
)

// The bounds of every decimal setting: at most MaxIntDigits digits before
// the decimal point and MaxScale after it.
const (
	MaxIntDigits = 18
	MaxScale     = 18
)

// Validate reports every setting that cannot make a run, each named by its
// path ("costs.commission.min: -1 must not be negative"), joined in one
// error. Zero values are valid: they mean the defaults.
func (c *Config) Validate() error {
	v := &validator{}
	// Magnitudes first: arithmetic on, or even printing of, a decimal
	// such as 1e100000000 would take minutes and gigabytes.
	for _, f := range c.decimals() {
		v.add(f.path, checkDigits(*f.d))
	}
	if len(v.errs) > 0 {
		return errors.Join(v.errs...)
	}
	for _, f := range c.decimals() {
		if f.d.IsNegative() {
			v.fail(f.path, "%s must not be negative", f.d)
		}
	}
	if len(c.Strategy.Schedule) > 0 {
		if c.Strategy.Orders != "" {
			v.fail("strategy.schedule", "a schedule changes a strategy's params; it cannot go with strategy.orders")
		}
		if _, err := c.ScheduleSteps(); err != nil {
			v.add("strategy.schedule", err)
		}
	}
	one := decimal.NewFromInt(1)
	if c.Sizing.Size.IsPositive() && c.Sizing.Pct.IsPositive() {
		v.fail("sizing", "set sizing.size (a fixed quantity) or sizing.pct (a percent of equity), not both")
	}
	if p := c.Sizing.Places; p < 0 || p > MaxSizingPlaces {
		v.fail("sizing.places", "%d must be from 0 (whole units) to %d decimal places", p, MaxSizingPlaces)
	}
	// The cost models' own bounds, for the values not already refused as
	// negative.
	m, s := c.Costs.Commission, c.Costs.Slippage
	for _, b := range []struct {
		path  string
		check interface{ Validate() error }
		vals  []decimal.Decimal
	}{
		{"costs.commission.pct", broker.Commission{Percent: m.Pct}, []decimal.Decimal{m.Pct}},
		{"costs.commission.max", broker.Commission{Minimum: m.Min, Maximum: m.Max}, []decimal.Decimal{m.Min, m.Max}},
		{"costs.slippage.bps", broker.Slippage{BPS: s.Bps}, []decimal.Decimal{s.Bps}},
		{"costs.slippage.volume_impact", broker.VolumeShare{Impact: s.VolumeImpact}, []decimal.Decimal{s.VolumeImpact}},
	} {
		if !slices.ContainsFunc(b.vals, decimal.Decimal.IsNegative) {
			v.add(b.path, b.check.Validate())
		}
	}
	if m.Tiers != "" {
		_, err := ParseTiers(m.Tiers)
		v.add("costs.commission.tiers", err)
	}
	if c.Execution.MaxVolumeShare.GreaterThan(one) {
		v.fail("execution.max_volume_share", "%s is above 1 (it is a fraction: 0.025 = 2.5 %%)", c.Execution.MaxVolumeShare)
	}
	if c.Account.MaintenanceMargin.GreaterThanOrEqual(one) {
		v.fail("account.maintenance_margin", "%s must be below 1 (a fraction of gross exposure)", c.Account.MaintenanceMargin)
	}
	a := c.Analysis
	if a.PeriodsPerYear < 0 || math.IsNaN(a.PeriodsPerYear) || math.IsInf(a.PeriodsPerYear, 0) {
		v.fail("analysis.periods_per_year", "%v must be a positive number (or 0 to infer it)", a.PeriodsPerYear)
	}
	if math.IsNaN(a.RiskFree) || math.IsInf(a.RiskFree, 0) || a.RiskFree <= -1 {
		v.fail("analysis.risk_free", "%v must be a number above -1", a.RiskFree)
	}
	if a.Trials < 0 {
		v.fail("analysis.trials", "%d must not be negative", a.Trials)
	}
	for _, k := range []struct {
		path string
		pct  float64
	}{{"kill_switch.drawdown_pct", c.KillSwitch.DrawdownPct}, {"kill_switch.daily_loss_pct", c.KillSwitch.DailyLossPct}} {
		if !(k.pct >= 0 && k.pct <= 100) {
			v.fail(k.path, "%v must be from 0 to 100 (percent)", k.pct)
		}
	}
	if c.KillSwitch.Action > risk.KillReduce {
		v.fail("kill_switch.action", "%v is not flatten, halt or reduce", c.KillSwitch.Action)
	}
	for _, n := range []struct {
		path string
		n    int
	}{{"risk.max_orders_per_bar", c.Risk.MaxOrdersPerBar}, {"risk.max_orders_per_day", c.Risk.MaxOrdersPerDay}} {
		if n.n < 0 {
			v.fail(n.path, "%d must not be negative", n.n)
		}
	}
	if c.Breaker.Cooldown < 0 {
		v.fail("breaker.cooldown", "%s must not be negative", c.Breaker.Cooldown)
	}
	if c.Costs.Slippage.Model > broker.VolumeSlippage {
		v.fail("costs.slippage.model", "%v is not fixed or volume", c.Costs.Slippage.Model)
	}
	if c.Data.Symbol != "" && len(c.Data.Files) > 1 {
		v.fail("data.symbol", "a symbol can be given only with a single data file (%d given)", len(c.Data.Files))
	}
	c.Data.checkFiles(v)
	if f, t := c.Data.From, c.Data.To; !f.IsZero() && !t.IsZero() && t.key() < f.key() {
		v.fail("data.to", "%s is before data.from, %s", t, f)
	}
	if c.Data.Adjust > data.AdjustPrices {
		v.fail("data.adjust", "%v is not raw or adjusted", c.Data.Adjust)
	}
	_, err := c.DataOptions()
	v.add("", err)
	return errors.Join(v.errs...)
}

// validator gathers Validate's errors.
type validator struct{ errs []error }

// fail adds the error "path: message".
func (v *validator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

// add adds err, prefixed by path unless path is empty; nil adds nothing.
func (v *validator) add(path string, err error) {
	switch {
	case err == nil:
	case path == "":
		v.errs = append(v.errs, err)
	default:
		v.errs = append(v.errs, fmt.Errorf("%s: %w", path, err))
	}
}

// decimalField is a decimal setting and its path.
type decimalField struct {
	path string
	d    *decimal.Decimal
}

// decimals returns every decimal setting of c with its path, in the
// order of the fields.
func (c *Config) decimals() []decimalField {
	m, s, r := &c.Costs.Commission, &c.Costs.Slippage, &c.Risk
	return []decimalField{
		{"account.cash", &c.Account.Cash}, {"account.margin_leverage", &c.Account.MarginLeverage},
		{"account.maintenance_margin", &c.Account.MaintenanceMargin}, {"account.borrow_rate", &c.Account.BorrowRate},
		{"sizing.size", &c.Sizing.Size}, {"sizing.pct", &c.Sizing.Pct},
		{"costs.commission.pct", &m.Pct}, {"costs.commission.per_share", &m.PerShare},
		{"costs.commission.min", &m.Min}, {"costs.commission.max", &m.Max}, {"costs.commission.fixed", &m.Fixed},
		{"costs.slippage.bps", &s.Bps}, {"costs.slippage.volume_impact", &s.VolumeImpact},
		{"execution.max_volume_share", &c.Execution.MaxVolumeShare},
		{"risk.max_position", &r.MaxPosition}, {"risk.max_position_value", &r.MaxPositionValue},
		{"risk.max_order_value", &r.MaxOrderValue}, {"risk.max_leverage", &r.MaxLeverage},
	}
}

// checkDigits refuses a decimal too large or too finely divided to be
// meant, before anything computes with it. The number is written from
// its coefficient and exponent, so that 1e100000000 prints short.
func checkDigits(d decimal.Decimal) error {
	if d.IsZero() {
		return nil
	}
	exp := int64(d.Exponent())
	if exp >= -MaxScale && int64(d.NumDigits())+exp <= MaxIntDigits {
		return nil
	}
	coef := d.Coefficient().String()
	if len(coef) > 20 {
		coef = coef[:20] + "..."
	}
	num := coef
	if exp != 0 {
		num = fmt.Sprintf("%se%d", coef, exp)
	}
	return fmt.Errorf("%s is out of range: at most %d digits before the decimal point and %d after", num, MaxIntDigits, MaxScale)
}
