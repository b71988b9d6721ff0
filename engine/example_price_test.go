package engine_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// A decimal with more than 8 decimal places rounds half to even.
func ExamplePriceFromDecimal() {
	p, err := engine.PriceFromDecimal(decimal.RequireFromString("101.123456785"))
	if err != nil {
		panic(err)
	}
	fmt.Println(p)
	// Output: 101.12345678
}

func ExamplePrice_DivRound() {
	// A stop at 45.00000001 after a 2-for-1 split: 22.500000005, rounded
	// half to even to 8 places.
	p, _ := engine.ParsePrice("45.00000001")
	q, err := p.DivRound(decimal.NewFromInt(2))
	fmt.Println(q, err)
	// Output: 22.5 <nil>
}
