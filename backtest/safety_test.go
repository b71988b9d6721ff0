package backtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/strategy"
)

// TestKillSwitchTripsOnGeneratedData runs buyhold (500 units) on the
// generated testdata/daily/AAA.csv with a 5 % drawdown kill switch. Worked
// out in advance from the file: the 500 units fill at 2020-01-02's open,
// 98.17, leaving cash 50915. Equity peaks at 106295 and first falls more
// than 5 % below it on 2020-02-10, closing at 99.32: equity 50915 +
// 500 × 99.32 = 100575, a drawdown of 5.38 %. The kill switch sells the
// 500 units at the next open (2020-02-11, 100.13): final cash
// 50915 + 50065 = 100980, and one closed trade with P&L
// 500 × (100.13 − 98.17) = 980.
func TestKillSwitchTripsOnGeneratedData(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Data.Files = []string{filepath.Join("..", "testdata", "daily", "AAA.csv")}
	cfg.Strategy.Name = "buyhold"
	cfg.Sizing.Size = testkit.MustDec("500")
	cfg.KillSwitch.DrawdownPct = 5
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.KillSwitch) != 1 {
		t.Fatalf("kill switch events %+v, want one trip", res.KillSwitch)
	}
	k := res.KillSwitch[0]
	wantTime := time.Date(2020, 2, 10, 0, 0, 0, 0, time.UTC)
	if k.Action != engine.KillTrip || !k.Time.Equal(wantTime) || !k.Equity.Equal(testkit.MustDec("100575")) ||
		k.Reason != "drawdown 5.38 % from peak 106295.00 to 100575.00 > max 5 %" {
		t.Fatalf("trip = %+v", k)
	}
	// The report's charts mark the trip.
	if len(res.Markers) != 1 || res.Markers[0] != (Marker{Time: wantTime, Label: "kill switch"}) {
		t.Fatalf("markers %+v", res.Markers)
	}
	if len(res.Orders) != 2 {
		t.Fatalf("orders %+v", res.Orders)
	}
	o := res.Orders[1]
	if o.Source != "kill-switch" || o.Side != engine.Sell || !o.Quantity.Equal(testkit.MustDec("500")) || o.Status != StatusFilled ||
		!o.FillTime.Equal(time.Date(2020, 2, 11, 0, 0, 0, 0, time.UTC)) || !o.FillPrice.Equal(testkit.MustDec("100.13")) {
		t.Fatalf("flatten order = %+v", o)
	}
	if !res.FinalCash.Equal(testkit.MustDec("100980")) || !res.FinalEquity.Equal(testkit.MustDec("100980")) {
		t.Fatalf("final cash %s equity %s, want 100980", res.FinalCash, res.FinalEquity)
	}
	if len(res.Trades) != 1 || res.Trades[0].Open || !res.Trades[0].PnLNet.Equal(testkit.MustDec("980")) {
		t.Fatalf("trades %+v", res.Trades)
	}
	if res.Partial {
		t.Fatal("a kill switch trip does not make the run partial")
	}
}

// barFunc is a strategy that runs a function on each bar.
type barFunc func(ctx *strategy.Context, bar engine.Bar) error

func (s barFunc) OnBar(ctx *strategy.Context, bar engine.Bar) error { return s(ctx, bar) }

