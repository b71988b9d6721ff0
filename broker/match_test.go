package broker

import (
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// flat is the bar on which every order of the fill-rule table is made.
const flat = "100 100 100 100"

func buy(typ engine.OrderType) engine.Order {
	return engine.Order{Side: engine.Buy, Type: typ, Quantity: testkit.MustDec("10")}
}

func sell(typ engine.OrderType) engine.Order {
	return engine.Order{Side: engine.Sell, Type: typ, Quantity: testkit.MustDec("10")}
}

func with(o engine.Order, f func(*engine.Order)) engine.Order {
	f(&o)
	return o
}

// TestFillRules covers each order type × (not reached, reached, gapped
// through) × (buy, sell). The order is made on a flat bar at 100 and
// meets the bar "open high low close" on day 2. Prices worked out by
// hand from the rules in docs/execution.md.
func TestFillRules(t *testing.T) {
	lim := func(o engine.Order, p string) engine.Order {
		return with(o, func(o *engine.Order) { o.Limit = testkit.MustPrice(p) })
	}
	stp := func(o engine.Order, p string) engine.Order {
		return with(o, func(o *engine.Order) { o.Stop = testkit.MustPrice(p) })
	}
	stpLim := func(o engine.Order, s, l string) engine.Order { return lim(stp(o, s), l) }
	trail := func(o engine.Order, amt string) engine.Order {
		return with(o, func(o *engine.Order) { o.TrailAmount = testkit.MustPrice(amt) })
	}
	trailPct := func(o engine.Order, pct string) engine.Order {
		return with(o, func(o *engine.Order) { o.TrailPercent = testkit.MustDec(pct) })
	}
	tests := []struct {
		name  string
		order engine.Order
		bar   string
		want  []string
	}{
		{"market buy", buy(engine.Market), "101 102 99 100", []string{"01-02 fill 1 buy 10 @ 101"}},
		{"market sell gap", sell(engine.Market), "95 96 94 95", []string{"01-02 fill 1 sell 10 @ 95"}},
		{"moo buy", buy(engine.MarketOnOpen), "101 102 99 100", []string{"01-02 fill 1 buy 10 @ 101"}},
		{"moo sell", sell(engine.MarketOnOpen), "99 102 98 100", []string{"01-02 fill 1 sell 10 @ 99"}},

		{"limit buy not reached", lim(buy(engine.Limit), "99"), "100 102 99.5 101", nil},
		{"limit buy reached", lim(buy(engine.Limit), "99"), "100 101 98 99", []string{"01-02 fill 1 buy 10 @ 99"}},
		{"limit buy gapped", lim(buy(engine.Limit), "99"), "98 99 97 98.5", []string{"01-02 fill 1 buy 10 @ 98"}},
		{"limit sell not reached", lim(sell(engine.Limit), "101"), "100 100.5 98 99", nil},
		{"limit sell reached", lim(sell(engine.Limit), "101"), "100 102 99 101.5", []string{"01-02 fill 1 sell 10 @ 101"}},
		{"limit sell gapped", lim(sell(engine.Limit), "101"), "102 103 101.5 102", []string{"01-02 fill 1 sell 10 @ 102"}},

		{"stop buy not reached", stp(buy(engine.Stop), "101"), "100 100.5 99 100", nil},
		{"stop buy reached", stp(buy(engine.Stop), "101"), "100 102 99 101", []string{"01-02 trigger 1 @ 101", "01-02 fill 1 buy 10 @ 101"}},
		{"stop buy gapped", stp(buy(engine.Stop), "101"), "102 103 101.5 102.5", []string{"01-02 trigger 1 @ 102", "01-02 fill 1 buy 10 @ 102"}},
		{"stop sell not reached", stp(sell(engine.Stop), "99"), "100 101 99.5 100", nil},
		{"stop sell reached", stp(sell(engine.Stop), "99"), "100 101 98 99", []string{"01-02 trigger 1 @ 99", "01-02 fill 1 sell 10 @ 99"}},
		{"stop sell gapped", stp(sell(engine.Stop), "99"), "98 99 97 98", []string{"01-02 trigger 1 @ 98", "01-02 fill 1 sell 10 @ 98"}},

		{"stop-limit buy not reached", stpLim(buy(engine.StopLimit), "101", "101.5"), "100 100.5 99 100", nil},
		// Triggers at 101 on the way up; 101 is within the limit.
		{"stop-limit buy reached", stpLim(buy(engine.StopLimit), "101", "101.5"), "100 102 99 101",
			[]string{"01-02 trigger 1 @ 101", "01-02 fill 1 buy 10 @ 101"}},
		// Gaps to 102 (triggered at the open), then trades down to 101.5.
		{"stop-limit buy gapped", stpLim(buy(engine.StopLimit), "101", "101.5"), "102 103 101 102",
			[]string{"01-02 trigger 1 @ 102", "01-02 fill 1 buy 10 @ 101.5"}},
		// Gaps to 102 and never comes back to 101.5: triggered, not filled.
		{"stop-limit buy triggered only", stpLim(buy(engine.StopLimit), "101", "101.5"), "102 103 101.8 102",
			[]string{"01-02 trigger 1 @ 102"}},
		{"stop-limit sell not reached", stpLim(sell(engine.StopLimit), "99", "98.5"), "100 101 99.5 100", nil},
		{"stop-limit sell reached", stpLim(sell(engine.StopLimit), "99", "98.5"), "100 101 98 99",
			[]string{"01-02 trigger 1 @ 99", "01-02 fill 1 sell 10 @ 99"}},
		// Gaps to 98; high and low equally near the open, so the high comes
		// first and the path reaches 98.5.
		{"stop-limit sell gapped", stpLim(sell(engine.StopLimit), "99", "98.5"), "98 99 97 98.5",
			[]string{"01-02 trigger 1 @ 98", "01-02 fill 1 sell 10 @ 98.5"}},
		{"stop-limit sell triggered only", stpLim(sell(engine.StopLimit), "99", "98.5"), "98 98.2 97 97.5",
			[]string{"01-02 trigger 1 @ 98"}},
		// Low first (open → low → high → close): triggered at 101 on the
		// way up, which is within the limit 101: fills at 101.
		{"stop-limit buy path low first", stpLim(buy(engine.StopLimit), "101", "101"), "100 103 99.5 101.2",
			[]string{"01-02 trigger 1 @ 101", "01-02 fill 1 buy 10 @ 101"}},
		// Limit below the stop: after the trigger on the way up (the high
		// is nearer: open → high → low → close) the price falls to 98:
		// fills at the limit 100.5.
		{"stop-limit buy limit below stop", stpLim(buy(engine.StopLimit), "101", "100.5"), "100 101.5 98 99",
			[]string{"01-02 trigger 1 @ 101", "01-02 fill 1 buy 10 @ 100.5"}},
		// Same, but the low comes first (open → low → high → close): after
		// the trigger the price only goes to 103 and back to 101.5.
		{"stop-limit buy limit below stop, low first", stpLim(buy(engine.StopLimit), "101", "100.5"), "100 103 99.5 101.5",
			[]string{"01-02 trigger 1 @ 101"}},

		// Trailing stops start from the close of the bar that made them
		// (100): sell stop 98, buy stop 102.
		{"trailing sell not reached", trail(sell(engine.TrailingStop), "2"), "100 101 98.5 100.5", nil},
		{"trailing sell reached", trail(sell(engine.TrailingStop), "2"), "100 101 97 98", []string{"01-02 trigger 1 @ 98", "01-02 fill 1 sell 10 @ 98"}},
		{"trailing sell gapped", trail(sell(engine.TrailingStop), "2"), "97 98 96 97", []string{"01-02 trigger 1 @ 97", "01-02 fill 1 sell 10 @ 97"}},
		{"trailing buy not reached", trail(buy(engine.TrailingStop), "2"), "100 101.5 99 100", nil},
		{"trailing buy reached", trail(buy(engine.TrailingStop), "2"), "100 103 99 102", []string{"01-02 trigger 1 @ 102", "01-02 fill 1 buy 10 @ 102"}},
		{"trailing buy gapped", trail(buy(engine.TrailingStop), "2"), "103 104 102.5 103", []string{"01-02 trigger 1 @ 103", "01-02 fill 1 buy 10 @ 103"}},
		{"trailing sell percent reached", trailPct(sell(engine.TrailingStop), "2.5"), "100 101 97 98", []string{"01-02 trigger 1 @ 97.5", "01-02 fill 1 sell 10 @ 97.5"}},
		{"trailing buy percent not reached", trailPct(buy(engine.TrailingStop), "2.5"), "100 102.4 99 100", nil},
		// The high of 105 comes in the same bar as the low; the stop is
		// checked as it stood at the open (98).
		{"trailing sell same-bar high ignored", trail(sell(engine.TrailingStop), "2"), "100 105 97.5 104", []string{"01-02 trigger 1 @ 98", "01-02 fill 1 sell 10 @ 98"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, Options{}, bars(flat, tc.bar), map[int][]engine.Order{0: {tc.order}})
			check(t, tc.name, got, tc.want)
		})
	}
}

