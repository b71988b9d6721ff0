package broker

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// bracket returns a market buy entry of 10 (ID first) with a take-profit
// limit at tp and a stop-loss at sl, in one OCO group.
func bracket(first uint64, tp, sl string) []engine.Order {
	exit := engine.Order{Side: engine.Sell, Quantity: testkit.MustDec("10"), Parent: first, OCO: "b"}
	return []engine.Order{
		buy(engine.Market),
		with(exit, func(o *engine.Order) { o.Type, o.Limit = engine.Limit, testkit.MustPrice(tp) }),
		with(exit, func(o *engine.Order) { o.Type, o.Stop = engine.Stop, testkit.MustPrice(sl) }),
	}
}

// TestBracketBothExitsInOneBar: the entry fills at bar 1's open; bar 2
// reaches both the take-profit (103) and the stop-loss (97).
//
// Events made while matching (triggers, cancels) come before the fills,
// which are handled in the fill phase that follows.
func TestBracketBothExitsInOneBar(t *testing.T) {
	tests := []struct {
		name string
		path IntrabarPath
		bar  string
		want []string
	}{
		// The high (104) is nearer the open than the low (95): the
		// take-profit fills first, the stop is canceled.
		{"nearest high first", PathNearest, "100 104 95 101",
			[]string{"01-03 cancel 3: OCO: order 2 filled", "01-03 fill 2 sell 10 @ 103"}},
		// The long's adverse move first: the stop.
		{"pessimistic", PathPessimistic, "100 104 95 101",
			[]string{"01-03 trigger 3 @ 97", "01-03 cancel 2: OCO: order 3 filled", "01-03 fill 3 sell 10 @ 97"}},
		// The low (96) is nearer than the high (105): the stop first.
		{"nearest low first", PathNearest, "100 105 96 101",
			[]string{"01-03 trigger 3 @ 97", "01-03 cancel 2: OCO: order 3 filled", "01-03 fill 3 sell 10 @ 97"}},
		{"pessimistic low first", PathPessimistic, "100 105 96 101",
			[]string{"01-03 trigger 3 @ 97", "01-03 cancel 2: OCO: order 3 filled", "01-03 fill 3 sell 10 @ 97"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, Options{Path: tc.path}, bars(flat, "100 101 99 100", tc.bar), map[int][]engine.Order{0: bracket(1, "103", "97")})
			want := append([]string{"01-02 fill 1 buy 10 @ 100"}, tc.want...)
			check(t, tc.name, got, want)
		})
	}
}

// TestBracketExitsWaitForEntry: the exits do not work before the entry
// fills, even when their prices trade; they start from the entry's fill
// point within the bar.
func TestBracketExitsWaitForEntry(t *testing.T) {
	orders := bracket(1, "102", "97")
	orders[0] = with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("99") })
	// Bar 1 trades 102 but not 99: nothing. Bar 2 (low nearer the open:
	// open → low → high → close) fills the entry at 99 on the way down,
	// then the take-profit at 102 on the way up.
	got := run(t, Options{}, bars(flat, "100 102.5 99.5 101", "100 103 98 101"), map[int][]engine.Order{0: orders})
	check(t, "bracket", got, []string{
		"01-03 cancel 3: OCO: order 2 filled",
		"01-03 fill 1 buy 10 @ 99", "01-03 fill 2 sell 10 @ 102",
	})
	// An entry canceled unfilled takes its exits with it.
	orders = bracket(1, "102", "97")
	orders[0] = with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("90"); o.TIF = engine.IOC })
	got = run(t, Options{}, bars(flat, "100 102.5 99.5 101"), map[int][]engine.Order{0: orders})
	check(t, "entry canceled", got, []string{
		"01-02 cancel 1: IOC: the unfilled rest is canceled",
		"01-02 cancel 2: entry canceled unfilled", "01-02 cancel 3: entry canceled unfilled",
	})
}

