package backtest_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/strategy"
)

// generated returns a Feed of two symbols' generated daily bars, merged
// by time: what Run makes of two CSV files, without files.
func generated() engine.Feed {
	opts := data.GenOptions{Symbols: []string{"AAA", "BBB"}, Bars: 300, Seed: 7}
	var sources []data.Source
	for i, sym := range opts.Symbols {
		var csv bytes.Buffer
		if err := data.Generate(&csv, i, opts); err != nil {
			log.Fatal(err)
		}
		r, err := data.NewReader(&csv, sym+".csv", data.Options{})
		if err != nil {
			log.Fatal(err)
		}
		sources = append(sources, r)
	}
	feed, err := data.Merge(sources...)
	if err != nil {
		log.Fatal(err)
	}
	return feed
}

// RunFeed runs a strategy over any Feed, here bars made in memory, with
// the money, sizing and cost settings of a Config.
func ExampleRunFeed() {
	strat, err := strategy.New("smacross", strategy.Params{"fast": "5", "slow": "20"})
	if err != nil {
		log.Fatal(err)
	}
	cfg := backtest.DefaultConfig()
	cfg.Costs.Commission.Pct = decimal.RequireFromString("0.05")
	res, err := backtest.RunFeed(context.Background(), cfg, generated(), strat)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bars at %d times, %d fills, %d closed trades\n", res.Stats.Bars, res.Stats.Timestamps, res.Counts.Fills, res.Counts.ClosedTrades)
	fmt.Println("params", res.Config.Strategy.Params)
	fmt.Println("final equity", res.FinalEquity.StringFixed(2))
	// Output:
	// 600 bars at 300 times, 27 fills, 13 closed trades
	// params map[fast:5 mode:long slow:20]
	// final equity 87756.57
}

// counter is a Sink that counts what it is handed and keeps the last
// equity point: the records themselves could go to a file, a database or
// a socket as the run makes them.
type counter struct {
	equity, fills, trades, orders int
	last                          string
}

func (c *counter) WriteEquity(p *backtest.EquityPoint) error {
	c.equity++
	c.last = p.Time.Format("2006-01-02") + " " + p.Equity().StringFixed(2)
	return nil
}
func (c *counter) WriteFill(*engine.FillEvent, string) error { c.fills++; return nil }
func (c *counter) WriteTrade(*portfolio.Trade) error         { c.trades++; return nil }
func (c *counter) WriteOrder(*backtest.OrderRecord) error    { c.orders++; return nil }

// A run streams its records to a Sink as they become final, and its
// Result keeps none of them, so that memory does not grow with the data.
// report.NewWriter is the Sink that writes the CLI's files.
func ExampleOptions_sink() {
	strat, err := strategy.New("smacross", strategy.Params{"fast": "5", "slow": "20"})
	if err != nil {
		log.Fatal(err)
	}
	var c counter
	res, err := backtest.Options{Sink: &c}.RunFeed(context.Background(), backtest.DefaultConfig(), generated(), strat)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Close()
	fmt.Printf("streamed %v, kept %d equity points and %d fills\n", res.Streamed, len(res.Equity), len(res.Fills))
	fmt.Printf("sink: %d equity points, %d fills, %d trades, %d orders\n", c.equity, c.fills, c.trades, c.orders)
	fmt.Println("last point", c.last, "=", res.FinalEquity.StringFixed(2))
	// Output:
	// streamed true, kept 0 equity points and 0 fills
	// sink: 300 equity points, 27 fills, 14 trades, 27 orders
	// last point 2021-02-23 88341.76 = 88341.76
}
