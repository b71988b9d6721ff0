package strategy_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// memoryFeed merges in-memory daily bars from 2024-03-01 on, one close a
// day per symbol, each bar opening at its close.
func memoryFeed(closes map[string][]float64, symbols ...string) engine.Feed {
	var srcs []data.Source
	for _, s := range symbols {
		var bars []engine.Bar
		for i, c := range closes[s] {
			p := engine.PriceFromFloat(c)
			bars = append(bars, engine.Bar{Time: time.Date(2024, 3, 1+i, 0, 0, 0, 0, time.UTC), Open: p, High: p, Low: p, Close: p})
		}
		src, err := data.NewMemory(s, bars)
		if err != nil {
			panic(err)
		}
		srcs = append(srcs, src)
	}
	f, err := data.Merge(srcs...)
	if err != nil {
		panic(err)
	}
	return f
}

// halves holds half of its equity in each of two symbols, decided once
// per timestamp, and prints what becomes of its orders.
type halves struct{ done bool }

func (h *halves) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (h *halves) OnBars(ctx *strategy.Context, bars []engine.Bar) error {
	if h.done {
		return nil
	}
	h.done = true
	_, err := ctx.Rebalance(map[string]float64{"AAA": 0.5, "BBB": 0.5})
	return err
}

func (h *halves) OnOrder(ctx *strategy.Context, u strategy.OrderUpdate) error {
	if u.Event == strategy.OrderFilledEvent {
		fmt.Printf("%s %s %s %s @ %s, cash %s\n", u.Time.Format("01-02"), u.Order.Side, u.Quantity, u.Order.Symbol, u.Price, ctx.Cash())
	}
	return nil
}

// The Context's Rebalance moves a cash account to target weights: 5 000
// at AAA's close of 10 is 500 units, at BBB's close of 40, 125 units.
func ExampleContext_Rebalance() {
	cfg := backtest.DefaultConfig()
	cfg.Account.Type = broker.CashAccount
	cfg.Account.Cash = decimal.NewFromInt(10000)
	feed := memoryFeed(map[string][]float64{"AAA": {10, 10}, "BBB": {40, 40}}, "AAA", "BBB")
	if _, err := backtest.RunFeed(context.Background(), cfg, feed, &halves{}); err != nil {
		panic(err)
	}
	// Output:
	// 03-02 buy 500 AAA @ 10, cash 5000
	// 03-02 buy 125 BBB @ 40, cash 0
}

// monthly prints the first bar of each month and what the histories hold.
type monthly struct{}

func (monthly) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (monthly) OnStart(ctx *strategy.Context) error {
	return ctx.Schedule(strategy.FirstBarOf(strategy.Month), func(ctx *strategy.Context) error {
		fmt.Println(ctx.Time().Format("2006-01-02"), "AAA bars:", ctx.History("AAA").Len())
		return nil
	})
}

// A schedule fires on the data's own timestamps: the first bar of March
// is the data's first, the first of April is 04-01.
func ExampleContext_Schedule() {
	closes := make([]float64, 35) // 03-01 to 04-04
	for i := range closes {
		closes[i] = 10
	}
	feed := memoryFeed(map[string][]float64{"AAA": closes}, "AAA")
	if _, err := backtest.RunFeed(context.Background(), backtest.DefaultConfig(), feed, monthly{}); err != nil {
		panic(err)
	}
	// Output:
	// 2024-03-01 AAA bars: 1
	// 2024-04-01 AAA bars: 32
}

// young trades only symbols with at least two bars.
type young struct{}

func (young) OnBar(*strategy.Context, engine.Bar) error { return nil }
func (young) OnStart(ctx *strategy.Context) error {
	ctx.SetUniverse(strategy.Universe{MinHistory: 2})
	return nil
}
func (young) OnBars(ctx *strategy.Context, _ []engine.Bar) error {
	fmt.Println(ctx.Time().Format("01-02"), ctx.Universe(), "of", ctx.Symbols())
	return nil
}

// SetUniverse narrows the symbols Universe (and Rebalance) work on. A
// symbol keeps its bars when it has none at a timestamp: BBB, whose data
// ends on 03-02, stays in the universe.
func ExampleContext_SetUniverse() {
	feed := memoryFeed(map[string][]float64{"AAA": {1, 1, 1}, "BBB": {2, 2}}, "AAA", "BBB")
	if _, err := backtest.RunFeed(context.Background(), backtest.DefaultConfig(), feed, young{}); err != nil {
		panic(err)
	}
	// Output:
	// 03-01 [] of [AAA BBB]
	// 03-02 [AAA BBB] of [AAA BBB]
	// 03-03 [AAA BBB] of [AAA BBB]
}

