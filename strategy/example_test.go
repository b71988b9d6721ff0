package strategy_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// threeUp buys 5 units after three higher closes in a row and sells them
// after a lower close. It reads its history and position from the Context
// and submits orders directly, bypassing the sizer.
type threeUp struct{}

func (threeUp) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	h := ctx.History(bar.Symbol)
	if h.Len() < 4 {
		return nil
	}
	pos := ctx.Position(bar.Symbol)
	rising := h.Ago(0).Close > h.Ago(1).Close && h.Ago(1).Close > h.Ago(2).Close && h.Ago(2).Close > h.Ago(3).Close
	switch {
	case pos.IsZero() && rising:
		ctx.Submit(bar.Symbol, engine.Buy, decimal.NewFromInt(5))
	case pos.IsPositive() && h.Ago(0).Close < h.Ago(1).Close:
		ctx.Submit(bar.Symbol, engine.Sell, pos)
	}
	return nil
}

// Example shows a strategy written in Go, run over bars made in memory,
// with a typed result.
func Example() {
	closes := []float64{10, 10.5, 11, 11.5, 12, 11.8, 12.2, 12.5, 12.9, 13.4, 13.1}
	var bars []engine.Bar
	for i, c := range closes {
		p := engine.PriceFromFloat(c)
		bars = append(bars, engine.Bar{
			Time: time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC),
			Open: p - engine.PriceScale/10, High: p + engine.PriceScale/10, Low: p - engine.PriceScale/5, Close: p,
		})
	}
	src, err := data.NewMemory("DEMO", bars)
	if err != nil {
		panic(err)
	}
	feed, err := data.Merge(src)
	if err != nil {
		panic(err)
	}
	cfg := backtest.DefaultConfig()
	cfg.Strategy.Name = "three-up"
	cfg.Costs.Commission.PerShare = decimal.RequireFromString("0.01")
	res, err := backtest.RunFeed(context.Background(), cfg, feed, threeUp{})
	if err != nil {
		panic(err)
	}
	for _, f := range res.Fills {
		fmt.Println(f.Time.Format("2006-01-02"), f.Side, f.Quantity, "@", f.Price, "fee", f.Commission)
	}
	for _, t := range res.Trades {
		fmt.Println(t.Side(), t.Status(), "net", t.PnLNet)
	}
	fmt.Println("final equity", res.FinalEquity)
	// Worked by hand: three higher closes end on 01-04 and 01-09; the
	// buys fill at the next opens (close - 0.1). The lower close of 01-06
	// sells at 01-07's open; the one of 01-11, the last bar, can no
	// longer fill, so the second trade stays open, marked at 13.1.

	// Output:
	// 2024-01-05 buy 5 @ 11.9 fee 0.05
	// 2024-01-07 sell 5 @ 12.1 fee 0.05
	// 2024-01-10 buy 5 @ 13.3 fee 0.05
	// long closed net 0.9
	// long open net -0.05
	// final equity 99999.85
}
