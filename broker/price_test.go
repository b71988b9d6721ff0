package broker

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// TestCostBounds: each model's Validate takes the settings that make
// sense and refuses, with the setting named, those that do not: a
// slippage of 10000 bps or more would sell at zero or less, and a
// volume impact of 1 or more would on a bar taken whole.
func TestCostBounds(t *testing.T) {
	tests := []struct {
		name string
		v    interface{ Validate() error }
		want string // "" for valid
	}{
		{"slippage 0", Slippage{}, ""},
		{"slippage 9999.99999999", Slippage{BPS: testkit.MustDec("9999.99999999")}, ""},
		{"slippage 10000", Slippage{BPS: testkit.MustDec("10000")}, "slippage 10000 bps must be below 10000 (a sell would get a price of zero or less)"},
		{"slippage 15000", Slippage{BPS: testkit.MustDec("15000")}, "slippage 15000 bps must be below 10000 (a sell would get a price of zero or less)"},
		{"slippage negative", Slippage{BPS: testkit.MustDec("-1")}, "slippage -1 bps is negative"},
		{"impact 0.99", VolumeShare{Impact: testkit.MustDec("0.99")}, ""},
		{"impact 1", VolumeShare{Impact: testkit.MustDec("1")}, "volume-share impact 1 must be below 1 (a sell taking a whole bar would get a price of zero or less)"},
		{"impact negative", VolumeShare{Impact: testkit.MustDec("-0.1")}, "volume-share impact -0.1 is negative"},
		{"commission 99.9 %", Commission{Percent: testkit.MustDec("99.9")}, ""},
		{"commission 100 %", Commission{Percent: testkit.MustDec("100")}, "commission percent 100 must be below 100"},
		{"fixed commission", FixedCommission{Amount: testkit.MustDec("1")}, ""},
		{"fixed commission negative", FixedCommission{Amount: testkit.MustDec("-1")}, "fixed commission -1 is negative"},
	}
	for _, tt := range tests {
		err := tt.v.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Validate = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("%s: Validate = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestSlipStaysPositive: the volume-share model's price, rounded to the
// price grid, never reaches zero: a sell of a whole bar at 1e-8 with an
// impact of 0.99 is 1e-10 before rounding and gets the smallest price,
// 1e-8. The fixed model is exact: a sell at 9999 bps keeps 1/10000 of
// the price.
func TestSlipStaysPositive(t *testing.T) {
	tests := []struct {
		m     SlippageModel
		price string
		want  string
	}{
		{VolumeShare{Impact: testkit.MustDec("0.99")}, "0.00000001", "0.00000001"},
		{VolumeShare{Impact: testkit.MustDec("0.99")}, "1", "0.01"},
		{Slippage{BPS: testkit.MustDec("9999")}, "0.00000001", "0.000000000001"},
	}
	for _, tt := range tests {
		if got := tt.m.Slip(testkit.MustDec(tt.price), engine.Sell, testkit.MustDec("1000"), 1000); !got.Equal(testkit.MustDec(tt.want)) {
			t.Errorf("%+v sells at %s for %s, want %s", tt.m, got, tt.price, tt.want)
		}
	}
}

// TestFillPricePositive: a slippage model that makes a fill price zero
// or negative (unvalidated, or a library user's own) never gives a fill:
// the broker stops the run with an error that names the order, the
// model and the price.
func TestFillPricePositive(t *testing.T) {
	sell := engine.Order{Side: engine.Sell, Type: engine.Market, Quantity: decimal.NewFromInt(1)}
	for _, tt := range []struct {
		bps  string
		want string
	}{
		{"10000", "broker: order 1: slippage model broker.Slippage gives a fill price of 0 for 10: a fill price must be positive"},
		{"15000", "broker: order 1: slippage model broker.Slippage gives a fill price of -5 for 10: a fill price must be positive"},
	} {
		lines, _, err := runBrokerSetup(t, Options{Slippage: Slippage{BPS: testkit.MustDec(tt.bps)}},
			bars("10 10 10 10", "10 10 10 10", "10 10 10 10"), map[int][]engine.Order{0: {sell}}, nil)
		for _, l := range lines {
			t.Errorf("%s bps: event %s, want none", tt.bps, l)
		}
		if err == nil || !errors.Is(err, ErrFillPrice) || err.Error() != tt.want {
			t.Errorf("%s bps: run error %v, want %q", tt.bps, err, tt.want)
		}
	}
}
