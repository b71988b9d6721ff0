package montecarlo_test

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/montecarlo"
)

// Four closed trades from 1000 of initial equity, over a year of 252
// daily returns. Shuffling the trades never changes the final equity
// (1000 + 100 − 50 + 30 − 20 = 1060), only the path to it; the worst
// orders take both losses in a row from a peak: first (70/1000), or
// after both gains (70/1130).
func ExampleRun() {
	in := montecarlo.Input{
		Initial:        decimal.NewFromInt(1000),
		Trades:         []decimal.Decimal{decimal.NewFromInt(100), decimal.NewFromInt(-50), decimal.NewFromInt(30), decimal.NewFromInt(-20)},
		Returns:        make([]float64, 252),
		PeriodsPerYear: 252,
	}
	rep, err := montecarlo.Run(context.Background(), in, montecarlo.Options{Paths: 500, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Results[0]
	fmt.Println(r.Method, r.Steps, r.Unit)
	fmt.Println("final equity, 5 % and 95 %:", r.FinalEquity.P5, r.FinalEquity.P95)
	fmt.Printf("CAGR: %.2f %%\n", 100*r.CAGR.P50)
	fmt.Printf("largest maximum drawdown: %.4f\n", r.Histogram[len(r.Histogram)-1].To)
	fmt.Println("ruin:", r.Ruin)
	// Output:
	// shuffle 4 trades
	// final equity, 5 % and 95 %: 1060 1060
	// CAGR: 6.00 %
	// largest maximum drawdown: 0.0700
	// ruin: 0
}