// TestNothingFillsOnCreationBar: an order made on the last bar never
// fills; a market-on-close order fills at once at that bar's close.
func TestNothingFillsOnCreationBar(t *testing.T) {
	got := run(t, Options{}, bars(flat, "101 102 99 100.5"), map[int][]engine.Order{
		1: {buy(engine.Market), with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("200") })},
	})
	check(t, "last bar", got, nil)
	e, b := runBroker(t, Options{}, bars(flat, "101 102 99 100.5"), map[int][]engine.Order{1: {sell(engine.MarketOnClose)}})
	check(t, "moc", e, []string{"01-02 fill 1 sell 10 @ 100.5"})
	if !b.UsedMarketOnClose() {
		t.Error("UsedMarketOnClose is false after a moc fill")
	}
}

// TestTrailingStopFollows: the stop rises with each bar's high and is
// checked at the next bar against the stop as it stood at its open.
func TestTrailingStopFollows(t *testing.T) {
	o := with(sell(engine.TrailingStop), func(o *engine.Order) { o.TrailAmount = testkit.MustPrice("2") })
	got := run(t, Options{}, bars(flat, "100 105 100 104", "104 106 103.5 105", "105 105 101 102"),
		map[int][]engine.Order{0: {o}})
	// Stop 98 at bar 1 (low 100: no), then 103 (best 105) at bar 2 (low
	// 103.5: no), then 104 (best 106) at bar 3: falls through at 104.
	check(t, "trail", got, []string{"01-04 trigger 1 @ 104", "01-04 fill 1 sell 10 @ 104"})
}

