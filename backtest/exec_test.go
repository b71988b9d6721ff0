package backtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/strategy"
)

// script is a strategy that runs a function at given bar indexes.
type script map[int]func(*strategy.Context)

type scripted struct {
	s script
	i int
}

func (s *scripted) OnBar(ctx *strategy.Context, _ engine.Bar) error {
	if f := s.s[s.i]; f != nil {
		f(ctx)
	}
	s.i++
	return nil
}

// volBars makes daily bars of X from "open/close" pairs with the given
// volume.
func volBars(volume float64, pairs ...string) []engine.Bar {
	bs := ocBars("X", pairs...)
	for i := range bs {
		bs[i].Volume = volume
	}
	return bs
}

func runScript(t *testing.T, cfg Config, bars []engine.Bar, s script) *Result {
	t.Helper()
	res, err := RunFeed(context.Background(), cfg, testkit.NewFeed(bars), &scripted{s: s})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func execEquity(res *Result) []string {
	var out []string
	for _, p := range res.Equity {
		out = append(out, fmt.Sprintf("%s cash %s equity %s", p.Time.Format("01-02"), p.Cash, p.Equity()))
	}
	return out
}

func execFills(res *Result) []string {
	var out []string
	for _, f := range res.Fills {
		out = append(out, fmt.Sprintf("%s %d %s %s @ %s comm %s rest %s", f.Time.Format("01-02"), f.OrderID, f.Side,
			f.Quantity, f.Price, f.Commission, f.Remaining))
	}
	return out
}

// TestPartialFillsCashAndPosition: 25 units at most 10 a bar (10 % of a
// volume of 100) fill 10, 10, 5; cash and position agree after each.
func TestPartialFillsCashAndPosition(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Account.Cash = testkit.MustDec("10000")
	cfg.Execution.MaxVolumeShare = testkit.MustDec("0.1")
	cfg.Costs.Commission.Pct = testkit.MustDec("0.1")
	cfg.Costs.Commission.Min = testkit.MustDec("5")
	res := runScript(t, cfg, volBars(100, "100/100", "100/100", "101/102", "102/103", "103/103"), script{
		0: func(ctx *strategy.Context) { ctx.Submit("X", engine.Buy, testkit.MustDec("25")) },
	})
	checkLines(t, "fills", execFills(res), []string{
		"01-02 1 buy 10 @ 100 comm 5 rest 15", // 0.1 % of 1000 = 1, raised to the order's minimum 5
		"01-03 1 buy 10 @ 101 comm 0 rest 5",  // the order's 0.1 % is 2.01: still under 5
		"01-04 1 buy 5 @ 102 comm 0 rest 0",   // 2.52
	})
	checkLines(t, "equity", execEquity(res), []string{
		"01-01 cash 10000 equity 10000",
		"01-02 cash 8995 equity 9995",  // 10 held at 100
		"01-03 cash 7985 equity 10025", // 20 at 102
		"01-04 cash 7475 equity 10050", // 25 at 103
		"01-05 cash 7475 equity 10050",
	})
	if o := res.Orders[0]; o.Status != StatusFilled || !o.FilledQuantity.Equal(testkit.MustDec("25")) || !o.FillPrice.Equal(testkit.MustDec("100.8")) {
		t.Errorf("order record %+v", o)
	}
}

// TestIOCPartialFillRecord: an IOC buy of 25 with at most 10 a bar (10 %
// of a volume of 100) fills 10 at the next open and the rest is canceled;
// the order's record holds the 10 it filled and their price, as
// orders.csv shows it.
func TestIOCPartialFillRecord(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Execution.MaxVolumeShare = testkit.MustDec("0.1")
	res := runScript(t, cfg, volBars(100, "100/100", "101/102", "102/103"), script{
		0: func(ctx *strategy.Context) {
			ctx.SubmitOrder(engine.Order{Symbol: "X", Side: engine.Buy, Type: engine.Market, Quantity: testkit.MustDec("25"), TIF: engine.IOC})
		},
	})
	checkLines(t, "fills", execFills(res), []string{"01-02 1 buy 10 @ 101 comm 0 rest 15"})
	var got []string
	for _, o := range res.Orders {
		got = append(got, fmt.Sprintf("%d %s/%s @ %s %s %s %s", o.ID, o.FilledQuantity, o.Quantity, o.FillPrice,
			o.FillTime.Format("01-02"), o.Status, o.Reason))
	}
	checkLines(t, "orders", got, []string{"1 10/25 @ 101 01-02 canceled IOC: the unfilled rest is canceled"})
}

// TestMarginCall: 200 units bought with 1000 of cash; the close of 6
// leaves equity 200, below 25 % of the exposure of 1200: the position is
// sold at the next open.
func TestMarginCall(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Account.Cash = testkit.MustDec("1000")
	cfg.Account.MaintenanceMargin = testkit.MustDec("0.25")
	res := runScript(t, cfg, ocBars("X", "10/10", "10/10", "10/6", "6.5/7", "7/7"), script{
		0: func(ctx *strategy.Context) { ctx.Submit("X", engine.Buy, testkit.MustDec("200")) },
		2: func(ctx *strategy.Context) { ctx.Submit("X", engine.Buy, testkit.MustDec("1")) },
	})
	checkLines(t, "fills", execFills(res), []string{
		"01-02 1 buy 200 @ 10 comm 0 rest 0",
		"01-04 3 sell 200 @ 6.5 comm 0 rest 0",
	})
	if res.MarginCalls != 1 || !res.FinalCash.Equal(testkit.MustDec("300")) || res.Stopped {
		t.Errorf("margin calls %d, final cash %s, stopped %v", res.MarginCalls, res.FinalCash, res.Stopped)
	}
	// The strategy's order made in the same timestamp as the call (ID 2;
	// the check runs after the strategies, so the liquidation is 3) is
	// refused.
	if o := res.Orders[1]; o.ID != 2 || o.Status != StatusRejected || o.Reason != "margin call in progress" {
		t.Errorf("order made with the call: %+v", o)
	}
	if o := res.Orders[2]; o.Source != "margin-call" || o.Status != StatusFilled {
		t.Errorf("liquidation order %+v", o)
	}
}

// TestZeroEquityStopsTrading: the close of 4 takes equity to −200; the
// position is sold at the next open and later orders are refused.
func TestZeroEquityStopsTrading(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Account.Cash = testkit.MustDec("1000")
	res := runScript(t, cfg, ocBars("X", "10/10", "10/10", "10/4", "4.5/5", "5/5"), script{
		0: func(ctx *strategy.Context) { ctx.Submit("X", engine.Buy, testkit.MustDec("200")) },
		3: func(ctx *strategy.Context) { ctx.Submit("X", engine.Buy, testkit.MustDec("1")) },
	})
	checkLines(t, "fills", execFills(res), []string{
		"01-02 1 buy 200 @ 10 comm 0 rest 0",
		"01-04 2 sell 200 @ 4.5 comm 0 rest 0",
	})
	if !res.Stopped || !res.FinalCash.Equal(testkit.MustDec("-100")) {
		t.Errorf("stopped %v, final cash %s", res.Stopped, res.FinalCash)
	}
	if o := res.Orders[2]; o.Status != StatusRejected || o.Reason != "trading stopped: equity reached zero" {
		t.Errorf("order after the stop: %+v", o)
	}
}

// TestBorrowFee: a short of 10 at 100 pays 36.5 %/365 a day: 1 for one
// day, then 3 days × 10 × 110 × 0.001 = 3.3 over a weekend.
func TestBorrowFee(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Account.BorrowRate = testkit.MustDec("36.5")
	bs := ocBars("X", "100/100", "100/100", "100/110", "110/110")
	bs[3].Time = bs[2].Time.AddDate(0, 0, 3)
	res := runScript(t, cfg, bs, script{0: func(ctx *strategy.Context) { ctx.Submit("X", engine.Sell, testkit.MustDec("10")) }})
	var fees []string
	for _, f := range res.Fees {
		fees = append(fees, fmt.Sprintf("%s %s %s %s", f.Time.Format("01-02"), f.Symbol, f.Kind, f.Amount))
	}
	checkLines(t, "fees", fees, []string{"01-03 X borrow 1", "01-06 X borrow 3.3"})
	if !res.FeeTotal.Equal(testkit.MustDec("4.3")) || !res.FinalCash.Equal(testkit.MustDec("100995.7")) {
		t.Errorf("fee total %s, final cash %s", res.FeeTotal, res.FinalCash)
	}
}

// TestOrdersFileRun replays an orders file through Run: a bracket whose
// take-profit fills, a limit order canceled by a later row, and a DAY
// order that expires.
func TestOrdersFileRun(t *testing.T) {
	dir := t.TempDir()
	data := "time,open,high,low,close,volume\n" +
		"2024-01-01,100,100,100,100,1000\n" +
		"2024-01-02,100,101,99,100,1000\n" +
		"2024-01-03,100,104,99.5,103,1000\n" +
		"2024-01-04,103,103.5,102,103,1000\n"
	orders := "time,symbol,side,type,quantity,limit,stop,trail,tif,expire,id,parent,oco\n" +
		"2024-01-01,X,buy,market,10,,,,,,entry,,\n" +
		"2024-01-01,X,sell,limit,,103,,,,,tp,entry,b\n" +
		"2024-01-01,X,sell,stop,,,97,,,,sl,entry,b\n" +
		"2024-01-01,X,buy,limit,5,90,,,,,low,,\n" +
		"2024-01-02,X,,cancel,,,,,,,low,,\n" +
		"2024-01-02,X,buy,limit,5,95,,,day,,dayord,,\n"
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := DefaultConfig()
	cfg.Data.Files = []string{write("X.csv", data)}
	cfg.Strategy.Orders = write("orders.csv", orders)
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range res.Orders {
		got = append(got, fmt.Sprintf("%s %s %s %s/%s %s %s", o.Label, o.Side, o.Type, o.FilledQuantity, o.Quantity, o.Status, o.Reason))
	}
	// In the order they ended: the OCO cancel of sl is reported in the
	// market phase, before tp's fill is applied in the fill phase.
	checkLines(t, "orders", got, []string{
		"entry buy market 10/10 filled ",
		"low buy limit 0/5 canceled orders canceled",
		"sl sell stop 0/10 canceled OCO: tp filled",
		"tp sell limit 10/10 filled ",
		"dayord buy limit 0/5 expired DAY: session 2024-01-03 ended",
	})
	checkLines(t, "fills", execFills(res), []string{
		"01-02 1 buy 10 @ 100 comm 0 rest 0",
		"01-03 2 sell 10 @ 103 comm 0 rest 0",
	})
	if res.Config.Strategy.Name != "orders" || res.IntrabarPath != "nearest" {
		t.Errorf("strategy %q path %q", res.Config.Strategy.Name, res.IntrabarPath)
	}
	// A bad orders file is refused before the run, naming line and column.
	cfg.Strategy.Orders = write("bad.csv", "time,symbol,side,type,quantity\n2024-01-01,X,buy,market,-1\n")
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "bad.csv:2:25: field \"quantity\"") {
		t.Errorf("bad orders file: %v", err)
	}
}

