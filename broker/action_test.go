package broker

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// A split on day 2 restates the working orders: a trailing stop sell of
// 10 with a trail of 2 (best 104 after day 1, stop 102) becomes 20 with a
// trail of 1, best 52 and stop 51, and triggers on day 3 at 51; a limit
// buy of 5 at 90.00000001 becomes 10 at 45.000000005, half to even
// 45, and stays working (the lows stay above). Without the split the stop
// triggers at day 2's open, 51.8, for 10, and the buy fills there.
func TestSplitAdjustsOrders(t *testing.T) {
	bs := bars("100 100 100 100", "100 104 103 103.5", "51.8 52 51.5 51.7", "51.5 51.5 50.5 50.6")
	p := engine.PriceFromFloat
	submit := map[int][]engine.Order{0: {
		{Side: engine.Sell, Type: engine.TrailingStop, Quantity: decimal.NewFromInt(10), TrailAmount: p(2)},
		{Side: engine.Buy, Type: engine.Limit, Quantity: decimal.NewFromInt(5), Limit: 9_000_000_001},
	}}
	split := func(e *engine.Engine, b *Broker) {
		at := day0.AddDate(0, 0, 2)
		e.Schedule(at, &engine.ActionEvent{Time: at, Symbol: "X", Split: decimal.NewFromInt(2)})
	}
	got, b, err := runBrokerSetup(t, Options{}, bs, submit, split)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "with split", got, []string{"01-04 trigger 1 @ 51", "01-04 fill 1 sell 20 @ 51"})
	adj := b.Adjustments()
	if len(adj) != 2 {
		t.Fatalf("adjustments %+v", adj)
	}
	if a := adj[0]; a.Order.ID != 1 || a.Before.String() != "10" || a.After.String() != "20" || a.Order.TrailAmount != p(1) || a.Ratio.String() != "2" {
		t.Errorf("adjustment %+v", a)
	}
	if a := adj[1]; a.Order.ID != 2 || a.Before.String() != "5" || a.After.String() != "10" || a.Order.Limit != p(45) {
		t.Errorf("adjustment %+v", a)
	}
	if w := b.Working(); len(w) != 1 || w[0].ID != 2 || w[0].Quantity.String() != "10" || w[0].Limit != p(45) {
		t.Errorf("working %+v", w)
	}
	got, _, err = runBrokerSetup(t, Options{}, bs, submit, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "without split", got, []string{"01-03 trigger 1 @ 51.8", "01-03 fill 1 sell 10 @ 51.8", "01-03 fill 2 buy 5 @ 51.8"})
}
