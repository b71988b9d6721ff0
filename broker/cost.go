package broker

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
)

// FillCost describes one fill to a commission model.
type FillCost struct {
	Time     time.Time
	Quantity decimal.Decimal // positive
	Price    decimal.Decimal // after slippage
	// OrderQuantity and OrderValue are what the order had filled before
	// this fill (units, and Σ quantity × price); OrderPaid is the
	// commission it has paid so far. A first fill has all three zero.
	OrderQuantity decimal.Decimal
	OrderValue    decimal.Decimal
	OrderPaid     decimal.Decimal
}

// CommissionModel prices the commission of a fill. The broker calls
// Charge once per fill, except for a buy that a cash account cuts at the
// fill: then Charge is also called for quantities that do not fill, to
// find the largest that the cash pays for (TieredCommission, which keeps
// state, is priced without counting those).
type CommissionModel interface {
	Charge(f FillCost) decimal.Decimal
}

// Commission charges an order on its absolute quantity:
//
//	Percent/100 × quantity × price + PerShare × quantity
//
// raised to Minimum when it comes out lower and cut to Maximum when it is
// higher (zero for none). Percent is in percent (0.1 means 0.1 %). The
// minimum and the maximum apply per order: an order filled in parts pays,
// in total, the same as one fill of the same quantity and value. All
// values are exact and nothing is rounded.
type Commission struct {
	Percent  decimal.Decimal
	PerShare decimal.Decimal
	Minimum  decimal.Decimal // per order; zero for none
	Maximum  decimal.Decimal // per order; zero for none
}

// Validate reports negative settings, a percent of 100 or more and a
// maximum below the minimum.
func (c Commission) Validate() error {
	for _, v := range []struct {
		name string
		d    decimal.Decimal
	}{{"commission percent", c.Percent}, {"commission per share", c.PerShare}, {"minimum commission", c.Minimum}, {"maximum commission", c.Maximum}} {
		if v.d.IsNegative() {
			return fmt.Errorf("%s %s is negative", v.name, v.d)
		}
	}
	if c.Percent.GreaterThanOrEqual(decimal.NewFromInt(100)) {
		return fmt.Errorf("commission percent %s must be below 100", c.Percent)
	}
	if c.Maximum.IsPositive() && c.Maximum.LessThan(c.Minimum) {
		return fmt.Errorf("maximum commission %s is below the minimum %s", c.Maximum, c.Minimum)
	}
	return nil
}

// For returns the commission on an order filled whole by one fill of
// quantity at price.
func (c Commission) For(quantity, price decimal.Decimal) decimal.Decimal {
	return c.Charge(FillCost{Quantity: quantity, Price: price})
}

// Charge returns the commission of the fill f: the order's commission
// after it, minus what the order has already paid.
func (c Commission) Charge(f FillCost) decimal.Decimal {
	if c.Percent.IsZero() && c.PerShare.IsZero() && c.Minimum.IsZero() {
		return decimal.Zero
	}
	fee := decimal.Zero
	if !c.Percent.IsZero() {
		fee = percentOf(f.OrderValue, f.Quantity, f.Price, c.Percent)
	}
	if !c.PerShare.IsZero() {
		fee = fixed.Add(fee, fixed.Mul(fixed.Add(f.OrderQuantity, f.Quantity), c.PerShare))
	}
	if fee.LessThan(c.Minimum) {
		fee = c.Minimum
	}
	if c.Maximum.IsPositive() && fee.GreaterThan(c.Maximum) {
		fee = c.Maximum
	}
	fee = fixed.Sub(fee, f.OrderPaid)
	if fee.IsNegative() {
		return decimal.Zero
	}
	return fee
}

// percentOf returns pct % of the order's value after the fill,
// (value + qty × price) × pct / 100, exactly.
func percentOf(value, qty, price, pct decimal.Decimal) decimal.Decimal {
	var c fixed.Calc
	x := c.Mul(c.Add(c.Mul(c.Of(qty), c.Of(price)), c.Of(value)), c.Of(pct))
	x = c.Mul(x, fixed.Dec{C: 1, E: -2})
	if !c.Overflow() {
		return x.Decimal()
	}
	return value.Add(qty.Mul(price)).Mul(pct).Shift(-2)
}