// TestBreakoutBrackets: the close of 101 breaks the 3-bar channel (high
// 100): a market entry fills at 102 with a take-profit at 101 × 1.1 =
// 111.1 and a stop at 101 × 0.95 = 95.95; the bar up to 112 takes the
// profit. The same bar's close of 112 breaks out again (above 102): the
// entry fills at 112, with a stop at 112 × 0.95 = 106.4, which the fall
// to 100 two bars later takes out.
func TestBreakoutBrackets(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Strategy.Name = "breakout"
	cfg.Strategy.Params = strategy.Params{"n": "3", "tp": "10", "sl": "5", "qty": "2"}
	s, err := strategy.New(cfg.Strategy.Name, cfg.Strategy.Params)
	if err != nil {
		t.Fatal(err)
	}
	bars := ocBars("X", "100/100", "100/100", "100/100", "100/101", "102/102", "102/112", "112/113", "113/113", "113/100")
	res, err := RunFeed(context.Background(), cfg, testkit.NewFeed(bars), s)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "fills", execFills(res), []string{
		"01-05 1 buy 2 @ 102 comm 0 rest 0",
		"01-06 2 sell 2 @ 111.1 comm 0 rest 0",
		"01-07 4 buy 2 @ 112 comm 0 rest 0",
		"01-09 6 sell 2 @ 106.4 comm 0 rest 0",
	})
	checkLines(t, "trades", tradeLines(res), []string{
		"long 2 2024-01-05 @ 102 -> 2024-01-06 @ 111.1 fee 0 gross 18.2 net 18.2 bars 1 closed",
		"long 2 2024-01-07 @ 112 -> 2024-01-09 @ 106.4 fee 0 gross -11.2 net -11.2 bars 2 closed",
	})
	status := map[uint64]string{}
	for _, o := range res.Orders {
		status[o.ID] = o.Status
	}
	if n := len(res.Orders); n != 6 || status[3] != StatusCanceled || status[5] != StatusCanceled {
		t.Errorf("orders: %d, %s, %s", n, status[3], status[5])
	}
}