// TestStrategyKillRequest: a strategy asks for the kill switch on its
// third bar, while long 10 units: they are sold at the fourth bar's open,
// and its later orders are refused. A reset with the wrong authorization
// is refused and recorded; the right one lets orders through again.
func TestStrategyKillRequest(t *testing.T) {
	bars := ocBars("AAA", "10/10", "10/11", "11/12", "13/13", "13/13", "13/14", "14/14")
	n := 0
	s := barFunc(func(ctx *strategy.Context, bar engine.Bar) error {
		n++
		switch n {
		case 1:
			ctx.Signal("AAA", engine.TargetLong)
		case 3:
			ctx.Kill("enough")
		case 4:
			ctx.Signal("AAA", engine.TargetLong)
			ctx.ResetKillSwitch("guess")
		case 5:
			ctx.ResetKillSwitch("open sesame")
			ctx.Signal("AAA", engine.TargetLong)
		}
		return nil
	})
	cfg := DefaultConfig()
	cfg.Strategy.Name = "script"
	cfg.Sizing.Size = testkit.MustDec("10")
	cfg.KillSwitch.Authorization = "open sesame"
	res, err := RunFeed(context.Background(), cfg, testkit.NewFeed(bars), s)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range res.KillSwitch {
		got = append(got, k.Time.Format("01-02")+" "+k.Action.String()+": "+k.Reason+" @"+k.Equity.String())
	}
	// Long 10 from 01-02's open (10): cash 99900. 01-03 closes at 12.
	want := []string{
		"01-03 trip: requested by script: enough @100020",
		"01-04 reset-refused: wrong authorization @100030",
		"01-05 reset: authorized reset @100030",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("kill switch:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var orders []string
	for _, o := range res.Orders {
		orders = append(orders, o.Source+" "+o.Side.String()+" "+o.Quantity.String()+" "+o.Status+" "+o.Reason)
	}
	wantOrders := []string{
		"script buy 10 filled ",
		"kill-switch sell 10 filled ",
		"script buy 10 rejected kill switch tripped: requested by script: enough",
		"script buy 10 filled ",
	}
	if strings.Join(orders, "\n") != strings.Join(wantOrders, "\n") {
		t.Fatalf("orders:\n%s\nwant\n%s", strings.Join(orders, "\n"), strings.Join(wantOrders, "\n"))
	}
	if res.RiskRefusals["kill-switch"] != 1 || len(res.RiskRefusals) != 1 {
		t.Fatalf("refusals %v", res.RiskRefusals)
	}
}

// TestStrategyPanic: a strategy that panics on every bar from the second
// to the seventh does not end the run under --on-error continue. With 3
// failures and a
// 2-day cool-down its breaker opens on 01-04 (the third failure) until
// 01-06; 01-05 is skipped; the trial on 01-06 fails and opens it until
// 01-08; 01-07 is skipped; the trial on 01-08 succeeds and closes it.
// The run warns of the failures. By default, and with --on-error stop,
// the first panic ends the run, partial.
func TestStrategyPanic(t *testing.T) {
	var bars []engine.Bar
	for range 9 {
		bars = append(bars, ocBars("AAA", "10/10")...)
	}
	for i := range bars {
		bars[i].Time = day0.AddDate(0, 0, i)
	}
	var seen []string
	s := barFunc(func(ctx *strategy.Context, bar engine.Bar) error {
		seen = append(seen, bar.Time.Format("01-02"))
		if d := bar.Time.Day(); d >= 2 && d <= 7 {
			panic("bad bar")
		}
		return nil
	})
	cfg := DefaultConfig()
	cfg.Strategy.Name = "s"
	cfg.Breaker.Failures = 3
	cfg.Breaker.Cooldown = Duration(48 * time.Hour)
	cfg.Breaker.OnError = ContinueOnError
	res, err := RunFeed(context.Background(), cfg, testkit.NewFeed(bars), s)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seen, " "); got != "01-01 01-02 01-03 01-04 01-06 01-08 01-09" {
		t.Fatalf("strategy saw %s", got)
	}
	if len(res.Equity) != 9 || len(res.Errors) != 4 {
		t.Fatalf("%d equity points, %d errors", len(res.Equity), len(res.Errors))
	}
	var events []string
	for _, b := range res.BreakerEvents {
		events = append(events, b.Time.Format("01-02")+" "+b.Component+" "+b.From.String()+">"+b.To.String())
	}
	want := "01-04 s closed>open|01-06 s open>half-open|01-06 s half-open>open|01-08 s open>half-open|01-08 s half-open>closed"
	if got := strings.Join(events, "|"); got != want {
		t.Fatalf("breaker events %s\nwant %s", got, want)
	}
	var st engine.BreakerStats
	for _, b := range res.Breakers {
		if b.Component == "s" {
			st = b
		}
	}
	if st != (engine.BreakerStats{Component: "s", State: engine.BreakerClosed, Failures: 4, Opens: 2, Skipped: 2}) {
		t.Fatalf("breaker stats %+v", st)
	}
	// An isolated failure is not silent: the result warns of it.
	var codes []string
	for _, w := range res.Warnings() {
		codes = append(codes, fmt.Sprintf("%s=%d", w.Code, w.Count))
	}
	if got := strings.Join(codes, " "); got != "handler_errors=4 breaker_trips=2" {
		t.Fatalf("warnings %s, want handler_errors=4 breaker_trips=2", got)
	}
	if err := res.Strict(); !errors.Is(err, ErrWarnings) {
		t.Fatalf("Strict() = %v, want ErrWarnings", err)
	}

	// By default, and under StopOnError, the first panic ends the run.
	for _, policy := range []ErrorPolicy{StopOnStrategyError, StopOnError} {
		seen = nil
		cfg.Breaker.OnError = policy
		res, err = RunFeed(context.Background(), cfg, testkit.NewFeed(bars), s)
		if !errors.Is(err, engine.ErrHandlerFailed) || res == nil || !res.Partial {
			t.Fatalf("%v: err %v, res %+v", policy, err, res)
		}
		if !strings.HasPrefix(err.Error(), "handler failed: s: AAA 2024-01-02T00:00:00Z: panic: bad bar") {
			t.Fatalf("%v: err = %v", policy, err)
		}
		if len(res.Equity) != 1 || !res.Stats.Last.Equal(day0.AddDate(0, 0, 1)) {
			t.Fatalf("%v: %d equity points, last %v", policy, len(res.Equity), res.Stats.Last)
		}
	}
}

// TestSkipBadRows: with OnBadRow "skip" the bad rows of a file are
// dropped and counted, and the first errors are named.
func TestSkipBadRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "X.csv")
	csv := "date,open,high,low,close\n" +
		"2020-01-01,10,11,9,10\n" +
		"2020-01-02,10,11,9,abc\n" +
		"2020-01-03,10,11,9,10\n" +
		"2020-01-04,10,9,11,10\n" +
		"2020-01-05,10,11,9,10\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Data.Files = []string{path}
	cfg.Strategy.Name = "buyhold"
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "X.csv:3") {
		t.Fatalf("fail mode: err %v", err)
	}
	cfg.Data.OnBadRow = data.SkipBadRow
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Bars != 3 || res.SkippedRows != 2 || len(res.SkippedErrors) != 2 {
		t.Fatalf("bars %d, skipped %d %q", res.Stats.Bars, res.SkippedRows, res.SkippedErrors)
	}
	if !strings.Contains(res.SkippedErrors[0], "X.csv:3: field \"close\"") || !strings.Contains(res.SkippedErrors[1], "X.csv:5: field \"high\"") {
		t.Fatalf("skipped errors %q", res.SkippedErrors)
	}
}

