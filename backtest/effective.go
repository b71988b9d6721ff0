package backtest

import (
	"errors"

	"github.com/quantloop/quantloop/strategy"
)

// Effective returns c with every default that does not depend on the
// data filled in, as its run writes it in config.yaml and results.json:
// the defaults of empty settings, the strategy's name (empty:
// DefaultStrategy; "orders" with an orders file) and its parameters with
// the strategy's defaults. Two configs that spell such a default
// differently (a setting left out, or given its default value) have one
// effective config. analysis.periods_per_year stays as given: 0 means
// inferred from the bars' spacing, which the run writes into its
// config.yaml. c must be valid and have data files.
func (c Config) Effective() (Config, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	if len(c.Data.Files) == 0 {
		return c, errors.New("data.files: no data files given")
	}
	if c.Strategy.Orders != "" {
		c.Strategy.Name, c.Strategy.Params = "orders", strategy.Params{}
	} else {
		if c.Strategy.Name == "" {
			c.Strategy.Name = DefaultStrategy
		}
		s, err := strategy.New(c.Strategy.Name, c.Strategy.Params)
		if err != nil {
			return c, err
		}
		c.Strategy.Params = strategy.ParamsOf(s, c.Strategy.Params)
	}
	c.fillDefaults(symbolCount(c))
	return c, nil
}