// TestContextOrders: a strategy sends a bracket with Context.Bracket,
// moves its take-profit with Context.Modify, and signals long once the
// entry has filled: the sizer leaves the bracket's exits out of the
// working quantity, so no order follows the signal.
func TestContextOrders(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Sizing.Size = testkit.MustDec("10")
	var tp uint64
	res := runScript(t, cfg, ocBars("X", "100/100", "100/100", "100/102", "102/106", "106/106"), script{
		0: func(ctx *strategy.Context) {
			_, tp, _ = ctx.Bracket(engine.Order{Symbol: "X", Side: engine.Buy, Type: engine.Market, Quantity: testkit.MustDec("10")},
				testkit.MustPrice("110"), testkit.MustPrice("95"))
		},
		1: func(ctx *strategy.Context) {
			ctx.Signal("X", engine.TargetLong)
			ctx.Modify(tp, testkit.MustDec("0"), testkit.MustPrice("105"), 0)
		},
	})
	checkLines(t, "fills", execFills(res), []string{
		"01-02 1 buy 10 @ 100 comm 0 rest 0",
		"01-04 2 sell 10 @ 105 comm 0 rest 0",
	})
	var got []string
	for _, o := range res.Orders {
		got = append(got, fmt.Sprintf("%d %s %s %s %s %s", o.ID, o.Side, o.Type, o.Limit, o.Status, o.Reason))
	}
	checkLines(t, "orders", got, []string{ // in the order they ended
		"1 buy market 0 filled ",
		"3 sell stop 0 canceled OCO: order 2 filled",
		"2 sell limit 105 filled ",
	})
}