// TestBracketPartialEntry: with a volume limit the entry fills 4 then 6;
// the exits work for what has filled, and OCO fills reduce the sibling.
func TestBracketPartialEntry(t *testing.T) {
	opts := Options{MaxVolumeShare: testkit.MustDec("0.004")} // 4 units of 1000
	bs := bars(flat, "100 101 99 100", "100 100.5 99.5 100", "100 103.5 99.5 103")
	got := run(t, opts, bs, map[int][]engine.Order{0: bracket(1, "103", "97")})
	check(t, "partial", got, []string{
		"01-02 fill 1 buy 4 @ 100 rest 6",
		"01-03 fill 1 buy 4 @ 100 rest 2",
		// Bar 3: the entry's last 2 at the open, then the take-profit,
		// limited to the 2 units of volume left... of the bar's 4: after
		// the entry's 2, 2 remain for the exit.
		"01-04 fill 1 buy 2 @ 100",
		"01-04 fill 2 sell 2 @ 103 rest 8",
	})
}

// TestTimeInForce covers DAY, GTD, IOC and FOK.
func TestTimeInForce(t *testing.T) {
	lim := with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("95") })
	day := with(lim, func(o *engine.Order) { o.TIF = engine.Day })
	gtd := with(lim, func(o *engine.Order) { o.TIF = engine.GTD; o.ExpireAt = day0.AddDate(0, 0, 2) })
	ioc := with(buy(engine.Market), func(o *engine.Order) { o.TIF = engine.IOC; o.Quantity = testkit.MustDec("25") })
	fok := with(buy(engine.Market), func(o *engine.Order) { o.TIF = engine.FOK; o.Quantity = testkit.MustDec("25") })
	fokOK := with(fok, func(o *engine.Order) { o.Quantity = testkit.MustDec("10") })
	tests := []struct {
		name  string
		opts  Options
		order engine.Order
		want  []string
	}{
		{"day expires after its session", Options{}, day, []string{"01-03 expire 1: DAY: session 2024-01-02 ended"}},
		{"gtd expires after its time", Options{}, gtd, []string{"01-04 expire 1: GTD: expired at 2024-01-03T00:00:00Z"}},
		// Bar 2's time is the expiry time itself: still working.
		{"gtd fills at its time", Options{}, with(gtd, func(o *engine.Order) { o.Limit = testkit.MustPrice("98.5") }), []string{"01-03 fill 1 buy 10 @ 98.5"}},
		{"ioc rest canceled", Options{MaxVolumeShare: testkit.MustDec("0.01")}, ioc,
			[]string{"01-02 fill 1 buy 10 @ 100 rest 15", "01-02 cancel 1: IOC: the unfilled rest is canceled"}},
		{"fok not whole", Options{MaxVolumeShare: testkit.MustDec("0.01")}, fok, []string{"01-02 cancel 1: FOK: only 10 of 25 could fill"}},
		{"fok whole", Options{MaxVolumeShare: testkit.MustDec("0.01")}, fokOK, []string{"01-02 fill 1 buy 10 @ 100"}},
		{"fok limit not reached", Options{}, with(lim, func(o *engine.Order) { o.TIF = engine.FOK }), []string{"01-02 cancel 1: FOK: not filled"}},
	}
	bs := bars(flat, "100 101 99 100", "100 101 98.5 100", "100 101 96 100")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.name, run(t, tc.opts, bs, map[int][]engine.Order{0: {tc.order}}), tc.want)
		})
	}
}

// TestPartialFillsSumToQuantity: 25 units at most 10 a bar fill 10, 10, 5.
func TestPartialFillsSumToQuantity(t *testing.T) {
	opts := Options{MaxVolumeShare: testkit.MustDec("0.01"), Commission: Commission{Percent: testkit.MustDec("0.1"), Minimum: testkit.MustDec("5")}}
	o := with(buy(engine.Market), func(o *engine.Order) { o.Quantity = testkit.MustDec("25") })
	got := run(t, opts, bars(flat, "100 101 99 100", "101 101 99 100", "102 103 101 102"), map[int][]engine.Order{0: {o}})
	// Commission 0.1 % with a 5 minimum per order: 1 → 5 on the first
	// fill; the order's 0.1 % stays below 5 (2.01, then 2.52), so the
	// later fills pay nothing.
	check(t, "partial", got, []string{
		"01-02 fill 1 buy 10 @ 100 rest 15 comm 5",
		"01-03 fill 1 buy 10 @ 101 rest 5",
		"01-04 fill 1 buy 5 @ 102",
	})
}

