package broker

import (
	"fmt"
	"testing"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// TestFillEventsKept: an order's first fill is reported in an event made
// with the order, the later ones in events of their own, so that a
// subscriber that keeps the events it was handed finds each fill as it
// was reported: here a buy of 25 that fills 10, 10 and 5 on three bars
// (at most 1 % of a volume of 1000 a bar), and a sell of 4 that fills
// whole.
func TestFillEventsKept(t *testing.T) {
	var kept []*engine.FillEvent
	opts := Options{MaxVolumeShare: testkit.MustDec("0.01")}
	bs := bars("100 101 99 100", "101 102 100 101", "102 103 101 102", "103 104 102 103", "104 105 103 104")
	submit := map[int][]engine.Order{
		0: {{Side: engine.Buy, Type: engine.Market, Quantity: testkit.MustDec("25")}},
		3: {{Side: engine.Sell, Type: engine.Market, Quantity: testkit.MustDec("4")}},
	}
	_, _, err := runBrokerSetup(t, opts, bs, submit, func(e *engine.Engine, _ *Broker) {
		engine.Subscribe(e.Bus(), "keep", func(f *engine.FillEvent) error {
			kept = append(kept, f)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range kept {
		got = append(got, fmt.Sprintf("%s %d %s %s @ %s rest %s", f.Time.Format("01-02"), f.OrderID, f.Side, f.Quantity, f.Price, f.Remaining))
	}
	check(t, "kept fills", got, []string{
		"01-02 1 buy 10 @ 101 rest 15",
		"01-03 1 buy 10 @ 102 rest 5",
		"01-04 1 buy 5 @ 103 rest 0",
		"01-05 2 sell 4 @ 104 rest 0",
	})
}
