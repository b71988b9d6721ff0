// Command newcomer is the quantloop command line with one strategy of its
// own, written as a new user would: with the public API only.
package main

import (
	"os"
	"strconv"

	"github.com/quantloop/quantloop/cli"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio/weights"
	"github.com/quantloop/quantloop/strategy"
)

// momentum holds, equally weighted, the top symbols by their return over
// lookback bars, chosen again on the first bar of each month.
type momentum struct{ lookback, top int }

func (m *momentum) ParamSpecs() strategy.ParamSpecs {
	return strategy.ParamSpecs{
		{Name: "lookback", Type: strategy.Int, Default: "60", Min: "1", Max: "1000", Doc: "bars of momentum"},
		{Name: "top", Type: strategy.Int, Default: "1", Min: "1", Doc: "symbols held"},
	}
}

func (m *momentum) Lookback() int                             { return m.lookback + 1 }
func (m *momentum) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (m *momentum) OnStart(ctx *strategy.Context) error {
	return ctx.Schedule(strategy.FirstBarOf(strategy.Month), m.rotate)
}

func (m *momentum) rotate(ctx *strategy.Context) error {
	var names []string
	var scores []float64
	for _, s := range ctx.Universe() {
		if h := ctx.History(s); h.Len() > m.lookback {
			names = append(names, s)
			scores = append(scores, h.Ago(0).Close.Float64()/h.Ago(m.lookback).Close.Float64()-1)
		}
	}
	if len(names) == 0 {
		return nil
	}
	best := weights.Top(scores, m.top)
	targets := map[string]float64{}
	for _, i := range best {
		targets[names[i]] = 1 / float64(len(best))
	}
	_, err := ctx.Rebalance(targets)
	return err
}

func main() {
	strategy.Register("momentum", func(p strategy.Params) (strategy.Strategy, error) {
		lookback, _ := strconv.Atoi(p["lookback"]) // New has checked the values
		top, _ := strconv.Atoi(p["top"])
		return &momentum{lookback: lookback, top: top}, nil
	})
	os.Exit(cli.Main(os.Args[1:]))
}