// TestOCOAndReduceOnly: a plain OCO pair, and reduce-only orders.
func TestOCOAndReduceOnly(t *testing.T) {
	a := with(sell(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("101"); o.OCO = "g" })
	b := with(sell(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("102"); o.OCO = "g" })
	got := run(t, Options{}, bars(flat, "100 103 99 100"), map[int][]engine.Order{0: {buy(engine.Market), a, b}})
	check(t, "oco", got, []string{"01-02 cancel 3: OCO: order 2 filled", "01-02 fill 1 buy 10 @ 100", "01-02 fill 2 sell 10 @ 101"})

	ro := with(sell(engine.Market), func(o *engine.Order) { o.ReduceOnly = true; o.Quantity = testkit.MustDec("15") })
	got = run(t, Options{}, bars(flat, "100 101 99 100", "100 101 99 100"), map[int][]engine.Order{0: {ro}, 1: {buy(engine.Market), ro}})
	check(t, "reduce-only", got, []string{
		"01-02 cancel 1: reduce-only: no position to reduce",
		// The buy of 10 fills before the reduce-only sell, which is cut to 10.
		"01-03 fill 2 buy 10 @ 100", "01-03 fill 3 sell 10 @ 100 rest 5",
	})
}

type refuseAll struct{}

func (refuseAll) Check(o engine.Order) error { return errors.New("guard says no") }

type fakeAccount struct {
	cash   decimal.Decimal
	equity decimal.Decimal
}

func (a fakeAccount) Cash() decimal.Decimal          { return a.cash }
func (a fakeAccount) Equity() float64                { return a.equity.InexactFloat64() }
func (a fakeAccount) EquityDecimal() decimal.Decimal { return a.equity }