// TestMarketOnOpenIntraday: a moo order waits for the next calendar day's
// first bar.
func TestMarketOnOpenIntraday(t *testing.T) {
	at := func(h int, s string) engine.Bar {
		b := ohlc(0, s)
		b.Time = day0.Add(time.Duration(h) * time.Hour)
		return b
	}
	bs := []engine.Bar{at(10, flat), at(11, "101 101 101 101"), at(12, "102 102 102 102"), at(34, "103 103 103 103")}
	got := run(t, Options{}, bs, map[int][]engine.Order{0: {buy(engine.MarketOnOpen), buy(engine.Market)}})
	check(t, "moo", got, []string{"01-01 fill 2 buy 10 @ 101", "01-02 fill 1 buy 10 @ 103"})
}

// TestSlippageAppliesToMarketExecutions: stops pay slippage, limits do not.
func TestSlippageAppliesToMarketExecutions(t *testing.T) {
	opts := Options{Slippage: Slippage{BPS: testkit.MustDec("10")}}
	got := run(t, opts, bars(flat, "100 102 98 101"), map[int][]engine.Order{0: {
		with(buy(engine.Stop), func(o *engine.Order) { o.Stop = testkit.MustPrice("101") }),
		with(sell(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("101.5") }),
		sell(engine.Market),
	}})
	// Path open → high → low (the high and the low are as near): the
	// market sell at the open (100 × 0.999), then the stop at 101
	// (× 1.001), then the limit at 101.5 with no slippage. Triggers are
	// reported when matching, fills in the fill phase that follows.
	check(t, "slippage", got, []string{
		"01-02 trigger 1 @ 101",
		"01-02 fill 3 sell 10 @ 99.9",
		"01-02 fill 1 buy 10 @ 101.101",
		"01-02 fill 2 sell 10 @ 101.5",
	})
}