// watcher places one order and prints every report on it, and the
// working orders at the next bar.
type watcher struct{ id uint64 }

func (w *watcher) OnBar(ctx *strategy.Context, b engine.Bar) error {
	if w.id == 0 {
		w.id = ctx.Submit(b.Symbol, engine.Buy, decimal.NewFromInt(3))
		fmt.Println("working:", len(ctx.Orders()))
	}
	return nil
}

func (w *watcher) OnOrder(ctx *strategy.Context, u strategy.OrderUpdate) error {
	fmt.Println(u.Time.Format("01-02"), "order", u.Order.ID, u.Event, u.Quantity)
	st, _ := ctx.Order(u.Order.ID)
	fmt.Println("  state", st.State, "filled", st.Filled)
	return nil
}

// An OrderObserver hears of its orders' acceptance and fills; Orders
// lists the working ones, Order gives one's status.
func ExampleOrderObserver() {
	feed := memoryFeed(map[string][]float64{"AAA": {10, 11}}, "AAA")
	if _, err := backtest.RunFeed(context.Background(), backtest.DefaultConfig(), feed, &watcher{}); err != nil {
		panic(err)
	}
	// Output:
	// working: 1
	// 03-01 order 1 accepted 0
	//   state accepted filled 0
	// 03-02 order 1 filled 3
	//   state filled filled 3
}

// A program registers its own strategies before handing the command line
// to cli.Main; New then checks params against their description.
func ExampleRegister() {
	if !slices.Contains(strategy.Names(), "example-hold") { // Register panics on a name given twice
		strategy.Register("example-hold", func(p strategy.Params) (strategy.Strategy, error) {
			return &strategy.BuyHold{}, nil
		})
	}
	_, err := strategy.New("example-hold", strategy.Params{"size": "2"})
	fmt.Println(err)
	specs, _ := strategy.Describe("rotation")
	for _, s := range specs {
		fmt.Printf("%s %s default %s (%s)\n", s.Name, s.Type, s.Default, s.Range())
	}
	// Output:
	// strategy example-hold: unknown param "size" (known: none)
	// lookback int default 126 (1 to 999999)
	// top int default 2 (at least 1)
	// weighting choice default equal (equal, inverse_vol, min_variance, risk_parity)
}

// The rotation from the library: four symbols, a cash account, the top
// two by 60-bar momentum, risk-parity weights, chosen monthly.
func ExampleRotation() {
	cfg := backtest.DefaultConfig()
	for _, s := range []string{"ALFA", "BETA", "GAMA", "DELT"} {
		cfg.Data.Files = append(cfg.Data.Files, "../testdata/rotation/"+s+".csv")
	}
	cfg.Account.Type = broker.CashAccount
	cfg.Strategy.Name = "rotation"
	cfg.Strategy.Params = strategy.Params{"lookback": "60", "weighting": "risk_parity"}
	res, err := backtest.Run(context.Background(), cfg)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Config.Strategy.Params)
	c := res.Counts
	fmt.Println("orders", c.Orders, "fills", c.Fills, "rejected", c.Rejected)
	// Output:
	// map[lookback:60 top:2 weighting:risk_parity]
	// orders 43 fills 42 rejected 0
}

// calls prints, at each of its calls, where each symbol's History ends.
type calls struct{}

func (calls) OnStart(ctx *strategy.Context) error {
	fmt.Println(ctx.Time().Format("01-02"), "OnStart")
	return nil
}

func (calls) OnBar(ctx *strategy.Context, b engine.Bar) error {
	fmt.Println(ctx.Time().Format("01-02"), "OnBar", b.Symbol, ends(ctx))
	return nil
}

func (calls) OnBars(ctx *strategy.Context, bars []engine.Bar) error {
	fmt.Println(ctx.Time().Format("01-02"), "OnBars", len(bars), "bars", ends(ctx))
	return nil
}

func (calls) OnEnd(ctx *strategy.Context) error {
	fmt.Println(ctx.Time().Format("01-02"), "OnEnd")
	return nil
}

// ends says at which day each symbol's History ends ("-": empty).
func ends(ctx *strategy.Context) string {
	var s []string
	for _, sym := range []string{"AAA", "BBB"} {
		end := "-"
		if h := ctx.History(sym); h.Len() > 0 {
			end = h.Ago(0).Time.Format("01-02")
		}
		s = append(s, sym+" "+end)
	}
	return "(histories: " + strings.Join(s, ", ") + ")"
}

