package portfolio

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/internal/testkit"
)

// describe writes the orders as "sell AAA 24 -> 16" lines and, after each,
// the cash once it has filled at its decision price.
func describe(r Rebalance, p RebalancePlan) string {
	var b strings.Builder
	cash := r.Cash
	for _, o := range p.Orders {
		c := decimal.Zero
		if r.Commission != nil {
			c = r.Commission(o.Quantity, o.Price.Decimal())
		}
		cash = cash.Sub(o.Quantity.Mul(o.Price.Decimal()).Mul(decimal.NewFromInt(int64(o.Side)))).Sub(c)
		fmt.Fprintf(&b, "%s %s %s -> %s, cash %s\n", o.Side, o.Symbol, o.Quantity, o.Position, cash)
	}
	fmt.Fprintf(&b, "cash %s scaled %v", p.Cash, p.Scaled)
	return b.String()
}

func percentCommission(pct string) func(q, p decimal.Decimal) decimal.Decimal {
	rate := testkit.MustDec(pct).Shift(-2)
	return func(q, p decimal.Decimal) decimal.Decimal { return q.Mul(p).Mul(rate) }
}

func TestRebalancePlan(t *testing.T) {
	// Cash 500; AAA 40 @ 100 and BBB 50 @ 20: equity 500 + 4000 + 1000 = 5500.
	threeCash := Rebalance{
		Equity: testkit.MustDec("5500"), Cash: testkit.MustDec("500"), CashAccount: true,
		Holdings: []Holding{{"BBB", testkit.MustDec("50"), testkit.MustPrice("20")}, {"AAA", testkit.MustDec("40"), testkit.MustPrice("100")}},
		Targets:  []TargetWeight{{"CCC", 0.35, testkit.MustPrice("25")}, {"AAA", 0.3, testkit.MustPrice("100")}, {"BBB", 0.4, testkit.MustPrice("20")}},
	}
	fractional := threeCash
	fractional.Places = 2
	// Cash 1000; AAA 50 @ 100, BBB 100 @ 30: equity 9000.
	withCommission := Rebalance{
		Equity: testkit.MustDec("9000"), Cash: testkit.MustDec("1000"), CashAccount: true,
		Holdings:   []Holding{{"AAA", testkit.MustDec("50"), testkit.MustPrice("100")}, {"BBB", testkit.MustDec("100"), testkit.MustPrice("30")}},
		Targets:    []TargetWeight{{"AAA", 0.2, testkit.MustPrice("100")}, {"BBB", 0.3, testkit.MustPrice("30")}, {"CCC", 0.5, testkit.MustPrice("45")}},
		Commission: percentCommission("0.1"),
	}
	noCommission := withCommission
	noCommission.Commission = nil
	// Cash 1000; AAA 10 @ 100 long, ZZZ 20 @ 50 short: equity 1000.
	margin := Rebalance{
		Equity: testkit.MustDec("1000"), Cash: testkit.MustDec("1000"),
		Holdings: []Holding{{"AAA", testkit.MustDec("10"), testkit.MustPrice("100")}, {"ZZZ", testkit.MustDec("-20"), testkit.MustPrice("50")}},
		Targets:  []TargetWeight{{"AAA", -0.47, testkit.MustPrice("100")}, {"ZZZ", 0.3, testkit.MustPrice("50")}, {"CCC", 0.9, testkit.MustPrice("30")}},
	}
	// Two halves of 10000 at 100, no cash.
	halves := Rebalance{
		Equity: testkit.MustDec("10000"), CashAccount: true,
		Holdings: []Holding{{"AAA", testkit.MustDec("50"), testkit.MustPrice("100")}, {"BBB", testkit.MustDec("50"), testkit.MustPrice("100")}},
		Targets:  []TargetWeight{{"AAA", 0.52, testkit.MustPrice("100")}, {"BBB", 0.48, testkit.MustPrice("100")}},
	}
	with := func(r Rebalance, f func(*Rebalance)) Rebalance { f(&r); return r }
	for _, tc := range []struct {
		name string
		r    Rebalance
		want string
	}{
		// AAA: 0.3 × 5500 / 100 = 16.5 -> 16, sell 24 for 2400: cash 2900.
		// BBB: 0.4 × 5500 / 20 = 110, buy 60 for 1200; CCC: 0.35 × 5500 / 25
		// = 77, buy 77 for 1925. Need 3125 > 2900: cut by 2900/3125,
		// 60 -> 55.68 -> 55 and 77 -> 71.456 -> 71, 2875 in all.
		{"three symbols, cash account, whole units", threeCash, `sell AAA 24 -> 16, cash 2900
buy BBB 55 -> 105, cash 1800
buy CCC 71 -> 71, cash 25
cash 25 scaled true`},
		// 16.5 held: sell 23.5 for 2350, cash 2850; 60 × 2850/3125 = 54.72
		// exactly, 77 × 2850/3125 = 70.224 -> 70.22.
		{"three symbols, cash account, two decimal places", fractional, `sell AAA 23.5 -> 16.5, cash 2850
buy BBB 54.72 -> 104.72, cash 1755.6
buy CCC 70.22 -> 70.22, cash 0.1
cash 0.1 scaled true`},
		// AAA 0.2 × 9000/100 = 18: sell 32; BBB 0.3 × 9000/30 = 90: sell 10;
		// CCC 0.5 × 9000/45 = 100: buy 100 for exactly the 4500 the sells
		// leave.
		{"sells pay for the buys exactly", noCommission, `sell AAA 32 -> 18, cash 4200
sell BBB 10 -> 90, cash 4500
buy CCC 100 -> 100, cash 0
cash 0 scaled false`},
		// Commission 0.1 %: the sells net 3200 − 3.2 + 300 − 0.3, cash
		// 4496.5; the buy at full size would pay 4.5, so 4492 is available
		// for 4500 of need: 100 × 4492/4500 = 99.82 -> 99, costing 4455 +
		// 4.455.
		{"commission reserved", withCommission, `sell AAA 32 -> 18, cash 4196.8
sell BBB 10 -> 90, cash 4496.5
buy CCC 99 -> 99, cash 37.045
cash 37.045 scaled true`},
		// AAA −0.47 × 1000/100 = −4.7 -> −4 (toward zero): sell 14 through
		// zero. ZZZ 0.3 × 1000/50 = 6: buy 26, a cover, before CCC's buy of
		// 0.9 × 1000/30 = 30. Cash goes negative; a margin account allows it.
		{"margin account: shorts, covers before buys, rounding toward zero", margin, `sell AAA 14 -> -4, cash 2400
buy ZZZ 26 -> 6, cash 1100
buy CCC 30 -> 30, cash 200
cash 200 scaled false`},
		{"inside the band: no trade", with(halves, func(r *Rebalance) { r.Band = 0.02 }), `cash 0 scaled false`},
		{"outside the band", with(halves, func(r *Rebalance) { r.Band = 0.01 }), `sell BBB 2 -> 48, cash 200
buy AAA 2 -> 52, cash 0
cash 0 scaled false`},
		{"below the minimum trade", with(halves, func(r *Rebalance) { r.MinTrade = testkit.MustDec("200.01") }), `cash 0 scaled false`},
		{"at the minimum trade", with(halves, func(r *Rebalance) { r.MinTrade = testkit.MustDec("200") }), `sell BBB 2 -> 48, cash 200
buy AAA 2 -> 52, cash 0
cash 0 scaled false`},
		// A weight of zero closes AAA although its weight, 0.01, is inside
		// the band and its value, 100, below the minimum trade.
		{"a close ignores band and minimum", Rebalance{
			Equity: testkit.MustDec("10000"), Cash: testkit.MustDec("9900"), CashAccount: true, Band: 0.05, MinTrade: testkit.MustDec("500"),
			Holdings: []Holding{{"AAA", testkit.MustDec("1"), testkit.MustPrice("100")}},
			Targets:  []TargetWeight{{"AAA", 0, testkit.MustPrice("100")}},
		}, `sell AAA 1 -> 0, cash 10000
cash 10000 scaled false`},
		{"untargeted holdings close", Rebalance{
			Equity: testkit.MustDec("1000"), Cash: testkit.MustDec("950"), CashAccount: true,
			Holdings: []Holding{{"XXX", testkit.MustDec("5"), testkit.MustPrice("10")}},
			Targets:  []TargetWeight{{"AAA", 0.333, testkit.MustPrice("30")}},
		}, `sell XXX 5 -> 0, cash 1000
buy AAA 11 -> 11, cash 670
cash 670 scaled false`},
		{"untargeted holdings kept", Rebalance{
			Equity: testkit.MustDec("1000"), Cash: testkit.MustDec("950"), CashAccount: true, KeepUntargeted: true,
			Holdings: []Holding{{"XXX", testkit.MustDec("5"), testkit.MustPrice("10")}},
			Targets:  []TargetWeight{{"AAA", 0.333, testkit.MustPrice("30")}},
		}, `buy AAA 11 -> 11, cash 620
cash 620 scaled false`},
		// Both buys want 500 with 300 free: cut to 0.6, 3 units of BBB
		// (300 ≥ 250) and 3 of AAA; with a minimum of 310 both are dropped.
		{"cut below the minimum: dropped", Rebalance{
			Equity: testkit.MustDec("1000"), Cash: testkit.MustDec("300"), CashAccount: true, MinTrade: testkit.MustDec("310"),
			Holdings: []Holding{{"CCC", testkit.MustDec("7"), testkit.MustPrice("100")}},
			Targets:  []TargetWeight{{"AAA", 0.5, testkit.MustPrice("100")}, {"BBB", 0.5, testkit.MustPrice("100")}, {"CCC", 0.7, testkit.MustPrice("100")}},
		}, `cash 300 scaled true`},
		// AAA wants 0.5 × 995 / 100 = 4.975 -> 4 units, but no cash is free.
		{"no cash, nothing to sell", Rebalance{
			Equity: testkit.MustDec("995"), Cash: testkit.MustDec("-5"), CashAccount: true, KeepUntargeted: true,
			Holdings: []Holding{{"CCC", testkit.MustDec("10"), testkit.MustPrice("100")}},
			Targets:  []TargetWeight{{"AAA", 0.5, testkit.MustPrice("100")}},
		}, `cash -5 scaled true`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.r.Plan()
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(tc.r, p); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestRebalanceErrors(t *testing.T) {
	ok := Rebalance{
		Equity: testkit.MustDec("1000"), Cash: testkit.MustDec("1000"), CashAccount: true,
		Holdings: []Holding{{"AAA", testkit.MustDec("1"), testkit.MustPrice("10")}},
		Targets:  []TargetWeight{{"AAA", 0.5, testkit.MustPrice("10")}, {"BBB", 0.5, testkit.MustPrice("20")}},
	}
	if _, err := ok.Plan(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*Rebalance)
		want string
	}{
		{"zero equity", func(r *Rebalance) { r.Equity = decimal.Zero }, "equity 0 is not positive"},
		{"short in a cash account", func(r *Rebalance) { r.Targets[1].Weight = -0.1 }, "BBB: weight -0.1 is a short"},
		{"NaN weight", func(r *Rebalance) { r.Targets[1].Weight = math.NaN() }, "BBB: weight NaN is not a finite number"},
		{"target twice", func(r *Rebalance) { r.Targets[1].Symbol = "AAA" }, "AAA is listed twice"},
		{"holding twice", func(r *Rebalance) { r.Holdings = append(r.Holdings, r.Holdings[0]) }, "AAA is listed twice"},
		{"prices differ", func(r *Rebalance) { r.Holdings[0].Price = testkit.MustPrice("10.5") }, "AAA: the holding's price 10.5 differs from the target's 10"},
		{"no price", func(r *Rebalance) { r.Targets[1].Price = 0 }, "BBB: price 0 is not positive"},
		{"negative band", func(r *Rebalance) { r.Band = -0.01 }, "band -0.01"},
		{"negative minimum", func(r *Rebalance) { r.MinTrade = testkit.MustDec("-1") }, "minimum trade -1 is negative"},
		{"negative places", func(r *Rebalance) { r.Places = -1 }, "-1 decimal places"},
		// Buys of 49 AAA (490) and 25 BBB (500) pay 10 each at full size:
		// 960 is free for 990 of need, so they are cut to 47 and 24, where
		// this commission is 500 each and the cash would end at −970.
		{"commission falls with quantity", func(r *Rebalance) {
			r.Cash = testkit.MustDec("980")
			r.Commission = func(q, p decimal.Decimal) decimal.Decimal {
				if q.LessThan(testkit.MustDec("25")) && p.Equal(testkit.MustDec("20")) || q.LessThan(testkit.MustDec("49")) && p.Equal(testkit.MustDec("10")) {
					return testkit.MustDec("500")
				}
				return testkit.MustDec("10")
			}
		}, "the commission falls as the quantity grows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			r.Holdings = append([]Holding(nil), ok.Holdings...)
			r.Targets = append([]TargetWeight(nil), ok.Targets...)
			tc.edit(&r)
			_, err := r.Plan()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