// TestRejections reaches every rejection reason.
func TestRejections(t *testing.T) {
	cash := fakeAccount{cash: testkit.MustDec("1000"), equity: testkit.MustDec("1000")}
	m := buy(engine.Market)
	tests := []struct {
		name  string
		opts  Options
		order engine.Order
		want  string
	}{
		{"quantity", Options{}, with(m, func(o *engine.Order) { o.Quantity = decimal.Zero }), "quantity 0 is not positive"},
		{"side", Options{}, with(m, func(o *engine.Order) { o.Side = 0 }), "unknown side side(0)"},
		{"type", Options{}, with(m, func(o *engine.Order) { o.Type = 99 }), "order type type(99) is not supported"},
		{"tif", Options{}, with(m, func(o *engine.Order) { o.TIF = 9 }), "time in force tif(9) is not supported"},
		{"limit", Options{}, buy(engine.Limit), "limit order needs a positive limit price"},
		{"stop", Options{}, with(buy(engine.StopLimit), func(o *engine.Order) { o.Limit = testkit.MustPrice("1") }), "stop_limit order needs a positive stop price"},
		{"trail", Options{}, buy(engine.TrailingStop), "trailing stop needs exactly one of a positive trail amount and a positive trail percent"},
		{"trail pct", Options{}, with(buy(engine.TrailingStop), func(o *engine.Order) { o.TrailPercent = testkit.MustDec("100") }), "trail percent 100 must be below 100"},
		{"gtd", Options{}, with(m, func(o *engine.Order) { o.TIF = engine.GTD }), "GTD order needs an expiry time after the current bar"},
		{"symbol", Options{}, with(m, func(o *engine.Order) { o.Symbol = "Y" }), `unknown symbol "Y"`},
		{"parent", Options{}, with(sell(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("1"); o.Parent = 7 }), "parent order 7 is not a known order"},
		{"no short", Options{NoShort: []string{"X"}}, sell(engine.Market), "symbol X cannot be shorted"},
		{"cash short", Options{Account: cash, AccountType: CashAccount}, sell(engine.Market), "cash account: selling 10 would leave a short position of -10"},
		{"cash", Options{Account: cash, AccountType: CashAccount}, with(m, func(o *engine.Order) { o.Quantity = testkit.MustDec("11") }), "cash account: the order needs 1100, only 1000 is free"},
		{"cash limit", Options{Account: cash, AccountType: CashAccount}, with(buy(engine.Limit), func(o *engine.Order) { o.Quantity = testkit.MustDec("11"); o.Limit = testkit.MustPrice("91") }), "cash account: the order needs 1001, only 1000 is free"},
		{"leverage", Options{Account: cash, MaxLeverage: testkit.MustDec("2")}, with(m, func(o *engine.Order) { o.Quantity = testkit.MustDec("21") }), "margin: the order would take gross exposure to 2100, above max leverage 2 × equity 1000"},
		{"guard", Options{Guard: refuseAll{}}, m, "guard says no"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.opts, bars(flat, flat), map[int][]engine.Order{0: {tc.order}})
			check(t, tc.name, got, []string{"01-01 reject 1: " + tc.want})
		})
	}
	// Within limits: accepted.
	got := run(t, Options{Account: cash, MaxLeverage: testkit.MustDec("2")}, bars(flat, flat), map[int][]engine.Order{0: {with(m, func(o *engine.Order) { o.Quantity = testkit.MustDec("20") })}})
	check(t, "leverage ok", got, []string{"01-02 fill 1 buy 20 @ 100"})
	got = run(t, Options{Account: cash, AccountType: CashAccount}, bars(flat, flat), map[int][]engine.Order{0: {m}})
	check(t, "cash ok", got, []string{"01-02 fill 1 buy 10 @ 100"})
	// Bracket reasons: a child on the wrong side, a child of an entry
	// that ended unfilled.
	got = run(t, Options{}, bars(flat, "100 100 100 100", flat), map[int][]engine.Order{
		0: {with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("1"); o.TIF = engine.IOC }),
			with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("2"); o.Parent = 1 })},
		1: {with(sell(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("2"); o.Parent = 1 })},
	})
	check(t, "bracket reasons", got, []string{
		"01-01 reject 2: a bracket exit must trade the entry's symbol X on the other side",
		"01-02 cancel 1: IOC: the unfilled rest is canceled",
		"01-02 reject 3: parent order 1 ended unfilled",
	})
}

// TestModify changes a working limit order's price and quantity.
func TestModify(t *testing.T) {
	e := engine.New(testkit.NewFeed(bars(flat, "100 101 99 100", "100 101 98 100")))
	New(e, Options{})
	var fills []string
	n := 0
	engine.Subscribe(e.Bus(), "t", func(m *engine.MarketEvent) error {
		n++
		k := n
		e.Defer(engine.PhaseStrategy, "t", func() error {
			switch k {
			case 1:
				e.Emit(&engine.SubmitOrder{Order: engine.Order{ID: e.NextOrderID(), Symbol: "X", Side: engine.Buy,
					Type: engine.Limit, Limit: testkit.MustPrice("97"), Quantity: testkit.MustDec("10")}})
			case 2:
				e.Emit(&engine.ModifyOrder{OrderID: 1, Limit: testkit.MustPrice("98.5"), Quantity: testkit.MustDec("12")})
				e.Emit(&engine.ModifyOrder{OrderID: 1, Stop: testkit.MustPrice("98.5")})
			}
			return nil
		})
		return nil
	})
	var errs []string
	engine.Subscribe(e.Bus(), "t", func(f *engine.FillEvent) error {
		fills = append(fills, f.Quantity.String()+"@"+f.Price.String())
		return nil
	})
	engine.Subscribe(e.Bus(), "t", func(x *engine.ErrorEvent) error {
		errs = append(errs, x.Err.Error())
		return nil
	})
	if _, err := e.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	check(t, "fills", fills, []string{"12@98.5"})
	check(t, "errors", errs, []string{"modify order 1: a limit order has no stop price"})
}

