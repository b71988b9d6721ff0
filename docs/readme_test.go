package docs_test

// The README's library example, compiled and run here. TestReadmeExample
// checks that the README shows exactly this code from "import (" to the
// end of main.

import (
	"context"
	"fmt"
	"log"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// channel goes long when the close rises above the highest high of the 20
// bars before it, and flat when it falls below their lowest low.
type channel struct{}

func (channel) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	h := ctx.History(bar.Symbol) // recent bars, the current one at Ago(0)
	if h.Len() <= 20 {
		return nil
	}
	hi, lo := h.Ago(1).High, h.Ago(1).Low
	for i := 2; i <= 20; i++ {
		hi, lo = max(hi, h.Ago(i).High), min(lo, h.Ago(i).Low)
	}
	switch {
	case bar.Close > hi:
		ctx.Signal(bar.Symbol, engine.TargetLong) // the sizer picks the quantity
	case bar.Close < lo:
		ctx.Signal(bar.Symbol, engine.TargetFlat)
	}
	return nil
}

// Lookback is how many bars History keeps.
func (channel) Lookback() int { return 21 }

func main() {
	feed, err := data.OpenAll([]string{"testdata/daily/AAA.csv"}, data.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer feed.Close()
	res, err := backtest.RunFeed(context.Background(), backtest.DefaultConfig(), feed, channel{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(res.Trades), "trades; final equity", res.FinalEquity)
}
