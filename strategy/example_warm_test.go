package strategy_test

import (
	"context"
	"fmt"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// aboveMean buys, when flat, a close above the mean of the three closes
// before it, which it keeps itself.
type aboveMean struct{ last []float64 }

// Warm keeps the closes, exactly as OnBar does, and decides nothing.
func (s *aboveMean) Warm(_ *strategy.Context, b engine.Bar) error {
	s.last = append(s.last, b.Close.Float64())
	return nil
}

func (s *aboveMean) OnBar(ctx *strategy.Context, b engine.Bar) error {
	if n := len(s.last); n >= 3 && ctx.Position(b.Symbol).IsZero() {
		mean := (s.last[n-1] + s.last[n-2] + s.last[n-3]) / 3
		if b.Close.Float64() > mean {
			ctx.Signal(b.Symbol, engine.TargetLong)
		}
	}
	return s.Warm(ctx, b)
}

// A strategy that keeps its own state implements Warm to build it from
// the bars before data.from (and, under a schedule, from the bars before
// its step): here it decides at the range's first bar, where without Warm
// it would wait three bars.
func ExampleWarmer() {
	var bars []engine.Bar
	for d := 1; d <= 5; d++ {
		p := engine.PriceFromFloat(float64(9 + d))
		bars = append(bars, engine.Bar{Time: time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC), Open: p, High: p, Low: p, Close: p})
	}
	src, _ := data.NewMemory("DEMO", bars)
	feed, _ := data.Merge(src)
	cfg := backtest.DefaultConfig()
	cfg.Data.From = backtest.NewDate(2024, time.January, 4)
	res, err := backtest.RunFeed(context.Background(), cfg, feed, &aboveMean{})
	if err != nil {
		panic(err)
	}
	for _, o := range res.Orders {
		fmt.Println("decided", o.Time.Format(time.DateOnly), "filled", o.FillTime.Format(time.DateOnly), o.Side, o.FilledQuantity, "@", o.FillPrice)
	}
	// At 01-04 the close, 13, is above the mean of 10, 11 and 12; the
	// default sizing buys all of the 100000 cash at that close: 7692
	// whole units.

	// Output:
	// decided 2024-01-04 filled 2024-01-05 buy 7692 @ 14
}