// FixedCommission charges Amount per order, on its first fill.
type FixedCommission struct {
	Amount decimal.Decimal
}

// Validate reports a negative amount.
func (c FixedCommission) Validate() error {
	if c.Amount.IsNegative() {
		return fmt.Errorf("fixed commission %s is negative", c.Amount)
	}
	return nil
}

// Charge returns Amount for an order's first fill, zero for later ones.
func (c FixedCommission) Charge(f FillCost) decimal.Decimal {
	if f.OrderQuantity.IsZero() {
		return c.Amount
	}
	return decimal.Zero
}

// Tier is one step of a TieredCommission: from From units traded in the
// calendar month, each unit pays PerShare.
type Tier struct {
	From     decimal.Decimal
	PerShare decimal.Decimal
}

// TieredCommission charges per unit at a rate that falls with the units
// traded so far in the calendar month (of the fill's time, in its zone).
// A fill pays the rate of the tier that the month's volume before it
// falls in, for all its units. Tiers are in increasing order of From; the
// first should start at 0. It keeps the month's volume, so use one value
// per run.
type TieredCommission struct {
	Tiers []Tier

	year   int
	month  time.Month
	volume decimal.Decimal
}

// Validate reports tiers out of order or with negative values.
func (c *TieredCommission) Validate() error {
	for i, t := range c.Tiers {
		if t.From.IsNegative() || t.PerShare.IsNegative() {
			return fmt.Errorf("commission tier %d (%s:%s) is negative", i+1, t.From, t.PerShare)
		}
		if i > 0 && !t.From.GreaterThan(c.Tiers[i-1].From) {
			return fmt.Errorf("commission tier %d starts at %s, not above the previous tier's %s", i+1, t.From, c.Tiers[i-1].From)
		}
	}
	return nil
}

// Charge returns the fill's units times its tier's rate, and adds them to
// the month's volume.
func (c *TieredCommission) Charge(f FillCost) decimal.Decimal {
	fee := c.quote(f)
	if y, m, _ := f.Time.Date(); y != c.year || m != c.month {
		c.year, c.month, c.volume = y, m, decimal.Zero
	}
	c.volume = c.volume.Add(f.Quantity)
	return fee
}

// quote returns what Charge would for f, without adding to the month's
// volume.
func (c *TieredCommission) quote(f FillCost) decimal.Decimal {
	volume := c.volume
	if y, m, _ := f.Time.Date(); y != c.year || m != c.month {
		volume = decimal.Zero
	}
	rate := decimal.Zero
	for _, t := range c.Tiers {
		if volume.GreaterThanOrEqual(t.From) {
			rate = t.PerShare
		}
	}
	return f.Quantity.Mul(rate)
}

// Commissions adds up several models.
type Commissions []CommissionModel

// Charge returns the sum of every model's charge.
func (cs Commissions) Charge(f FillCost) decimal.Decimal {
	fee := decimal.Zero
	for _, c := range cs {
		fee = fee.Add(c.Charge(f))
	}
	return fee
}

// quote returns what Charge would for f, without recording it in the
// models that keep state.
func (cs Commissions) quote(f FillCost) decimal.Decimal {
	fee := decimal.Zero
	for _, c := range cs {
		fee = fee.Add(quote(c, f))
	}
	return fee
}

// quoter is a commission model whose Charge records the fill (such as a
// month's volume); quote prices a fill without recording it.
type quoter interface {
	quote(f FillCost) decimal.Decimal
}

// quote returns the commission c would charge for f, without recording
// it when c keeps state: the price of a fill that may not happen.
func quote(c CommissionModel, f FillCost) decimal.Decimal {
	if q, ok := c.(quoter); ok {
		return q.quote(f)
	}
	return c.Charge(f)
}