// The order of a strategy's calls at each timestamp: OnBar sees the
// symbols after its own without their bar of the time, OnBars sees every
// symbol current, once.
func ExampleBarsHandler() {
	feed := memoryFeed(map[string][]float64{"AAA": {10, 11}, "BBB": {20, 21}}, "AAA", "BBB")
	if _, err := backtest.RunFeed(context.Background(), backtest.DefaultConfig(), feed, calls{}); err != nil {
		panic(err)
	}
	// Output:
	// 03-01 OnStart
	// 03-01 OnBar AAA (histories: AAA 03-01, BBB -)
	// 03-01 OnBar BBB (histories: AAA 03-01, BBB 03-01)
	// 03-01 OnBars 2 bars (histories: AAA 03-01, BBB 03-01)
	// 03-02 OnBar AAA (histories: AAA 03-02, BBB 03-01)
	// 03-02 OnBar BBB (histories: AAA 03-02, BBB 03-02)
	// 03-02 OnBars 2 bars (histories: AAA 03-02, BBB 03-02)
	// 03-02 OnEnd
}

// rules prints when each of its schedule rules fires, and the latest
// close then.
type rules struct{ rules []strategy.Rule }

func (rules) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (r rules) OnStart(ctx *strategy.Context) error {
	for _, rule := range r.rules {
		err := ctx.Schedule(rule, func(ctx *strategy.Context) error {
			fmt.Printf("%-24s fires %s, close %s\n", rule, ctx.Time().Format("01-02"), ctx.History("AAA").Ago(0).Close)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Rules on daily bars from 03-01 to 04-04, closing at 1, 2, … 35. A
// period's last bar is known only when the next period's first bar comes,
// so LastBarOf fires then, seeing that bar's close (32 on 04-01, not
// March's last, 31), and at the data's last bar. Rules that fire at one
// time run in the order they were registered.
func ExampleLastBarOf() {
	closes := make([]float64, 35) // 03-01 to 04-04, closes 1 to 35
	for i := range closes {
		closes[i] = float64(i + 1)
	}
	feed := memoryFeed(map[string][]float64{"AAA": closes}, "AAA")
	s := rules{rules: []strategy.Rule{strategy.FirstBarOf(strategy.Month), strategy.LastBarOf(strategy.Month), strategy.EveryNBars(20)}}
	if _, err := backtest.RunFeed(context.Background(), backtest.DefaultConfig(), feed, s); err != nil {
		panic(err)
	}
	// Output:
	// first bar of each month  fires 03-01, close 1
	// every 20 bars            fires 03-01, close 1
	// every 20 bars            fires 03-21, close 21
	// first bar of each month  fires 04-01, close 32
	// last bar of each month   fires 04-01, close 32
	// last bar of each month   fires 04-04, close 35
}

// drift rebalances to half in each of two symbols on its first bar, then
// on its third with a tolerance band and on its fourth without one, and
// prints the orders sent.
type drift struct{ n int }

func (d *drift) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (d *drift) OnBars(ctx *strategy.Context, _ []engine.Bar) error {
	d.n++
	w := map[string]float64{"AAA": 0.5, "BBB": 0.5}
	var ids []uint64
	var err error
	switch d.n {
	case 1, 4:
		ids, err = ctx.Rebalance(w)
	case 3:
		ids, err = ctx.RebalanceWith(w, strategy.RebalanceOptions{Band: 0.01})
	default:
		return nil
	}
	fmt.Printf("%s %d order(s)", ctx.Time().Format("01-02"), len(ids))
	for _, id := range ids {
		o, _ := ctx.Order(id)
		fmt.Printf(", %s %s %s", o.Order.Side, o.Order.Quantity, o.Order.Symbol)
	}
	fmt.Println()
	return err
}

// RebalanceWith a tolerance band leaves a symbol whose weight is within
// the band of its target: the buys fill on 03-02 at 10 and 40; on 03-03
// AAA, risen to 10.2, is 5 100 of 10 100 (50.5 %), within 1 % of 50 %,
// and BBB, 49.5 %, too. Rebalance without a band trades the drift back
// on 03-04: AAA 5 050 / 10.2 = 495.1 → 495, sell 5; BBB 5 050 / 40 =
// 126.25 → 126, buy 1.
func ExampleContext_RebalanceWith() {
	feed := memoryFeed(map[string][]float64{"AAA": {10, 10, 10.2, 10.2, 10.2}, "BBB": {40, 40, 40, 40, 40}}, "AAA", "BBB")
	cfg := backtest.DefaultConfig()
	cfg.Account.Cash = decimal.NewFromInt(10000)
	if _, err := backtest.RunFeed(context.Background(), cfg, feed, &drift{}); err != nil {
		panic(err)
	}
	// Output:
	// 03-01 2 order(s), buy 500 AAA, buy 125 BBB
	// 03-03 0 order(s)
	// 03-04 2 order(s), sell 5 AAA, buy 1 BBB
}
