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
