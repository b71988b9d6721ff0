package strategy_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/indicator"
	"github.com/quantloop/quantloop/strategy"
)

// weeklyFilter buys when the daily close crosses above its 5-day SMA while
// the weekly close is above its 3-week SMA, and sells when the daily close
// crosses back below. The weekly SMA updates once a week, when a week's
// bar completes (on the first daily bar of the next week).
type weeklyFilter struct {
	daily, weekly *indicator.Chain
	lastWeek      float64
	cross         indicator.Cross
}

var week = data.Timeframe{N: 1, Unit: data.Week}

func (s *weeklyFilter) Timeframes() []data.Timeframe { return []data.Timeframe{week} }

func (s *weeklyFilter) OnCoarseBar(ctx *strategy.Context, tf data.Timeframe, b engine.Bar) error {
	s.weekly.UpdateBar(b)
	s.lastWeek = b.Close.Float64()
	return nil
}

func (s *weeklyFilter) OnBar(ctx *strategy.Context, b engine.Bar) error {
	s.daily.UpdateBar(b)
	if !s.daily.Ready() {
		return nil
	}
	up, down := s.cross.Update(b.Close.Float64(), s.daily.Value())
	uptrend := s.weekly.Ready() && s.lastWeek > s.weekly.Value()
	switch pos := ctx.Position(b.Symbol); {
	case up && uptrend && pos.IsZero():
		ctx.Signal(b.Symbol, engine.TargetLong)
	case down && pos.IsPositive():
		ctx.Signal(b.Symbol, engine.TargetFlat)
	}
	return nil
}

// Example_multiTimeframe runs a daily entry filtered by a weekly trend.
func Example_multiTimeframe() {
	var bars []engine.Bar
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a Monday
	for i := range 60 {
		// five weeks down, then up, with an eight-day swing
		trend := -0.6*float64(min(i, 25)) + 0.6*float64(max(i-25, 0))
		c := 100 + trend + []float64{0, 2, 3, 2, 0, -2, -3, -2}[i%8]
		p := engine.PriceFromFloat(c)
		bars = append(bars, engine.Bar{Time: day, Open: p, High: p + engine.PriceScale, Low: p - engine.PriceScale, Close: p})
		if day = day.AddDate(0, 0, 1); day.Weekday() == time.Saturday {
			day = day.AddDate(0, 0, 2)
		}
	}
	src, _ := data.NewMemory("DEMO", bars)
	feed, _ := data.Merge(src)
	s := &weeklyFilter{
		daily:  indicator.On(indicator.NewSMA(5), indicator.Close),
		weekly: indicator.On(indicator.NewSMA(3), indicator.Close),
	}
	cfg := backtest.DefaultConfig()
	cfg.Sizing.Size = decimal.NewFromInt(1) // one unit a trade: the timing is the point
	res, err := backtest.RunFeed(context.Background(), cfg, feed, s)
	if err != nil {
		panic(err)
	}
	for _, f := range res.Fills {
		fmt.Println(f.Time.Format("Mon 2006-01-02"), f.Side, f.Quantity, "@", f.Price)
	}
	// The daily close crosses above its SMA every eight days; in the five
	// falling weeks the weekly filter keeps the strategy out.

	// Output:
	// Mon 2024-02-26 buy 1 @ 94
	// Mon 2024-03-04 sell 1 @ 95
	// Thu 2024-03-07 buy 1 @ 98.8
	// Thu 2024-03-14 sell 1 @ 99.8
	// Tue 2024-03-19 buy 1 @ 103.6
}