// SlippageModel moves a fill's price against the trader.
type SlippageModel interface {
	// Slip returns the price that a fill of quantity on side pays (buy) or
	// gets (sell) when the price before slippage is price and the bar
	// traded volume units. It must be positive: the broker stops the run
	// with an error wrapping ErrFillPrice on a fill price of zero or less.
	Slip(price decimal.Decimal, side engine.Side, quantity decimal.Decimal, volume float64) decimal.Decimal
}

// Slippage moves fill prices against the trader by a fixed number of basis
// points: a buy pays price × (1 + BPS/10000), a sell gets
// price × (1 - BPS/10000), exactly. BPS is at least 0 and below 10000,
// so that a sell's price stays positive.
type Slippage struct {
	BPS decimal.Decimal
}

// Validate reports slippage that is negative or 10000 bps or more.
func (s Slippage) Validate() error {
	if s.BPS.IsNegative() {
		return fmt.Errorf("slippage %s bps is negative", s.BPS)
	}
	if s.BPS.GreaterThanOrEqual(tenThousand) {
		return fmt.Errorf("slippage %s bps must be below 10000 (a sell would get a price of zero or less)", s.BPS)
	}
	return nil
}

var tenThousand = decimal.NewFromInt(10000)

// Apply returns the price a buy (buy true) or a sell pays or gets.
func (s Slippage) Apply(price decimal.Decimal, buy bool) decimal.Decimal {
	if s.BPS.IsZero() {
		return price
	}
	var c fixed.Calc
	b := c.Of(s.BPS)
	if !buy {
		b = c.Neg(b)
	}
	r := c.Mul(c.Mul(c.Of(price), c.Add(fixed.Int(10000), b)), fixed.Dec{C: 1, E: -4})
	if !c.Overflow() {
		return r.Decimal()
	}
	f := tenThousand.Add(s.BPS)
	if !buy {
		f = tenThousand.Sub(s.BPS)
	}
	return price.Mul(f).Shift(-4)
}

// Slip implements SlippageModel with Apply.
func (s Slippage) Slip(price decimal.Decimal, side engine.Side, _ decimal.Decimal, _ float64) decimal.Decimal {
	return s.Apply(price, side == engine.Buy)
}

// VolumeShare is the price impact model of zipline's
// VolumeShareSlippage: a fill taking the share s = quantity / bar volume
// (at most 1; 1 when the bar has no volume) moves the price against the
// trader by Impact × s²:
//
//	buy:  price × (1 + Impact × s²)    sell: price × (1 − Impact × s²)
//
// The result is rounded half away from zero to 8 decimal places, the
// precision of bar prices; a sell's price that rounds to zero is raised
// to the smallest price, 1e-8. Impact is at least 0 and below 1, so that
// a sell's price stays positive before rounding.
type VolumeShare struct {
	Impact decimal.Decimal
}

// Validate reports an impact that is negative or 1 or more.
func (v VolumeShare) Validate() error {
	if v.Impact.IsNegative() {
		return fmt.Errorf("volume-share impact %s is negative", v.Impact)
	}
	if v.Impact.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return fmt.Errorf("volume-share impact %s must be below 1 (a sell taking a whole bar would get a price of zero or less)", v.Impact)
	}
	return nil
}

// Slip implements SlippageModel.
func (v VolumeShare) Slip(price decimal.Decimal, side engine.Side, quantity decimal.Decimal, volume float64) decimal.Decimal {
	if v.Impact.IsZero() {
		return price
	}
	share2 := decimal.NewFromInt(1)
	if vol := decimal.NewFromFloat(volume); vol.GreaterThan(quantity) {
		share2 = quantity.Mul(quantity).DivRound(vol.Mul(vol), 24)
	}
	move := price.Mul(v.Impact).Mul(share2)
	if side == engine.Sell {
		move = move.Neg()
	}
	px := price.Add(move).Round(engine.PriceDecimals)
	if !px.IsPositive() {
		return decimal.New(1, -engine.PriceDecimals)
	}
	return px
}
