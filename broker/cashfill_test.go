package broker

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// ledger is an Account that books the broker's fills into its cash, as
// the portfolio does, so that a test sees cash after each fill. Equity is
// fixed: these tests do not reach the zero-equity stop.
type ledger struct {
	cash  decimal.Decimal
	after []string // cash after each fill
}

func (l *ledger) Cash() decimal.Decimal          { return l.cash }
func (l *ledger) Equity() float64                { return 1e6 }
func (l *ledger) EquityDecimal() decimal.Decimal { return decimal.NewFromInt(1e6) }

func (l *ledger) book(f *engine.FillEvent) error {
	v := f.Quantity.Mul(f.Price)
	if f.Side == engine.Buy {
		v = v.Neg()
	}
	l.cash = l.cash.Add(v).Sub(f.Commission)
	l.after = append(l.after, l.cash.String())
	return nil
}

// daysOf makes bars of symbol s from "open high low close" strings, one a
// day from day0.
func daysOf(s string, specs ...string) []engine.Bar {
	out := make([]engine.Bar, len(specs))
	for i, spec := range specs {
		out[i] = testkit.OHLC(s, day0.AddDate(0, 0, i), spec)
		out[i].Volume = 1000
	}
	return out
}

// zip interleaves the bars of two symbols day by day, x's first.
func zip(x, y []engine.Bar) []engine.Bar {
	var out []engine.Bar
	for i := range x {
		out = append(out, x[i], y[i])
	}
	return out
}