func TestIntrabarPath(t *testing.T) {
	b := ohlc(0, "100 104 95 101") // the high is nearer the open
	p := newPath(&b, PathNearest, 0)
	if p != (path{testkit.MustPrice("100"), testkit.MustPrice("104"), testkit.MustPrice("95"), testkit.MustPrice("101")}) {
		t.Errorf("nearest: %v", p)
	}
	if p := newPath(&b, PathPessimistic, 1); p != (path{testkit.MustPrice("100"), testkit.MustPrice("95"), testkit.MustPrice("104"), testkit.MustPrice("101")}) {
		t.Errorf("pessimistic long: %v", p)
	}
	b = ohlc(0, "100 106 95 101") // the low is nearer
	if p := newPath(&b, PathNearest, 0); p != (path{testkit.MustPrice("100"), testkit.MustPrice("95"), testkit.MustPrice("106"), testkit.MustPrice("101")}) {
		t.Errorf("nearest low first: %v", p)
	}
	if p := newPath(&b, PathPessimistic, -1); p != (path{testkit.MustPrice("100"), testkit.MustPrice("106"), testkit.MustPrice("95"), testkit.MustPrice("101")}) {
		t.Errorf("pessimistic short: %v", p)
	}
}

// TestMatchWithWrongSymbolIndex checks that bars whose SymbolIndex is not
// the engine's (made by hand) reach the right symbol's book: a working
// order of B fills on B's bar, not on A's, when their indices are swapped.
func TestMatchWithWrongSymbolIndex(t *testing.T) {
	e := engine.New(testkit.EmptyFeed{})
	b := New(e, Options{})
	market := func(day, idxA, idxB int, a, bb string) {
		tm := day0.AddDate(0, 0, day)
		m := &engine.MarketEvent{Time: tm, Bars: []engine.Bar{
			{Symbol: "A", SymbolIndex: idxA, Time: tm, Open: testkit.MustPrice(a), High: testkit.MustPrice(a), Low: testkit.MustPrice(a), Close: testkit.MustPrice(a)},
			{Symbol: "B", SymbolIndex: idxB, Time: tm, Open: testkit.MustPrice(bb), High: testkit.MustPrice(bb), Low: testkit.MustPrice(bb), Close: testkit.MustPrice(bb)},
		}}
		if err := b.onMarket(m); err != nil {
			t.Fatal(err)
		}
	}
	market(0, 0, 1, "10", "20")
	if err := b.onSubmit(&engine.SubmitOrder{Order: engine.Order{ID: 1, Time: day0, Symbol: "B", Side: engine.Buy,
		Type: engine.Market, Quantity: testkit.MustDec("3")}}); err != nil {
		t.Fatal(err)
	}
	market(1, 1, 0, "11", "21") // swapped: the order fills on B's bar
	if a, bpos := b.books["A"].pos, b.books["B"].pos; !a.IsZero() || !bpos.Equal(testkit.MustDec("3")) {
		t.Errorf("positions A %s, B %s; want 0 and 3", a, bpos)
	}
	market(2, 5, 5, "12", "22") // both out of range
	if got := b.books["A"].last.Close; got != testkit.MustPrice("12") {
		t.Errorf("A's last close %s, want 12", got)
	}
	if got := b.books["B"].last.Close; got != testkit.MustPrice("22") {
		t.Errorf("B's last close %s, want 22", got)
	}
	if n := len(b.Working()); n != 0 {
		t.Errorf("%d orders still working", n)
	}
}
