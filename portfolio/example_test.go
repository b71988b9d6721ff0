package portfolio_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
)

// A cash account with 500 in cash, 40 AAA at 100 and 50 BBB at 20 moves
// to 30 % AAA, 40 % BBB and 35 % CCC. The sale of AAA comes first; the
// two buys need 3125 but the sale leaves only 2900, so both are cut by
// 2900/3125, rounded toward zero to whole units.
func ExampleRebalance_Plan() {
	r := portfolio.Rebalance{
		Equity:      decimal.NewFromInt(5500),
		Cash:        decimal.NewFromInt(500),
		CashAccount: true,
		Holdings: []portfolio.Holding{
			{Symbol: "AAA", Quantity: decimal.NewFromInt(40), Price: 100 * engine.PriceScale},
			{Symbol: "BBB", Quantity: decimal.NewFromInt(50), Price: 20 * engine.PriceScale},
		},
		Targets: []portfolio.TargetWeight{
			{Symbol: "AAA", Weight: 0.30, Price: 100 * engine.PriceScale},
			{Symbol: "BBB", Weight: 0.40, Price: 20 * engine.PriceScale},
			{Symbol: "CCC", Weight: 0.35, Price: 25 * engine.PriceScale},
		},
	}
	plan, err := r.Plan()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range plan.Orders {
		fmt.Println(o.Side, o.Symbol, o.Quantity, "at", o.Price, "to hold", o.Position)
	}
	fmt.Println("cash after:", plan.Cash, "cut:", plan.Scaled)
	// Output:
	// sell AAA 24 at 100 to hold 16
	// buy BBB 55 at 20 to hold 105
	// buy CCC 71 at 25 to hold 71
	// cash after: 25 cut: true
}

// Risk 1 % of equity on a long entered at 50 with a stop at 47.5: the
// loss at the stop is 2.5 a unit, so 100 / 2.5 = 40 units.
func ExampleQuantityForRisk() {
	equity := decimal.NewFromInt(10_000)
	risk := equity.Mul(decimal.RequireFromString("0.01"))
	entry, _ := engine.ParsePrice("50")
	stop, _ := engine.ParsePrice("47.5")
	q, err := portfolio.QuantityForRisk(risk, entry, stop, 0)
	fmt.Println(q, err)
	// Output: 40 <nil>
}

// A tenth of 12345 at 7 is 176.357…: 176 whole units, or 176.357 to three
// places; always rounded toward zero.
func ExampleQuantityForFraction() {
	price, _ := engine.ParsePrice("7")
	whole, _ := portfolio.QuantityForFraction(decimal.NewFromInt(12345), 0.1, price, 0)
	frac, _ := portfolio.QuantityForFraction(decimal.NewFromInt(12345), 0.1, price, 3)
	fmt.Println(whole, frac)
	// Output: 176 176.357
}

// 1000 in cash buys 30 units at 33.3 (30.03 rounded toward zero).
func ExampleQuantityForValue() {
	price, _ := engine.ParsePrice("33.3")
	q, _ := portfolio.QuantityForValue(decimal.NewFromInt(1000), price, 0)
	fmt.Println(q)
	// Output: 30
}

// A float64 becomes the shortest decimal that reads back as it, and a
// decimal becomes a Price rounded half to even at 8 places.
func ExampleFromFloat() {
	d, _ := portfolio.FromFloat(0.1)
	p, _ := engine.PriceFromDecimal(d)
	fmt.Println(d, p, portfolio.ToFloat(d), p.Float64())
	// Output: 0.1 0.1 0.1 0.1
}
