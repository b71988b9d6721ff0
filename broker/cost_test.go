package broker

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

func TestCommission(t *testing.T) {
	tests := []struct {
		c          Commission
		qty, price string
		want       string
	}{
		{Commission{}, "100", "12.34", "0"},
		{Commission{Percent: testkit.MustDec("0.1")}, "100", "12.34", "1.234"},          // 0.1 % of 1234
		{Commission{Percent: testkit.MustDec("0.02")}, "3", "2.179012", "0.0013074072"}, // exact, unrounded
		{Commission{PerShare: testkit.MustDec("0.01")}, "250", "40", "2.5"},
		{Commission{PerShare: testkit.MustDec("0.005"), Minimum: testkit.MustDec("1")}, "100", "40", "1"}, // 0.5 raised to the minimum
		{Commission{PerShare: testkit.MustDec("0.005"), Minimum: testkit.MustDec("1")}, "1000", "40", "5"},
		{Commission{Percent: testkit.MustDec("0.1"), PerShare: testkit.MustDec("0.01")}, "10", "100", "1.1"},
	}
	for _, tc := range tests {
		if got := tc.c.For(testkit.MustDec(tc.qty), testkit.MustDec(tc.price)); !got.Equal(testkit.MustDec(tc.want)) {
			t.Errorf("%+v on %s @ %s = %s, want %s", tc.c, tc.qty, tc.price, got, tc.want)
		}
	}
	if (Commission{Percent: testkit.MustDec("-1")}).Validate() == nil {
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
		got := Slippage{BPS: testkit.MustDec(tc.bps)}.Apply(testkit.MustDec(tc.price), tc.buy)
		if !got.Equal(testkit.MustDec(tc.want)) {
			t.Errorf("%s bps on %s (buy %v) = %s, want %s", tc.bps, tc.price, tc.buy, got, tc.want)
		}
	}
}

// TestCommissionPerOrder: the minimum and the maximum apply per order
// across partial fills.
func TestCommissionPerOrder(t *testing.T) {
	c := Commission{PerShare: testkit.MustDec("0.01"), Minimum: testkit.MustDec("1"), Maximum: testkit.MustDec("2.5")}
	// Fills of 60, 60 and 200 units at 10: the order's fee is 0.6 → 1
	// (minimum), 1.2 → 1.2, 3.2 → 2.5 (maximum): charged 1, 0.2, 1.3.
	var q, v, paid decimal.Decimal
	var got []string
	for _, n := range []string{"60", "60", "200"} {
		fee := c.Charge(FillCost{Quantity: testkit.MustDec(n), Price: testkit.MustDec("10"), OrderQuantity: q, OrderValue: v, OrderPaid: paid})
		got = append(got, fee.String())
		q, v, paid = q.Add(testkit.MustDec(n)), v.Add(testkit.MustDec(n).Mul(testkit.MustDec("10"))), paid.Add(fee)
	}
	if want := "1 0.2 1.3"; fmt.Sprint(strings.Join(got, " ")) != want {
		t.Errorf("charges %v, want %s", got, want)
	}
	if (Commission{Minimum: testkit.MustDec("2"), Maximum: testkit.MustDec("1")}).Validate() == nil {
		t.Error("a maximum below the minimum validated")
	}
}

func TestFixedAndTieredCommission(t *testing.T) {
	f := FixedCommission{Amount: testkit.MustDec("4.95")}
	if got := f.Charge(FillCost{Quantity: testkit.MustDec("10")}); !got.Equal(testkit.MustDec("4.95")) {
		t.Errorf("fixed first fill = %s", got)
	}
	if got := f.Charge(FillCost{Quantity: testkit.MustDec("10"), OrderQuantity: testkit.MustDec("5")}); !got.IsZero() {
		t.Errorf("fixed later fill = %s", got)
	}
	tc := &TieredCommission{Tiers: []Tier{{testkit.MustDec("0"), testkit.MustDec("0.01")}, {testkit.MustDec("1000"), testkit.MustDec("0.005")}}}
	jan := time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)
	feb := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		t    time.Time
		qty  string
		want string
	}{
		{jan, "600", "6"},   // month volume 0: 0.01
		{jan, "600", "6"},   // 600 before it: still the first tier
		{jan, "100", "0.5"}, // 1200 before it: 0.005
		{feb, "100", "1"},   // a new month starts over
	}
	for i, s := range steps {
		if got := tc.Charge(FillCost{Time: s.t, Quantity: testkit.MustDec(s.qty)}); !got.Equal(testkit.MustDec(s.want)) {
			t.Errorf("tier step %d: %s, want %s", i, got, s.want)
		}
	}
	if (&TieredCommission{Tiers: []Tier{{testkit.MustDec("5"), testkit.MustDec("1")}, {testkit.MustDec("5"), testkit.MustDec("1")}}}).Validate() == nil {
		t.Error("tiers out of order validated")
	}
	sum := Commissions{Commission{Percent: testkit.MustDec("0.1")}, f}
	if got := sum.Charge(FillCost{Quantity: testkit.MustDec("10"), Price: testkit.MustDec("100")}); !got.Equal(testkit.MustDec("5.95")) {
		t.Errorf("sum = %s, want 5.95", got)
	}
}

func TestVolumeShareSlippage(t *testing.T) {
	v := VolumeShare{Impact: testkit.MustDec("0.1")}
	tests := []struct {
		side   engine.Side
		qty    string
		volume float64
		want   string
	}{
		{engine.Buy, "100", 1000, "100.1"},   // share 0.1: 100 × (1 + 0.1 × 0.01)
		{engine.Sell, "250", 1000, "99.375"}, // share 0.25: 100 × (1 − 0.1 × 0.0625)
		{engine.Buy, "10", 0, "110"},         // no volume: share 1
		{engine.Buy, "1", 3, "101.11111111"}, // 100 × (1 + 0.1/9), rounded to 8 places
	}
	for _, tc := range tests {
		if got := v.Slip(testkit.MustDec("100"), tc.side, testkit.MustDec(tc.qty), tc.volume); !got.Equal(testkit.MustDec(tc.want)) {
			t.Errorf("%v %s of %v: %s, want %s", tc.side, tc.qty, tc.volume, got, tc.want)
		}
	}
	if got := (Slippage{BPS: testkit.MustDec("5")}).Slip(testkit.MustDec("100"), engine.Sell, testkit.MustDec("1"), 0); !got.Equal(testkit.MustDec("99.95")) {
		t.Errorf("fixed slip = %s", got)
	}
}
