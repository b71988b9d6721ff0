package broker

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Commission charges each fill on its absolute quantity:
//
//	Percent/100 × quantity × price + PerShare × quantity
//
// raised to Minimum when it comes out lower. Percent is in percent (0.1
// means 0.1 %). All values are exact and nothing is rounded.
type Commission struct {
	Percent  decimal.Decimal
	PerShare decimal.Decimal
	Minimum  decimal.Decimal // per order; zero for none
}

// Validate reports negative settings.
func (c Commission) Validate() error {
	for _, v := range []struct {
		name string
		d    decimal.Decimal
	}{{"commission percent", c.Percent}, {"commission per share", c.PerShare}, {"minimum commission", c.Minimum}} {
		if v.d.IsNegative() {
			return fmt.Errorf("%s %s is negative", v.name, v.d)
		}
	}
	return nil
}

// For returns the commission on a fill of quantity at price.
func (c Commission) For(quantity, price decimal.Decimal) decimal.Decimal {
	fee := decimal.Zero
	if !c.Percent.IsZero() {
		fee = quantity.Mul(price).Mul(c.Percent).Shift(-2)
	}
	if !c.PerShare.IsZero() {
		fee = fee.Add(quantity.Mul(c.PerShare))
	}
	if fee.LessThan(c.Minimum) {
		fee = c.Minimum
	}
	return fee
}

// Slippage moves fill prices against the trader by a fixed number of basis
// points: a buy pays price × (1 + BPS/10000), a sell gets
// price × (1 - BPS/10000), exactly.
type Slippage struct {
	BPS decimal.Decimal
}

// Validate reports negative slippage.
func (s Slippage) Validate() error {
	if s.BPS.IsNegative() {
		return fmt.Errorf("slippage %s bps is negative", s.BPS)
	}
	return nil
}

var tenThousand = decimal.NewFromInt(10000)

// Apply returns the price a buy (buy true) or a sell pays or gets.
func (s Slippage) Apply(price decimal.Decimal, buy bool) decimal.Decimal {
	if s.BPS.IsZero() {
		return price
	}
	f := tenThousand.Add(s.BPS)
	if !buy {
		f = tenThousand.Sub(s.BPS)
	}
	return price.Mul(f).Shift(-4)
}