func TestSafetyConfigValidate(t *testing.T) {
	tests := []struct {
		edit func(c *Config)
		want string
	}{
		{func(c *Config) { c.Risk.MaxOrderValue = testkit.MustDec("-5") }, "risk.max_order_value: -5 must not be negative"},
		{func(c *Config) { c.KillSwitch.Action = 7 }, `kill_switch.action: kill-action(7) is not flatten, halt or reduce`},
		{func(c *Config) { c.KillSwitch.DrawdownPct = 150 }, "kill_switch.drawdown_pct: 150 must be from 0 to 100 (percent)"},
		{func(c *Config) { c.Breaker.Cooldown = Duration(-time.Hour) }, `breaker.cooldown: -1h must not be negative`},
		{func(c *Config) { c.Risk.MaxOrdersPerDay = -1 }, `risk.max_orders_per_day: -1 must not be negative`},
	}
	for _, tc := range tests {
		c := DefaultConfig()
		tc.edit(&c)
		if err := c.Validate(); err == nil || err.Error() != tc.want {
			t.Errorf("err %v, want %s", err, tc.want)
		}
	}
}

// TestContextCancelGivesPartialResult: the library's graceful shutdown.
// The context is canceled while the strategy handles the third bar: that
// bar time is finished (its equity point recorded), no later bar is read,
// and the Result is partial with the last processed time.
func TestContextCancelGivesPartialResult(t *testing.T) {
	bars := ocBars("AAA", "10/10", "10/11", "11/12", "13/13", "13/13", "13/14")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	n := 0
	s := barFunc(func(sc *strategy.Context, bar engine.Bar) error {
		n++
		if n == 3 {
			cancel(errors.New("user pressed Ctrl-C"))
		}
		return nil
	})
	cfg := DefaultConfig()
	cfg.Strategy.Name = "s"
	res, err := RunFeed(ctx, cfg, testkit.NewFeed(bars), s)
	if !errors.Is(err, engine.ErrInterrupted) || err.Error() != "run interrupted: user pressed Ctrl-C" {
		t.Fatalf("err = %v", err)
	}
	third := day0.AddDate(0, 0, 2)
	if !res.Partial || res.Err != err || !res.Stats.Last.Equal(third) || len(res.Equity) != 3 || !res.End.Equal(third) {
		t.Fatalf("partial %v, last %v, %d equity points, end %v", res.Partial, res.Stats.Last, len(res.Equity), res.End)
	}
}
