package backtest

import (
	"strings"
	"testing"
)

func TestValidateSchedule(t *testing.T) {
	for _, c := range []struct {
		schedule []string
		orders   string
		want     string // "" for valid
	}{
		{[]string{"2020-01-02 fast=5", "2020-02-03T00:00:00Z fast=7"}, "", ""},
		{[]string{"2020-01-02 fast=5", "2020-01-02 fast=7"}, "", "strategy.schedule: entry 2: 2020-01-02T00:00:00Z is not after entry 1's 2020-01-02T00:00:00Z"},
		{[]string{"soon fast=5"}, "", `strategy.schedule: entry 1: step "soon fast=5": "soon" is not a time`},
		{[]string{"2020-01-02 fast=5"}, "orders.csv", "strategy.schedule: a schedule changes a strategy's params; it cannot go with strategy.orders"},
	} {
		var cfg Config
		cfg.Strategy.Schedule, cfg.Strategy.Orders = c.schedule, c.orders
		err := cfg.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%v: %v, want %q", c.schedule, err, c.want)
		}
	}
	// A schedule's params are checked when the strategy is made.
	cfg := Config{Strategy: StrategyConfig{Schedule: []string{"2020-01-02 fast=50"}}}
	if _, err := cfg.NewStrategy(); err == nil || !strings.Contains(err.Error(), "fast (50) must be less than slow (30)") {
		t.Errorf("NewStrategy: %v", err)
	}
}
