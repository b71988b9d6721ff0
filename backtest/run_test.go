package backtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/strategy"
)

var day0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// ocBars makes daily bars from "open/close" pairs; high and low are the
// larger and smaller of the two.
func ocBars(sym string, pairs ...string) []engine.Bar {
	var out []engine.Bar
	for i, pc := range pairs {
		o, c, _ := strings.Cut(pc, "/")
		op, cp := testkit.MustPrice(o), testkit.MustPrice(c)
		out = append(out, engine.Bar{Symbol: sym, Time: day0.AddDate(0, 0, i), Open: op, Close: cp,
			High: max(op, cp), Low: min(op, cp), Volume: 1000})
	}
	return out
}

// handBars are worked through by hand in TestHandWorkedLongShort.
var handBars = []string{"10/10", "10/10", "10/10", "10.5/11", "10/9", "9.2/9", "8.8/9", "9.5/10", "10.2/10", "9.9/9"}

func runHand(t *testing.T, closeAtEnd bool) *Result {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Strategy.Name = "smacross"
	cfg.Strategy.Params = strategy.Params{"fast": "2", "slow": "3", "mode": "longshort"}
	cfg.Sizing.Size = testkit.MustDec("10")
	cfg.Costs.Commission.Pct = testkit.MustDec("0.1")
	cfg.Execution.CloseAtEnd = closeAtEnd
	s, err := strategy.New(cfg.Strategy.Name, cfg.Strategy.Params)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunFeed(context.Background(), cfg, testkit.NewFeed(ocBars("X", handBars...)), s)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestHandWorkedLongShort checks every fill, commission, cash balance,
// trade and equity point of a small run worked out by hand.
//
// smacross fast 2, slow 3, longshort, size 10, commission 0.1 %:
//   - bar 5 (close 9): down-cross through the tie of bar 4: target -10.
//   - bar 6 opens 8.8: sell 10 @ 8.8, commission 0.088.
//     cash 100000 + 88 - 0.088 = 100087.912
//   - bar 7 (close 10): up-cross: target +10, one buy of 20.
//   - bar 8 opens 10.2: buy 20 @ 10.2, commission 0.204, half to the short
//     it closes, half to the long it opens. cash 100087.912 - 204 - 0.204
//     = 99883.708. Short: gross 10 × (8.8 - 10.2) = -14, commission
//     0.088 + 0.102 = 0.19, net -14.19, held 2 bars.
//   - bar 9 (close 9, the last): down-cross: sell 20, which never fills.
//   - final equity 99883.708 + 10 × 9 = 99973.708.
func TestHandWorkedLongShort(t *testing.T) {
	res := runHand(t, false)
	wantFills := []string{
		"1 2024-01-07 sell 10 @ 8.8 fee 0.088",
		"2 2024-01-09 buy 20 @ 10.2 fee 0.204",
	}
	checkLines(t, "fills", fillLines(res), wantFills)
	wantEquity := []string{
		"2024-01-01 100000 100000", "2024-01-02 100000 100000", "2024-01-03 100000 100000",
		"2024-01-04 100000 100000", "2024-01-05 100000 100000", "2024-01-06 100000 100000",
		"2024-01-07 100087.912 99997.912", "2024-01-08 100087.912 99987.912",
		"2024-01-09 99883.708 99983.708", "2024-01-10 99883.708 99973.708",
	}
	checkLines(t, "equity", equityLines(res), wantEquity)
	wantTrades := []string{
		"short 10 2024-01-07 @ 8.8 -> 2024-01-09 @ 10.2 fee 0.19 gross -14 net -14.19 bars 2 closed",
		"long 10 2024-01-09 @ 10.2 -> open fee 0.102 gross 0 net -0.102 bars 1 open",
	}
	checkLines(t, "trades", tradeLines(res), wantTrades)
	wantOrders := []string{"1 sell 10 market filled", "2 buy 20 market filled", "3 sell 20 market working"}
	checkLines(t, "orders", orderLines(res), wantOrders)
	if !res.FinalCash.Equal(testkit.MustDec("99883.708")) || !res.FinalEquity.Equal(testkit.MustDec("99973.708")) {
		t.Errorf("final cash %s equity %s", res.FinalCash, res.FinalEquity)
	}
	if res.SameBarFills || res.Partial {
		t.Errorf("same-bar %v partial %v", res.SameBarFills, res.Partial)
	}
	m, c := res.Metrics, res.Counts
	if c != (Counts{Fills: 2, Orders: 3, Unfilled: 1, ClosedTrades: 1, OpenTrades: 1, Losses: 1}) || m.WinRate != 0 || m.PeriodsPerYear != 252 {
		t.Errorf("counts %+v metrics %+v", c, m)
	}
	if want := 99973.708/100000 - 1; !close(m.TotalReturn, want, 1e-12) {
		t.Errorf("total return %v, want %v", m.TotalReturn, want)
	}
	// The deepest point: 99973.708 after a peak of 100000.
	if want := 99973.708/100000 - 1; !close(m.MaxDrawdown, want, 1e-12) {
		t.Errorf("max drawdown %v, want %v", m.MaxDrawdown, want)
	}
}

// With close-at-end the long is closed at the last close, 9, with a
// market-on-close order that the results flag as same-bar execution.
func TestHandWorkedCloseAtEnd(t *testing.T) {
	res := runHand(t, true)
	checkLines(t, "fills", fillLines(res), []string{
		"1 2024-01-07 sell 10 @ 8.8 fee 0.088",
		"2 2024-01-09 buy 20 @ 10.2 fee 0.204",
		"3 2024-01-10 sell 10 @ 9 fee 0.09",
	})
	checkLines(t, "trades", tradeLines(res), []string{
		"short 10 2024-01-07 @ 8.8 -> 2024-01-09 @ 10.2 fee 0.19 gross -14 net -14.19 bars 2 closed",
		"long 10 2024-01-09 @ 10.2 -> 2024-01-10 @ 9 fee 0.192 gross -12 net -12.192 bars 1 closed",
	})
	// The strategy's last-bar signal still makes an order; it cannot fill.
	checkLines(t, "orders", orderLines(res), []string{
		"1 sell 10 market filled", "2 buy 20 market filled", "3 sell 10 moc filled", "4 sell 10 market working",
	})
	if !res.FinalCash.Equal(testkit.MustDec("99973.618")) || !res.FinalEquity.Equal(testkit.MustDec("99973.618")) || !res.SameBarFills {
		t.Errorf("final cash %s equity %s same-bar %v", res.FinalCash, res.FinalEquity, res.SameBarFills)
	}
}

func close(a, b, rel float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	if b < 0 {
		b = -b
	}
	return d <= rel*b
}

func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func fillLines(res *Result) []string {
	var out []string
	for _, f := range res.Fills {
		out = append(out, fmt.Sprintf("%d %s %s %s @ %s fee %s", f.OrderID, f.Time.Format("2006-01-02"), f.Side,
			f.Quantity, f.Price, f.Commission))
	}
	return out
}

func equityLines(res *Result) []string {
	var out []string
	for _, p := range res.Equity {
		out = append(out, fmt.Sprintf("%s %s %s", p.Time.Format("2006-01-02"), p.Cash, p.Equity()))
	}
	return out
}

func tradeLines(res *Result) []string {
	var out []string
	for _, t := range res.Trades {
		exit := "open"
		if !t.Open {
			exit = fmt.Sprintf("%s @ %s", t.ExitTime.Format("2006-01-02"), t.ExitPrice)
		}
		out = append(out, fmt.Sprintf("%s %s %s @ %s -> %s fee %s gross %s net %s bars %d %s", t.Side(), t.Quantity,
			t.EntryTime.Format("2006-01-02"), t.EntryPrice, exit, t.Commission, t.PnLGross, t.PnLNet, t.Bars, t.Status()))
	}
	return out
}

func orderLines(res *Result) []string {
	var out []string
	for _, o := range res.Orders {
		out = append(out, fmt.Sprintf("%d %s %s %s %s", o.ID, o.Side, o.Quantity, o.Type, o.Status))
	}
	return out
}

// TestEquityReused: a run given the equity points of an earlier run
// (Options.Equity) writes its own into their array, and they are the
// points of a run given none.
func TestEquityReused(t *testing.T) {
	run := func(equity []EquityPoint) *Result {
		t.Helper()
		cfg := DefaultConfig()
		cfg.Strategy.Name = "smacross"
		cfg.Strategy.Params = strategy.Params{"fast": "2", "slow": "3", "mode": "longshort"}
		cfg.Sizing.Size = testkit.MustDec("10")
		s, err := strategy.New(cfg.Strategy.Name, cfg.Strategy.Params)
		if err != nil {
			t.Fatal(err)
		}
		o := Options{Times: len(handBars), Equity: equity}
		res, err := o.RunFeed(context.Background(), cfg, testkit.NewFeed(ocBars("X", handBars...)), s)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	want := run(nil)
	old := make([]EquityPoint, 3, len(handBars))
	got := run(old[:0])
	if len(got.Equity) != len(handBars) || &got.Equity[0] != &old[:1][0] {
		t.Fatalf("%d points, in the given array %v", len(got.Equity), &got.Equity[0] == &old[:1][0])
	}
	if fmt.Sprint(got.Equity) != fmt.Sprint(want.Equity) {
		t.Errorf("points\n%v\nwant\n%v", got.Equity, want.Equity)
	}
	if small := run(make([]EquityPoint, 0, 2)); fmt.Sprint(small.Equity) != fmt.Sprint(want.Equity) {
		t.Errorf("with too small an array: points\n%v\nwant\n%v", small.Equity, want.Equity)
	}
}
