package backtest

import (
	"errors"
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/strategy"
)

// Config describes one run. Its JSON form is the effective configuration
// saved with the results; money is written as exact decimal strings.
type Config struct {
	// Data are the CSV files, one symbol each (the file name without its
	// extension, unless Symbol is set for a single file).
	Data []string `json:"data"`
	// Symbol overrides the symbol of a single data file.
	Symbol string `json:"symbol,omitempty"`
	// TimeLayout is a Go time layout for the time column; empty to detect.
	TimeLayout string `json:"time_layout,omitempty"`
	// Timezone names the zone of times that carry none (default UTC).
	Timezone string `json:"timezone,omitempty"`

	// Strategy is the built-in strategy's name, with its Params.
	Strategy string          `json:"strategy"`
	Params   strategy.Params `json:"params"`

	// Cash is the starting cash.
	Cash decimal.Decimal `json:"cash"`
	// Size is a fixed order quantity; SizePct a percent of equity. Exactly
	// one must be set.
	Size    decimal.Decimal `json:"size"`
	SizePct decimal.Decimal `json:"size_pct"`

	// CommissionPct is a percent of traded value (0.1 = 0.1 %).
	CommissionPct decimal.Decimal `json:"commission_pct"`
	// CommissionPerShare is charged per unit traded.
	CommissionPerShare decimal.Decimal `json:"commission_per_share"`
	// CommissionMin is the least commission an order pays.
	CommissionMin decimal.Decimal `json:"commission_min"`
	// SlippageBps moves fill prices against the trader.
	SlippageBps decimal.Decimal `json:"slippage_bps"`

	// CloseAtEnd closes open positions at the last close.
	CloseAtEnd bool `json:"close_at_end"`
	// PeriodsPerYear annualizes the metrics; 0 infers it from the bar
	// spacing (252 for daily bars).
	PeriodsPerYear float64 `json:"periods_per_year"`
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
	if c.Symbol != "" && len(c.Data) > 1 {
		errs = append(errs, errors.New("a symbol can be given only with a single data file"))
	}
	return errors.Join(errs...)
}

func (c *Config) sizer() portfolio.Sizer {
	return portfolio.Sizer{Quantity: c.Size, Percent: c.SizePct}
}

func (c *Config) commission() broker.Commission {
	return broker.Commission{Percent: c.CommissionPct, PerShare: c.CommissionPerShare, Minimum: c.CommissionMin}
}

func (c *Config) slippage() broker.Slippage { return broker.Slippage{BPS: c.SlippageBps} }