// TestTrailingBracketExit: a trailing stop exit starts from its entry's
// fill price (100) and follows the highs after it.
func TestTrailingBracketExit(t *testing.T) {
	exit := engine.Order{Side: engine.Sell, Type: engine.TrailingStop, Quantity: testkit.MustDec("10"), Parent: 1, TrailAmount: testkit.MustPrice("3")}
	got := run(t, Options{}, bars(flat, "100 101 99 100", "100 106 102 105", "105 105 102 103"),
		map[int][]engine.Order{0: {buy(engine.Market), exit}})
	// Entry at 100: stop 97 (low 99: no; the high 101 lifts it to 98);
	// bar 2's low 102 is above 98, its high lifts the stop to 103; bar 3
	// falls to 102: out at 103.
	check(t, "trailing exit", got, []string{
		"01-02 fill 1 buy 10 @ 100",
		"01-04 trigger 2 @ 103", "01-04 fill 2 sell 10 @ 103",
	})
}

// TestBracketEntryCanceledAfterPartialFill: the entry fills 4 of 10 and
// is canceled (IOC); the exits then work for those 4 only.
func TestBracketEntryCanceledAfterPartialFill(t *testing.T) {
	orders := bracket(1, "103", "97")
	orders[0].TIF = engine.IOC
	got := run(t, Options{MaxVolumeShare: testkit.MustDec("0.004")}, bars(flat, "100 101 99 100", "100 104 99 101"), map[int][]engine.Order{0: orders})
	check(t, "partial entry", got, []string{
		"01-02 fill 1 buy 4 @ 100 rest 6",
		"01-02 cancel 1: IOC: the unfilled rest is canceled",
		"01-03 cancel 3: OCO: order 2 filled",
		"01-03 fill 2 sell 4 @ 103",
	})
}

// TestChildOfEndedParent: a bracket child submitted after its entry
// filled and ended is still limited to what the entry filled, though the
// broker keeps only a few fields of the ended entry; and the broker
// forgets done orders and OCO groups.
func TestChildOfEndedParent(t *testing.T) {
	got, b := runBroker(t, Options{}, bars(flat, flat, flat, "100 110 100 105"), map[int][]engine.Order{
		0: {buy(engine.Market)},
		2: {with(sell(engine.Limit), func(o *engine.Order) {
			o.Limit = testkit.MustPrice("105")
			o.Quantity = testkit.MustDec("25")
			o.Parent = 1
		})},
	})
	check(t, "child of an ended entry", got, []string{
		"01-02 fill 1 buy 10 @ 100",
		"01-04 fill 2 sell 10 @ 105",
	})
	// The child is done once it has filled what the entry filled.
	if len(b.all) != 0 || b.ended.held() != 2 {
		t.Errorf("orders kept whole %d, ended %d; want 0 and 2", len(b.all), b.ended.held())
	}
	for id, want := range map[uint64]string{1: "buy 10", 2: "sell 10"} {
		if e, ok, err := b.ended.get(id); !ok || err != nil || e.side.String()+" "+e.filled.String() != want {
			t.Errorf("ended order %d: %+v %v %v, want %s", id, e, ok, err, want)
		}
	}
	// An OCO pair: once both are done, the group is gone.
	_, b = runBroker(t, Options{}, bars(flat, "100 110 90 100"), map[int][]engine.Order{
		0: {with(sell(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("105"); o.OCO = "g" }),
			with(sell(engine.Stop), func(o *engine.Order) { o.Stop = testkit.MustPrice("95"); o.OCO = "g" })},
	})
	if len(b.oco) != 0 || len(b.all) != 0 {
		t.Errorf("after the OCO pair: %d groups, %d orders kept whole", len(b.oco), len(b.all))
	}
}
