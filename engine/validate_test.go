package engine_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

func TestOrderValidate(t *testing.T) {
	now := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	one := decimal.NewFromInt(1)
	base := engine.Order{Symbol: "X", Side: engine.Buy, Type: engine.Market, Quantity: one}
	mod := func(f func(o *engine.Order)) engine.Order {
		o := base
		f(&o)
		return o
	}
	tests := []struct {
		name   string
		o      engine.Order
		field  string // "" for a valid order
		reason string
	}{
		{"market", base, "", ""},
		{"zero quantity", mod(func(o *engine.Order) { o.Quantity = decimal.Zero }), "quantity", "quantity 0 is not positive"},
		{"negative quantity", mod(func(o *engine.Order) { o.Quantity = decimal.RequireFromString("-1.5") }), "quantity", "quantity -1.5 is not positive"},
		{"no side", mod(func(o *engine.Order) { o.Side = 0 }), "side", "unknown side side(0)"},
		{"no type", mod(func(o *engine.Order) { o.Type = 0 }), "type", "order type type(0) is not supported"},
		{"type beyond", mod(func(o *engine.Order) { o.Type = engine.MarketOnOpen + 1 }), "type", "order type type(8) is not supported"},
		{"tif beyond", mod(func(o *engine.Order) { o.TIF = engine.GTD + 1 }), "tif", "time in force tif(5) is not supported"},
		{"limit without price", mod(func(o *engine.Order) { o.Type = engine.Limit }), "limit", "limit order needs a positive limit price"},
		{"limit negative", mod(func(o *engine.Order) { o.Type, o.Limit = engine.Limit, -1 }), "limit", "limit order needs a positive limit price"},
		{"limit", mod(func(o *engine.Order) { o.Type, o.Limit = engine.Limit, 1 }), "", ""},
		{"stop without price", mod(func(o *engine.Order) { o.Type = engine.Stop }), "stop", "stop order needs a positive stop price"},
		{"stop-limit without limit", mod(func(o *engine.Order) { o.Type, o.Stop = engine.StopLimit, 5 }), "limit", "stop_limit order needs a positive limit price"},
		{"stop-limit without stop", mod(func(o *engine.Order) { o.Type, o.Limit = engine.StopLimit, 5 }), "stop", "stop_limit order needs a positive stop price"},
		{"stop-limit", mod(func(o *engine.Order) { o.Type, o.Limit, o.Stop = engine.StopLimit, 5, 6 }), "", ""},
		{"trail neither", mod(func(o *engine.Order) { o.Type = engine.TrailingStop }), "trail",
			"trailing stop needs exactly one of a positive trail amount and a positive trail percent"},
		{"trail both", mod(func(o *engine.Order) {
			o.Type, o.TrailAmount, o.TrailPercent = engine.TrailingStop, 1, decimal.NewFromInt(2)
		}), "trail", "trailing stop needs exactly one of a positive trail amount and a positive trail percent"},
		{"trail 100 %", mod(func(o *engine.Order) { o.Type, o.TrailPercent = engine.TrailingStop, decimal.NewFromInt(100) }),
			"trail", "trail percent 100 must be below 100"},
		{"trail 99.99 %", mod(func(o *engine.Order) {
			o.Type, o.TrailPercent = engine.TrailingStop, decimal.RequireFromString("99.99")
		}), "", ""},
		{"trail amount", mod(func(o *engine.Order) { o.Type, o.TrailAmount = engine.TrailingStop, 1 }), "", ""},
		{"gtd without expiry", mod(func(o *engine.Order) { o.TIF = engine.GTD }), "expire", "GTD order needs an expiry time after the current bar"},
		{"gtd expiring now", mod(func(o *engine.Order) { o.TIF, o.ExpireAt = engine.GTD, now }), "expire", "GTD order needs an expiry time after the current bar"},
		{"gtd", mod(func(o *engine.Order) { o.TIF, o.ExpireAt = engine.GTD, now.Add(time.Nanosecond) }), "", ""},
		{"first rule first", mod(func(o *engine.Order) { o.Quantity, o.Side = decimal.Zero, 0 }), "quantity", "quantity 0 is not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var oe *engine.OrderError
			if !errors.As(err, &oe) {
				t.Fatalf("Validate = %v (%T), want an *OrderError", err, err)
			}
			if oe.Field != tt.field || oe.Reason != tt.reason || err.Error() != tt.reason {
				t.Fatalf("Validate = {%q, %q}, want {%q, %q}", oe.Field, oe.Reason, tt.field, tt.reason)
			}
		})
	}
}

func ExampleOrder_Validate() {
	now := time.Date(2024, 1, 2, 15, 0, 0, 0, time.UTC)
	o := engine.Order{Symbol: "AAA", Side: engine.Buy, Type: engine.Limit, Quantity: decimal.NewFromInt(10)}
	err := o.Validate(now)
	var oe *engine.OrderError
	if errors.As(err, &oe) {
		fmt.Printf("%s: %v\n", oe.Field, err)
	}
	o.Limit = 101_50000000
	fmt.Println(o.Validate(now))
	// Output:
	// limit: limit order needs a positive limit price
	// <nil>
}
