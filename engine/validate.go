package engine

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// OrderError says why an order is malformed. Field names the order's
// field at fault by its orders-file column ("quantity", "side", "type",
// "tif", "limit", "stop", "trail", "expire"); Reason is the rejection
// reason the broker records.
type OrderError struct {
	Field  string
	Reason string
}

// Error returns the reason.
func (e *OrderError) Error() string { return e.Reason }

// Validate checks the shape of o at simulated time now and returns an
// *OrderError for the first rule it breaks, in this order:
//
//   - the quantity is positive;
//   - the side is Buy or Sell, the type and the time in force are known;
//   - a Limit or StopLimit order has a positive limit price, a Stop or
//     StopLimit order a positive stop price;
//   - a TrailingStop has exactly one of a positive TrailAmount and a
//     positive TrailPercent, the percent below 100;
//   - a GTD order expires after now.
//
// It says nothing of whether the order can trade: the symbol, the parent,
// the account and the risk guard are the broker's to judge.
func (o Order) Validate(now time.Time) error {
	fail := func(field, format string, args ...any) error {
		return &OrderError{Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case !o.Quantity.IsPositive():
		return fail("quantity", "quantity %s is not positive", o.Quantity)
	case o.Side != Buy && o.Side != Sell:
		return fail("side", "unknown side %v", o.Side)
	case o.Type < Market || o.Type > MarketOnOpen:
		return fail("type", "order type %v is not supported", o.Type)
	case o.TIF > GTD:
		return fail("tif", "time in force %v is not supported", o.TIF)
	case (o.Type == Limit || o.Type == StopLimit) && o.Limit <= 0:
		return fail("limit", "%v order needs a positive limit price", o.Type)
	case (o.Type == Stop || o.Type == StopLimit) && o.Stop <= 0:
		return fail("stop", "%v order needs a positive stop price", o.Type)
	case o.Type == TrailingStop && (o.TrailAmount > 0) == o.TrailPercent.IsPositive():
		return fail("trail", "trailing stop needs exactly one of a positive trail amount and a positive trail percent")
	case o.Type == TrailingStop && o.TrailPercent.GreaterThanOrEqual(decimal.NewFromInt(100)):
		return fail("trail", "trail percent %s must be below 100", o.TrailPercent)
	case o.TIF == GTD && !o.ExpireAt.After(now):
		return fail("expire", "GTD order needs an expiry time after the current bar")
	}
	return nil
}
