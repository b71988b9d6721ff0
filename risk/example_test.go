package risk_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/risk"
	"github.com/quantloop/quantloop/strategy"
)

// feed returns daily bars of symbol from 2024-01-01, one per price, each
// with open = high = low = close.
func feed(symbol string, prices ...string) engine.Feed {
	bars := make([]engine.Bar, len(prices))
	for i, s := range prices {
		p, err := engine.ParsePrice(s)
		if err != nil {
			panic(err)
		}
		t := time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC)
		bars[i] = engine.Bar{Time: t, Open: p, High: p, Low: p, Close: p}
	}
	src, err := data.NewMemory(symbol, bars)
	if err != nil {
		panic(err)
	}
	f, err := data.Merge(src)
	if err != nil {
		panic(err)
	}
	return f
}

// onFirstBar is a strategy that runs do on its first bar only.
type onFirstBar struct {
	do   func(ctx *strategy.Context)
	done bool
}

func (s *onFirstBar) OnBar(ctx *strategy.Context, _ engine.Bar) error {
	if !s.done {
		s.done = true
		s.do(ctx)
	}
	return nil
}

// The guard sits in front of the broker: an order worth more than 50000
// at the last close is refused, a smaller one goes through.
func ExampleGuard() {
	e := engine.New(feed("AAA", "100", "101"))
	pf := portfolio.New(e, portfolio.Options{Cash: decimal.NewFromInt(100000)})
	guard := risk.NewGuard(e, pf, risk.Limits{MaxOrderValue: decimal.NewFromInt(50000)}, nil)
	broker.New(e, broker.Options{Account: pf, Guard: guard})
	strategy.NewRunner(e, "demo", &onFirstBar{do: func(ctx *strategy.Context) {
		ctx.Submit("AAA", engine.Buy, decimal.NewFromInt(600)) // 600 × 100 = 60000
		ctx.Submit("AAA", engine.Buy, decimal.NewFromInt(400)) // 400 × 100 = 40000
	}}, pf)
	engine.Subscribe(e.Bus(), "print", func(r *engine.OrderRejected) error {
		fmt.Printf("order %d rejected: %s\n", r.Order.ID, r.Reason)
		return nil
	})
	engine.Subscribe(e.Bus(), "print", func(f *engine.FillEvent) error {
		fmt.Printf("order %d filled: %s %s %s at %s\n", f.OrderID, f.Side, f.Quantity, f.Symbol, f.Price)
		return nil
	})
	if _, err := e.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	fmt.Println("refusals:", risk.RefusalCounts(guard.Refusals()))
	// Output:
	// order 1 rejected: max-order-value: order value 60000 > max 50000
	// order 2 filled: buy 400 AAA at 101
	// refusals: max-order-value=1
}

// A kill switch trips when equity falls 10 % below its peak: 1000 AAA
// bought at 100 are worth 85000 at the third close, a 15 % drawdown. The
// trip cancels the limit order still working and sells the position at
// the next open, through commands on the engine's bus.
func ExampleKillSwitch() {
	e := engine.New(feed("AAA", "100", "100", "85", "90"))
	pf := portfolio.New(e, portfolio.Options{Cash: decimal.NewFromInt(100000)})
	ks := risk.NewKillSwitch(e, pf, risk.KillSwitchOptions{MaxDrawdownPct: 10})
	guard := risk.NewGuard(e, pf, risk.Limits{}, ks)
	broker.New(e, broker.Options{Account: pf, Guard: guard})
	strategy.NewRunner(e, "demo", &onFirstBar{do: func(ctx *strategy.Context) {
		ctx.Submit("AAA", engine.Buy, decimal.NewFromInt(1000))
		bid, _ := engine.ParsePrice("50")
		ctx.SubmitOrder(engine.Order{Symbol: "AAA", Side: engine.Buy, Type: engine.Limit, Limit: bid, Quantity: decimal.NewFromInt(10)})
	}}, pf)
	engine.Subscribe(e.Bus(), "print", func(k *engine.KillSwitchEvent) error {
		fmt.Printf("%s kill switch %s: %s\n", k.Time.Format(time.DateOnly), k.Action, k.Reason)
		return nil
	})
	engine.Subscribe(e.Bus(), "print", func(c *engine.OrderCanceled) error {
		fmt.Printf("%s order %d canceled\n", c.Time.Format(time.DateOnly), c.Order.ID)
		return nil
	})
	engine.Subscribe(e.Bus(), "print", func(f *engine.FillEvent) error {
		fmt.Printf("%s order %d filled: %s %s %s at %s\n", f.Time.Format(time.DateOnly), f.OrderID, f.Side, f.Quantity, f.Symbol, f.Price)
		return nil
	})
	if _, err := e.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	fmt.Println("final cash:", pf.Cash())
	// Output:
	// 2024-01-02 order 1 filled: buy 1000 AAA at 100
	// 2024-01-03 kill switch trip: drawdown 15.00 % from peak 100000.00 to 85000.00 > max 10 %
	// 2024-01-03 order 2 canceled
	// 2024-01-04 order 3 filled: sell 1000 AAA at 90
	// final cash: 90000
}
