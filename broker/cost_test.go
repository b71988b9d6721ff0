package broker

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCommission(t *testing.T) {
	tests := []struct {
		c          Commission
		qty, price string
		want       string
	}{
		{Commission{}, "100", "12.34", "0"},
		{Commission{Percent: d("0.1")}, "100", "12.34", "1.234"},          // 0.1 % of 1234
		{Commission{Percent: d("0.02")}, "3", "2.179012", "0.0013074072"}, // exact, unrounded
		{Commission{PerShare: d("0.01")}, "250", "40", "2.5"},
		{Commission{PerShare: d("0.005"), Minimum: d("1")}, "100", "40", "1"}, // 0.5 raised to the minimum
		{Commission{PerShare: d("0.005"), Minimum: d("1")}, "1000", "40", "5"},
		{Commission{Percent: d("0.1"), PerShare: d("0.01")}, "10", "100", "1.1"},
	}
	for _, tc := range tests {
		if got := tc.c.For(d(tc.qty), d(tc.price)); !got.Equal(d(tc.want)) {
			t.Errorf("%+v on %s @ %s = %s, want %s", tc.c, tc.qty, tc.price, got, tc.want)
		}
	}
	if (Commission{Percent: d("-1")}).Validate() == nil {
		t.Error("negative percent passed Validate")
	}
}

func TestSlippage(t *testing.T) {
	tests := []struct {
		bps, price string
		buy        bool
		want       string
	}{
		{"0", "100", true, "100"},
		{"5", "100", true, "100.05"},
		{"5", "100", false, "99.95"},
		{"2.5", "2.179012", true, "2.17955675300"},
		{"10", "33.33", false, "33.29667"},
	}
	for _, tc := range tests {
		got := Slippage{BPS: d(tc.bps)}.Apply(d(tc.price), tc.buy)
		if !got.Equal(d(tc.want)) {
			t.Errorf("%s bps on %s (buy %v) = %s, want %s", tc.bps, tc.price, tc.buy, got, tc.want)
		}
	}
}
