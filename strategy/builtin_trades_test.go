package strategy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// runBuiltin runs the built-in strategy name over daily bars with
// open = high = low = close and returns its fills as "day side qty @ price".
func runBuiltin(t testing.TB, name string, p strategy.Params, closes []float64) []string {
	var bars []engine.Bar
	for i, c := range closes {
		x := engine.PriceFromFloat(c)
		bars = append(bars, engine.Bar{Time: time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC), Open: x, High: x, Low: x, Close: x})
	}
	src, err := data.NewMemory("X", bars)
	if err != nil {
		t.Fatal(err)
	}
	feed, err := data.Merge(src)
	if err != nil {
		t.Fatal(err)
	}
	s, err := strategy.New(name, p)
	if err != nil {
		t.Fatal(err)
	}
	cfg := backtest.DefaultConfig()
	cfg.Strategy.Name = name
	cfg.Sizing.Size = decimal.NewFromInt(1)
	res, err := backtest.RunFeed(context.Background(), cfg, feed, s)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range res.Fills {
		out = append(out, fmt.Sprintf("%d %s %s @ %s", f.Time.Day()-1, f.Side, f.Quantity, f.Price))
	}
	return out
}

// TestBuiltinTrades runs rsi and macd through a whole backtest on the
// series of their rule tests (oscillators_test.go): a signal at bar i
// fills at bar i+1's open, which here is its close.
func TestBuiltinTrades(t *testing.T) {
	tests := []struct {
		name   string
		p      strategy.Params
		closes []float64
		want   []string
	}{
		// long at bar 4 (RSI 16.67 < 30), flat at bar 7 (84.48 > 70)
		{"rsi", strategy.Params{"period": "2"}, []float64{10, 11, 12, 11, 9, 8, 10, 12, 13, 12},
			[]string{"5 buy 1 @ 8", "8 sell 1 @ 13"}},
		// short at bar 3, long at bar 5: one order reverses
		{"macd", strategy.Params{"fast": "1", "slow": "2", "signal": "2", "mode": "longshort"}, []float64{10, 10, 12, 12, 10, 10, 13},
			[]string{"4 sell 1 @ 10", "6 buy 2 @ 13"}},
		// long only: the down-cross at 3 finds no position; long at 5
		{"macd", strategy.Params{"fast": "1", "slow": "2", "signal": "2"}, []float64{10, 10, 12, 12, 10, 10, 13},
			[]string{"6 buy 1 @ 13"}},
	}
	for _, tt := range tests {
		got := runBuiltin(t, tt.name, tt.p, tt.closes)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s %v: fills %q, want %q", tt.name, tt.p, got, tt.want)
		}
	}
}
