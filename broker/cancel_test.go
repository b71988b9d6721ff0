package broker

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// TestCancelAll: three orders rest on two symbols; CancelAll, or the
// CancelAllOrders command, cancels them oldest first with the reason
// given, and nothing is left working. The command goes through even when
// the broker's own breaker has just been opened by a failing cancel of an
// unknown order.
func TestCancelAll(t *testing.T) {
	tests := []struct {
		name    string
		command bool // send a CancelAllOrders, else call CancelAll
		failed  bool // a failing CancelOrder first opens the broker's breaker
	}{
		{"method", false, false},
		{"command", true, false},
		{"command after a failure", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
			bars := []engine.Bar{{Symbol: "B", Time: at, Open: 1, High: 1, Low: 1, Close: 1}, {Symbol: "A", Time: at, Open: 1, High: 1, Low: 1, Close: 1}}
			e := engine.New(testkit.NewGroupFeed(bars))
			e.SetBreaker(engine.BreakerConfig{Failures: 1, Cooldown: time.Hour})
			b := New(e, Options{})
			var log []string
			engine.Subscribe(e.Bus(), "t", func(c *engine.OrderCanceled) error {
				log = append(log, fmt.Sprintf("#%d %s %s", c.Order.ID, c.Order.Symbol, c.Reason))
				return nil
			})
			n := -1
			engine.Subscribe(e.Bus(), "t", func(*engine.MarketEvent) error {
				for _, sym := range []string{"B", "A", "B"} {
					e.Emit(&engine.SubmitOrder{Order: engine.Order{ID: e.NextOrderID(), Symbol: sym, Side: engine.Buy, Type: engine.Market, Quantity: decimal.NewFromInt(1)}})
				}
				e.Defer(engine.PhaseObserve, "t", func() error {
					if tc.failed {
						e.Emit(&engine.CancelOrder{Time: e.Now(), OrderID: 99, Reason: "no such order"})
					}
					if tc.command {
						e.Emit(&engine.CancelAllOrders{Time: e.Now(), Reason: "stop"})
					} else {
						n = b.CancelAll("stop")
					}
					return nil
				})
				return nil
			})
			if _, err := e.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if want := "#1 B stop|#2 A stop|#3 B stop"; strings.Join(log, "|") != want {
				t.Fatalf("canceled %q, want %q", log, want)
			}
			if !tc.command && n != 3 {
				t.Fatalf("CancelAll returned %d, want 3", n)
			}
			if w := b.Working(); len(w) != 0 {
				t.Fatalf("still working: %v", w)
			}
			opens := 0
			for _, s := range e.Breakers() {
				if s.Component == "broker" {
					opens = s.Opens
				}
			}
			if want := map[bool]int{false: 0, true: 1}[tc.failed]; opens != want {
				t.Fatalf("broker's breaker opened %d times, want %d", opens, want)
			}
		})
	}
}

// TestCancelAllEndsOrders checks that the orders CancelAll cancels have
// ended: a later cancel or modify of one of them is refused, not done a
// second time, and their OCO group is gone.
func TestCancelAllEndsOrders(t *testing.T) {
	at := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	e := engine.New(testkit.NewGroupFeed([]engine.Bar{{Symbol: "A", Time: at, Open: 1, High: 1, Low: 1, Close: 1}}))
	b := New(e, Options{})
	canceled := 0
	engine.Subscribe(e.Bus(), "t", func(*engine.OrderCanceled) error { canceled++; return nil })
	engine.Subscribe(e.Bus(), "t", func(*engine.MarketEvent) error {
		for range 2 {
			e.Emit(&engine.SubmitOrder{Order: engine.Order{ID: e.NextOrderID(), Symbol: "A", Side: engine.Buy, Type: engine.Limit,
				Limit: engine.Price(engine.PriceScale / 2), Quantity: decimal.NewFromInt(1), OCO: "g"}})
		}
		e.Defer(engine.PhaseObserve, "t", func() error {
			b.CancelAll("stop")
			return nil
		})
		return nil
	})
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if canceled != 2 {
		t.Fatalf("%d cancel events, want 2", canceled)
	}
	if err := b.onCancel(&engine.CancelOrder{Time: at, OrderID: 1, Reason: "again"}); err == nil {
		t.Error("a second cancel of order 1 was accepted")
	}
	if err := b.onModify(&engine.ModifyOrder{Time: at, OrderID: 2, Quantity: decimal.NewFromInt(5)}); err == nil {
		t.Error("a modify of canceled order 2 was accepted")
	}
	if canceled != 2 || len(b.all) != 0 || len(b.oco) != 0 {
		t.Errorf("after CancelAll: %d cancel events, %d orders, %d OCO groups; want 2, 0, 0", canceled, len(b.all), len(b.oco))
	}
}
