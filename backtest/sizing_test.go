package backtest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// flatFeed returns a feed of symbols, each with n daily bars whose open,
// high, low and close are its price.
func flatFeed(t *testing.T, n int, prices map[string]float64, symbols ...string) *data.Merged {
	t.Helper()
	var srcs []data.Source
	for _, s := range symbols {
		x := engine.PriceFromFloat(prices[s])
		var bars []engine.Bar
		for i := range n {
			bars = append(bars, engine.Bar{Time: time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC), Open: x, High: x, Low: x, Close: x, Volume: 1000})
		}
		m, err := data.NewMemory(s, bars)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, m)
	}
	feed, err := data.Merge(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	return feed
}

// Without sizing.size or sizing.pct a signal is sized at the equity split
// equally among the symbols; an explicit setting replaces the default.
// buyhold signals long at the first bar; the order fills at the second.
func TestDefaultSizing(t *testing.T) {
	prices := map[string]float64{"X": 9, "Y": 20, "Z": 7}
	tests := []struct {
		name    string
		symbols []string
		size    string // sizing.size, "" for none
		pct     string
		want    string // fills, by hand
		wantPct string // the saved sizing.pct
	}{
		// 100 % of 100000 at 9: 11111.1 → 11111
		{"one symbol", []string{"X"}, "", "", "X 11111", "100"},
		// 50 % each: 50000 / 9 = 5555.6 → 5555; 50000 / 20 = 2500
		{"two symbols", []string{"X", "Y"}, "", "", "X 5555 Y 2500", "50"},
		// 33.3333333333333333 %: 33333.33 / 9 → 3703; / 20 → 1666; / 7 → 4761
		{"three symbols", []string{"X", "Y", "Z"}, "", "", "X 3703 Y 1666 Z 4761", "33.3333333333333333"},
		{"explicit size", []string{"X", "Y"}, "3", "", "X 3 Y 3", "0"},
		// 10 % of 100000 at 9: 1111.1 → 1111
		{"explicit pct", []string{"X"}, "", "10", "X 1111", "10"},
	}
	for _, tc := range tests {
		cfg := DefaultConfig()
		cfg.Strategy.Name = "buyhold"
		if tc.size != "" {
			cfg.Sizing.Size = decimal.RequireFromString(tc.size)
		}
		if tc.pct != "" {
			cfg.Sizing.Pct = decimal.RequireFromString(tc.pct)
		}
		s, err := strategy.New("buyhold", nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := RunFeed(context.Background(), cfg, flatFeed(t, 3, prices, tc.symbols...), s)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Fills {
			got = append(got, f.Symbol+" "+f.Quantity.String())
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: fills %s, want %s", tc.name, g, tc.want)
		}
		if g := res.Config.Sizing.Pct.String(); g != tc.wantPct {
			t.Errorf("%s: saved sizing.pct %s, want %s", tc.name, g, tc.wantPct)
		}
	}
	var both Config
	both.Sizing.Size, both.Sizing.Pct = decimal.NewFromInt(1), decimal.NewFromInt(10)
	if err := both.Validate(); err == nil || !strings.Contains(err.Error(), "sizing.size") {
		t.Errorf("size and pct both given: %v", err)
	}
}

// The average exposure is the mean of gross exposure / equity over the
// equity points, and above 0 and below 1 % it is the warning
// low_exposure.
func TestLowExposure(t *testing.T) {
	tests := []struct {
		size     string
		exposure float64 // by hand: points 0, then two at 10 / 100000 (size 1)
		warning  string
	}{
		{"1", 2.0 / 3 * 10 / 100000, "low_exposure: the average exposure was 0.0067 % of equity, below 1 %: the positions are too small for the returns to say much (see sizing.size and sizing.pct)"},
		{"", 2.0 / 3, ""}, // 100 % of 100000 at 10: 10000 units, exposure 1
		// 1000 × 10 / 100000 = 10 % on two points of three: 6.67 %, no warning
		{"1000", 2.0 / 3 * 0.1, ""},
		// 1 unit at 10 on a cash of 2000000: 10 / 2000000 on two points of
		// three = 0.00033 %, rounded to 0.0003 in the message
		{"cash", 2.0 / 3 * 10 / 2000000, "low_exposure: the average exposure was 0.0003 % of equity, below 1 %: the positions are too small for the returns to say much (see sizing.size and sizing.pct)"},
	}
	for _, tc := range tests {
		cfg := DefaultConfig()
		cfg.Strategy.Name = "buyhold"
		switch tc.size {
		case "":
		case "cash":
			cfg.Sizing.Size, cfg.Account.Cash = decimal.NewFromInt(1), decimal.NewFromInt(2000000)
		default:
			cfg.Sizing.Size = decimal.RequireFromString(tc.size)
		}
		s, _ := strategy.New("buyhold", nil)
		res, err := RunFeed(context.Background(), cfg, flatFeed(t, 3, map[string]float64{"X": 10}, "X"), s)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.AvgExposure-tc.exposure) > 1e-12 {
			t.Errorf("size %q: average exposure %v, want %v", tc.size, res.AvgExposure, tc.exposure)
		}
		var ws []string
		for _, w := range res.Warnings() {
			ws = append(ws, fmt.Sprintf("%s: %s", w.Code, w.Message))
		}
		if g := strings.Join(ws, "; "); g != tc.warning {
			t.Errorf("size %q: warnings %q, want %q", tc.size, g, tc.warning)
		}
	}
}

// A run that never holds a position has no low_exposure warning.
func TestNoPositionNoExposureWarning(t *testing.T) {
	cfg := DefaultConfig()
	s, _ := strategy.New("smacross", nil) // 3 bars: never crosses
	res, err := RunFeed(context.Background(), cfg, flatFeed(t, 3, map[string]float64{"X": 10}, "X"), s)
	if err != nil {
		t.Fatal(err)
	}
	if res.AvgExposure != 0 || len(res.Warnings()) != 0 {
		t.Errorf("exposure %v, warnings %v", res.AvgExposure, res.Warnings())
	}
}

// TestSizingPlaces: sizing.places sets the decimal places of the
// quantities the sizer and Context.Rebalance trade. With 1 000 of cash
// and X at 30, half the equity is 500 / 30 = 16.666…: 16 whole units by
// default, 16.66 with places 2, rounded toward zero either way.
func TestSizingPlaces(t *testing.T) {
	for _, tc := range []struct {
		places int
		want   string
	}{{0, "16"}, {2, "16.66"}} {
		for _, how := range []string{"signal", "rebalance"} {
			cfg := DefaultConfig()
			cfg.Account.Cash = decimal.NewFromInt(1000)
			cfg.Sizing.Pct = decimal.NewFromInt(50)
			cfg.Sizing.Places = tc.places
			res := runScript(t, cfg, ocBars("X", "30/30", "30/30", "30/30"), script{
				0: func(ctx *strategy.Context) {
					if how == "signal" {
						ctx.Signal("X", engine.TargetLong)
						return
					}
					if _, err := ctx.Rebalance(map[string]float64{"X": 0.5}); err != nil {
						t.Error(err)
					}
				},
			})
			if len(res.Fills) != 1 || res.Fills[0].Quantity.String() != tc.want {
				t.Errorf("places %d, %s: fills %v, want one of %s", tc.places, how, execFills(res), tc.want)
			}
		}
	}
	cfg := DefaultConfig()
	for _, p := range []int{-1, 9} {
		cfg.Sizing.Places = p
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "sizing.places: ") {
			t.Errorf("places %d: %v", p, err)
		}
	}
}