// TestSubmitOrderMalformed: Context.SubmitOrder returns a malformed
// order's *engine.OrderError at once, with the field at fault, and the
// broker rejects the order with the same reason on the record; a
// well-formed order gives no error.
func TestSubmitOrderMalformed(t *testing.T) {
	var errs []error
	var ids []uint64
	res := runScript(t, DefaultConfig(), ocBars("X", "100/100", "100/100", "100/100"), script{
		0: func(ctx *strategy.Context) {
			for _, o := range []engine.Order{
				{Symbol: "X", Side: engine.Buy, Type: engine.Limit, Quantity: testkit.MustDec("1")},
				{Symbol: "X", Side: engine.Buy, Type: engine.Market, Quantity: testkit.MustDec("-2")},
				{Symbol: "X", Side: engine.Buy, Type: engine.Market, Quantity: testkit.MustDec("1")},
			} {
				id, err := ctx.Place(o)
				ids, errs = append(ids, id), append(errs, err)
			}
		},
	})
	wantField := []string{"limit", "quantity", ""}
	wantErr := []string{"order 1: limit order needs a positive limit price", "order 2: quantity -2 is not positive", ""}
	for i, err := range errs {
		var oe *engine.OrderError
		switch {
		case wantField[i] == "" && err != nil:
			t.Errorf("order %d: SubmitOrder error %v, want none", ids[i], err)
		case wantField[i] != "" && (!errors.As(err, &oe) || oe.Field != wantField[i] || err.Error() != wantErr[i]):
			t.Errorf("order %d: SubmitOrder error %v, want %q on field %s", ids[i], err, wantErr[i], wantField[i])
		}
	}
	var got []string
	for _, o := range res.Orders {
		got = append(got, fmt.Sprintf("%d %s %s", o.ID, o.Status, o.Reason))
	}
	checkLines(t, "orders", got, []string{
		"1 rejected limit order needs a positive limit price",
		"2 rejected quantity -2 is not positive",
		"3 filled ",
	})
}

// backlog is a strategy with orders it never submits.
type backlog struct{ n int }

func (backlog) OnBar(*strategy.Context, engine.Bar) error { return nil }
func (b backlog) Pending() int                            { return b.n }

// TestBacklogged: a run reports the pending orders of any strategy that
// implements strategy.Backlogged, not only of a Replay.
func TestBacklogged(t *testing.T) {
	res, err := RunFeed(context.Background(), DefaultConfig(), testkit.NewFeed(ocBars("X", "100/100", "100/100")), backlog{n: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.UnsubmittedRows != 3 {
		t.Errorf("UnsubmittedRows = %d, want 3", res.UnsubmittedRows)
	}
}