// TestCashAccountFillCheck re-checks a cash account's buys at the fill:
// each is cut to what the cash at that moment pays for, commission
// included, and the rest is canceled once the fill is booked. Every case
// is worked by hand.
func TestCashAccountFillCheck(t *testing.T) {
	qty := func(o engine.Order, q string) engine.Order {
		return with(o, func(o *engine.Order) { o.Quantity = testkit.MustDec(q) })
	}
	tests := []struct {
		name   string
		acct   AccountType
		comm   CommissionModel
		bars   []engine.Bar
		submit map[int][]engine.Order
		want   []string
		cash   []string // after each fill
	}{{
		// 10 × 90 = 900 ≤ 1000 at the close; 10 × 101 = 1010 at the open:
		// 9 × 101 = 909 fits, cash 91.
		name: "gap up", acct: CashAccount,
		bars:   bars("90 90 90 90", "101 101 101 101"),
		submit: map[int][]engine.Order{0: {buy(engine.Market)}},
		want: []string{
			"01-02 fill 1 buy 9 @ 101 rest 1",
			"01-02 cancel 1: cash account: 1000 free at the fill, the order needs 1010",
		},
		cash: []string{"91"},
	}, {
		// The same in a margin account: no check at the fill.
		name: "gap up, margin", acct: MarginAccount,
		bars:   bars("90 90 90 90", "101 101 101 101"),
		submit: map[int][]engine.Order{0: {buy(engine.Market)}},
		want:   []string{"01-02 fill 1 buy 10 @ 101"},
		cash:   []string{"-10"},
	}, {
		// 10 × 99.5 = 995 fits, but with 1 per unit it needs 1005;
		// 9 × 99.5 + 9 = 904.5.
		name: "commission", acct: CashAccount, comm: Commission{PerShare: testkit.MustDec("1")},
		bars:   bars("90 90 90 90", "99.5 99.5 99.5 99.5"),
		submit: map[int][]engine.Order{0: {buy(engine.Market)}},
		want: []string{
			"01-02 fill 1 buy 9 @ 99.5 rest 1 comm 9",
			"01-02 cancel 1: cash account: 1000 free at the fill, the order needs 1005",
		},
		cash: []string{"95.5"},
	}, {
		// Tiers of 1 per unit, then 0 from 15 units in the month: the
		// quantities tried at the fill do not count, so the next order,
		// after 9 units, still pays 1.
		name: "tiered commission", acct: CashAccount,
		comm:   &TieredCommission{Tiers: []Tier{{From: decimal.Zero, PerShare: testkit.MustDec("1")}, {From: testkit.MustDec("15"), PerShare: decimal.Zero}}},
		bars:   bars("90 90 90 90", "99.5 99.5 50 50", "50 50 50 50"),
		submit: map[int][]engine.Order{0: {buy(engine.Market)}, 1: {qty(buy(engine.Market), "1")}},
		want: []string{
			"01-02 fill 1 buy 9 @ 99.5 rest 1 comm 9",
			"01-02 cancel 1: cash account: 1000 free at the fill, the order needs 1005",
			"01-03 fill 2 buy 1 @ 50 comm 1",
		},
		cash: []string{"95.5", "44.5"},
	}, {
		// A minimum commission of 30: 9 × 99.5 + 30 = 925.5 fits.
		name: "minimum commission", acct: CashAccount, comm: Commission{Percent: testkit.MustDec("0.1"), Minimum: testkit.MustDec("30")},
		bars:   bars("90 90 90 90", "99.5 99.5 99.5 99.5"),
		submit: map[int][]engine.Order{0: {buy(engine.Market)}},
		want: []string{
			"01-02 fill 1 buy 9 @ 99.5 rest 1 comm 30",
			"01-02 cancel 1: cash account: 1000 free at the fill, the order needs 1025",
		},
		cash: []string{"74.5"},
	}, {
		// A quantity with one decimal is cut in steps of 0.1:
		// 1000 / 401 = 2.49…, 2.4 × 401 = 962.4.
		name: "fractional", acct: CashAccount,
		bars:   bars("390 390 390 390", "401 401 401 401"),
		submit: map[int][]engine.Order{0: {qty(buy(engine.Market), "2.5")}},
		want: []string{
			"01-02 fill 1 buy 2.4 @ 401 rest 0.1",
			"01-02 cancel 1: cash account: 1000 free at the fill, the order needs 1002.5",
		},
		cash: []string{"37.6"},
	}, {
		// Not one unit fits: canceled, nothing filled.
		name: "nothing fits", acct: CashAccount,
		bars:   bars("990 990 990 990", "1001 1001 1001 1001"),
		submit: map[int][]engine.Order{0: {qty(buy(engine.Market), "1")}},
		want:   []string{"01-02 cancel 1: cash account: 1000 free at the fill, the order needs 1001"},
	}, {
		// The sell of X fills first on day 3 and brings 950: 1050 is free
		// for the buy of Y, 20 × 55 = 1100 does not fit, 19 × 55 = 1045
		// does.
		name: "sell proceeds", acct: CashAccount,
		bars: zip(daysOf("X", "90 90 90 90", "90 90 90 90", "95 95 95 95"),
			daysOf("Y", "50 50 50 50", "50 50 50 50", "55 55 55 55")),
		submit: map[int][]engine.Order{
			0: {buy(engine.Market)},
			1: {sell(engine.Market), with(qty(buy(engine.Market), "20"), func(o *engine.Order) { o.Symbol = "Y" })},
		},
		want: []string{
			"01-02 fill 1 buy 10 @ 90",
			"01-03 fill 2 sell 10 @ 95",
			"01-03 fill 3 buy 19 @ 55 rest 1",
			"01-03 cancel 3: cash account: 1050 free at the fill, the order needs 1100",
		},
		cash: []string{"100", "1050", "5"},
	}, {
		// The same with the buy's symbol first in the bar time: the
		// market sell of Y still fills first, at its open.
		name: "sell proceeds, the buy's bar first", acct: CashAccount,
		bars: zip(daysOf("X", "50 50 50 50", "50 50 50 50", "55 55 55 55"),
			daysOf("Y", "90 90 90 90", "90 90 90 90", "95 95 95 95")),
		submit: map[int][]engine.Order{
			0: {with(buy(engine.Market), func(o *engine.Order) { o.Symbol = "Y" })},
			1: {with(sell(engine.Market), func(o *engine.Order) { o.Symbol = "Y" }), qty(buy(engine.Market), "20")},
		},
		want: []string{
			"01-02 fill 1 buy 10 @ 90",
			"01-03 fill 2 sell 10 @ 95",
			"01-03 fill 3 buy 19 @ 55 rest 1",
			"01-03 cancel 3: cash account: 1050 free at the fill, the order needs 1100",
		},
		cash: []string{"100", "1050", "5"},
	}, {
		// Market-on-close fills at once at the close it was checked at,
		// 10 × 100 = 1000, but the commission of 10 does not fit.
		name: "market on close", acct: CashAccount, comm: Commission{PerShare: testkit.MustDec("1")},
		bars:   bars("100 100 100 100"),
		submit: map[int][]engine.Order{0: {buy(engine.MarketOnClose)}},
		want: []string{
			"01-01 fill 1 buy 9 @ 100 rest 1 comm 9",
			"01-01 cancel 1: cash account: 1000 free at the fill, the order needs 1010",
		},
		cash: []string{"91"},
	}, {
		// A bracket exit of a cut entry works for the 9 filled.
		name: "bracket", acct: CashAccount,
		bars: bars("90 90 90 90", "101 101 101 101", "101 121 101 120"),
		submit: map[int][]engine.Order{0: {buy(engine.Market),
			with(sell(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("120"); o.Parent = 1 })}},
		want: []string{
			"01-02 fill 1 buy 9 @ 101 rest 1",
			"01-02 cancel 1: cash account: 1000 free at the fill, the order needs 1010",
			"01-03 fill 2 sell 9 @ 120",
		},
		cash: []string{"91", "1171"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := &ledger{cash: testkit.MustDec("1000")}
			opts := Options{Account: l, AccountType: tc.acct, Commission: tc.comm}
			got, _, err := runBrokerSetup(t, opts, tc.bars, tc.submit, func(e *engine.Engine, _ *Broker) {
				engine.Subscribe(e.Bus(), "ledger", l.book)
			})
			if err != nil {
				t.Fatal(err)
			}
			check(t, tc.name, got, tc.want)
			check(t, tc.name+" cash", l.after, tc.cash)
		})
	}
}
