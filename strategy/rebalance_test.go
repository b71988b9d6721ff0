package strategy_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// rebalancer moves to the weights of plan[n] at its n-th OnBars call
// (from 1) and logs what becomes of its orders.
type rebalancer struct {
	plan map[int]map[string]float64
	n    int
	log  []string
}

func (s *rebalancer) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (s *rebalancer) OnBars(ctx *strategy.Context, _ []engine.Bar) error {
	s.n++
	w, ok := s.plan[s.n]
	if !ok {
		return nil
	}
	ids, err := ctx.Rebalance(w)
	for _, id := range ids {
		o, _ := ctx.Order(id)
		s.log = append(s.log, fmt.Sprintf("%s sent #%d %s %s %s", ctx.Time().Format("01-02"), id, o.Order.Side, o.Order.Quantity, o.Order.Symbol))
	}
	return err
}

func (s *rebalancer) OnOrder(ctx *strategy.Context, u strategy.OrderUpdate) error {
	line := fmt.Sprintf("%s %s #%d", u.Time.Format("01-02"), u.Event, u.Order.ID)
	switch u.Event {
	case strategy.OrderFilledEvent, strategy.OrderPartiallyFilledEvent:
		line += fmt.Sprintf(" %s %s %s @ %s, cash %s", u.Order.Side, u.Quantity, u.Order.Symbol, u.Price, ctx.Cash())
	case strategy.OrderRejectedEvent:
		line += " " + u.Reason
	}
	s.log = append(s.log, line)
	return nil
}

// TestRebalanceCashAccount is a rebalance of three symbols in a cash
// account, worked by hand.
//
// 03-04, closes AAA 10, BBB 20, CCC 50, cash 10 000: half in AAA, half in
// BBB is 500 AAA (5 000) and 250 BBB (5 000), buys that use all the cash.
// They fill at 03-05's opens, 10 and 20: cash 5 000, then 0.
//
// 03-05, closes AAA 12, BBB 18, CCC 50: equity 500×12 + 250×18 = 10 500.
// Half in BBB and half in CCC, AAA (in the universe) to zero: sell 500
// AAA; BBB 5 250/18 = 291.67 → 291, buy 41; CCC 5 250/50 = 105, buy 105.
// The sells bring 6 000 at the decision prices; the buys need 41×18 +
// 105×50 = 5 988, which fits. The cash is 0, so the broker accepts the
// buys only because it counts the working sell's proceeds: BBB needs 738
// of 0 + 6 000 free, CCC 5 250 of 6 000 − 738 = 5 262.
//
// 03-06 opens AAA 12.5, BBB 17.5, CCC 50.5, fills in the feed's symbol
// order: +6 250 → 6 250; −717.5 → 5 532.5; −5 302.5 → 230.
func TestRebalanceCashAccount(t *testing.T) {
	bars := map[string][]ohlc{
		"AAA": {{day(3, 4), 10, 10}, {day(3, 5), 10, 12}, {day(3, 6), 12.5, 12.5}},
		"BBB": {{day(3, 4), 20, 20}, {day(3, 5), 20, 18}, {day(3, 6), 17.5, 17.5}},
		"CCC": {{day(3, 4), 50, 50}, {day(3, 5), 50, 50}, {day(3, 6), 50.5, 50.5}},
	}
	cfg := backtest.DefaultConfig()
	cfg.Account.Type = broker.CashAccount
	cfg.Account.Cash = decimal.NewFromInt(10000)
	s := &rebalancer{plan: map[int]map[string]float64{
		1: {"AAA": 0.5, "BBB": 0.5},
		2: {"BBB": 0.5, "CCC": 0.5},
	}}
	res := runFeed(t, cfg, feedOf(t, []string{"AAA", "BBB", "CCC"}, bars), s)
	want := []string{
		"03-04 sent #1 buy 500 AAA",
		"03-04 sent #2 buy 250 BBB",
		"03-04 accepted #1",
		"03-04 accepted #2",
		"03-05 filled #1 buy 500 AAA @ 10, cash 5000",
		"03-05 filled #2 buy 250 BBB @ 20, cash 0",
		"03-05 sent #3 sell 500 AAA",
		"03-05 sent #4 buy 41 BBB",
		"03-05 sent #5 buy 105 CCC",
		"03-05 accepted #3",
		"03-05 accepted #4",
		"03-05 accepted #5",
		"03-06 filled #3 sell 500 AAA @ 12.5, cash 6250",
		"03-06 filled #4 buy 41 BBB @ 17.5, cash 5532.5",
		"03-06 filled #5 buy 105 CCC @ 50.5, cash 230",
	}
	checkLines(t, "log", s.log, want)
	for _, o := range res.Orders {
		if o.Status == "rejected" {
			t.Errorf("order %d rejected: %s", o.ID, o.Reason)
		}
	}
	if !res.FinalCash.Equal(decimal.NewFromInt(230)) {
		t.Errorf("final cash %s, want 230", res.FinalCash)
	}
}

// TestRebalanceCashAccountPriceRose: all of a cash account's 1 000 into
// AAA at the close of 10 is a buy of 100; AAA opens at 11, where the
// cash pays for 90 (990). The broker fills those 90, cancels the other 10
// and the cash stays at 10, never below zero.
func TestRebalanceCashAccountPriceRose(t *testing.T) {
	bars := map[string][]ohlc{"AAA": {{day(3, 4), 10, 10}, {day(3, 5), 11, 11}, {day(3, 6), 11, 11}}}
	cfg := backtest.DefaultConfig()
	cfg.Account.Type = broker.CashAccount
	cfg.Account.Cash = decimal.NewFromInt(1000)
	s := &rebalancer{plan: map[int]map[string]float64{1: {"AAA": 1}}}
	res := runFeed(t, cfg, feedOf(t, []string{"AAA"}, bars), s)
	want := []string{
		"03-04 sent #1 buy 100 AAA",
		"03-04 accepted #1",
		"03-05 partially-filled #1 buy 90 AAA @ 11, cash 10",
		"03-05 canceled #1",
	}
	checkLines(t, "log", s.log, want)
	if len(res.Orders) != 1 || res.Orders[0].Reason != "cash account: 1000 free at the fill, the order needs 1100" {
		t.Errorf("orders %+v", res.Orders)
	}
	if !res.FinalCash.Equal(decimal.NewFromInt(10)) {
		t.Errorf("final cash %s, want 10", res.FinalCash)
	}
}
