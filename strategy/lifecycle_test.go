package strategy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// recorder logs every call it gets, with what the histories hold.
type recorder struct {
	log []string
	id  uint64
}

func (r *recorder) add(ctx *strategy.Context, format string, args ...any) {
	r.log = append(r.log, ctx.Time().Format("01-02 ")+fmt.Sprintf(format, args...))
}

func (r *recorder) OnStart(ctx *strategy.Context) error {
	r.add(ctx, "start universe=%v", ctx.Universe())
	return ctx.Schedule(strategy.EveryBar(), func(ctx *strategy.Context) error {
		r.add(ctx, "schedule")
		return nil
	})
}

func (r *recorder) OnBar(ctx *strategy.Context, b engine.Bar) error {
	r.add(ctx, "bar %s (AAA %d, BBB %d)", b.Symbol, ctx.History("AAA").Len(), ctx.History("BBB").Len())
	return nil
}

func (r *recorder) OnBars(ctx *strategy.Context, bars []engine.Bar) error {
	r.add(ctx, "bars %d (AAA %d, BBB %d) working %d", len(bars), ctx.History("AAA").Len(), ctx.History("BBB").Len(), len(ctx.Orders()))
	if r.id == 0 {
		r.id = ctx.Submit("AAA", engine.Buy, decimal.NewFromInt(2))
		st, _ := ctx.Order(r.id)
		r.add(ctx, "order #%d %s", r.id, st.State)
	}
	return nil
}

func (r *recorder) OnEnd(ctx *strategy.Context) error {
	st, _ := ctx.Order(r.id)
	r.add(ctx, "end #%d %s %s @ %s, position %s", r.id, st.State, st.Filled, st.AvgPrice, ctx.Position("AAA"))
	return nil
}

func (r *recorder) OnOrder(ctx *strategy.Context, u strategy.OrderUpdate) error {
	r.add(ctx, "order #%d %s, position %s", u.Order.ID, u.Event, ctx.Position("AAA"))
	return nil
}

// TestCallOrder checks the order of calls within and across timestamps,
// with BBB missing the second day.
func TestCallOrder(t *testing.T) {
	bars := map[string][]ohlc{
		"AAA": {{day(3, 4), 10, 10}, {day(3, 5), 11, 11}, {day(3, 6), 12, 12}},
		"BBB": {{day(3, 4), 20, 20}, {day(3, 6), 21, 21}},
	}
	r := &recorder{}
	runFeed(t, backtest.DefaultConfig(), feedOf(t, []string{"AAA", "BBB"}, bars), r)
	want := []string{
		"03-04 start universe=[]",
		"03-04 bar AAA (AAA 1, BBB 0)",
		"03-04 bar BBB (AAA 1, BBB 1)",
		"03-04 bars 2 (AAA 1, BBB 1) working 0",
		"03-04 order #1 submitted",
		"03-04 schedule",
		"03-04 order #1 accepted, position 0",
		"03-05 order #1 filled, position 2",
		"03-05 bar AAA (AAA 2, BBB 1)",
		"03-05 bars 1 (AAA 2, BBB 1) working 0",
		"03-05 schedule",
		"03-06 bar AAA (AAA 3, BBB 1)",
		"03-06 bar BBB (AAA 3, BBB 2)",
		"03-06 bars 2 (AAA 3, BBB 2) working 0",
		"03-06 schedule",
		"03-06 end #1 filled 2 @ 11, position 2",
	}
	checkLines(t, "calls", r.log, want)
}

// failing fails in OnBars; its OnBar and schedules still run.
type failing struct{ calls int }

func (f *failing) OnBar(*strategy.Context, engine.Bar) error { f.calls++; return nil }
func (f *failing) OnBars(*strategy.Context, []engine.Bar) error {
	panic("boom")
}

func TestOnBarsPanicIsAnError(t *testing.T) {
	bars := map[string][]ohlc{"AAA": {{day(3, 4), 10, 10}, {day(3, 5), 11, 11}}}
	cfg := backtest.DefaultConfig()
	cfg.Breaker.OnError = backtest.ContinueOnError
	f := &failing{}
	res := runFeed(t, cfg, feedOf(t, []string{"AAA"}, bars), f)
	if f.calls != 2 || len(res.Errors) != 2 || !strings.Contains(res.Errors[0].Message, "bars 2024-03-04T00:00:00Z: panic: boom") {
		t.Errorf("calls %d, errors %+v", f.calls, res.Errors)
	}
}

// feedback places a buy too big for the cash, a limit order it cancels
// at the next bar and one that works until the end, and logs the reports
// and the working orders.
type feedback struct {
	n   int
	ids []uint64
	log []string
}

func (f *feedback) OnBar(ctx *strategy.Context, b engine.Bar) error {
	f.n++
	switch f.n {
	case 1:
		big := ctx.Submit("AAA", engine.Buy, decimal.NewFromInt(1000))
		cancel := ctx.SubmitOrder(engine.Order{Symbol: "AAA", Side: engine.Buy, Type: engine.Limit, Quantity: decimal.NewFromInt(1), Limit: engine.PriceFromFloat(5)})
		keep := ctx.SubmitOrder(engine.Order{Symbol: "AAA", Side: engine.Buy, Type: engine.Limit, Quantity: decimal.NewFromInt(2), Limit: engine.PriceFromFloat(6)})
		f.ids = []uint64{big, cancel, keep}
	case 2:
		ctx.Cancel(f.ids[1])
	}
	var working []string
	for _, o := range ctx.Orders() {
		working = append(working, fmt.Sprintf("#%d %s", o.Order.ID, o.State))
	}
	f.log = append(f.log, fmt.Sprintf("%s working %v", ctx.Time().Format("01-02"), working))
	return nil
}

func (f *feedback) OnOrder(ctx *strategy.Context, u strategy.OrderUpdate) error {
	f.log = append(f.log, fmt.Sprintf("%s #%d %s %s", u.Time.Format("01-02"), u.Order.ID, u.Event, u.Reason))
	return nil
}

func TestOrderFeedback(t *testing.T) {
	bars := map[string][]ohlc{"AAA": {{day(3, 4), 10, 10}, {day(3, 5), 10, 10}, {day(3, 6), 10, 10}}}
	cfg := backtest.DefaultConfig()
	cfg.Account.Type = broker.CashAccount
	cfg.Account.Cash = decimal.NewFromInt(1000)
	cfg.Strategy.Name = "feedback"
	f := &feedback{}
	runFeed(t, cfg, feedOf(t, []string{"AAA"}, bars), f)
	want := []string{
		"03-04 working [#1 submitted #2 submitted #3 submitted]",
		"03-04 #1 rejected cash account: the order needs 10000, only 1000 is free",
		"03-04 #2 accepted ",
		"03-04 #3 accepted ",
		"03-05 working [#2 accepted #3 accepted]",
		"03-05 #2 canceled feedback canceled",
		"03-06 working [#3 accepted]",
	}
	checkLines(t, "log", f.log, want)
}

// ioc places, at the first bar, an IOC market buy of 5,000 that a 0.1 %
// volume share lets fill only 1,000 of, and logs the reports and, at
// every later bar, where the order stands.
type ioc struct {
	n   int
	id  uint64
	log []string
}

func (s *ioc) OnBar(ctx *strategy.Context, b engine.Bar) error {
	s.n++
	if s.n == 1 {
		s.id = ctx.SubmitOrder(engine.Order{Symbol: "AAA", Side: engine.Buy, Type: engine.Market,
			Quantity: decimal.NewFromInt(5000), TIF: engine.IOC})
		return nil
	}
	st, _ := ctx.Order(s.id)
	s.log = append(s.log, fmt.Sprintf("%s #%d %s filled %s working %d",
		ctx.Time().Format("01-02"), s.id, st.State, st.Filled, len(ctx.Orders())))
	return nil
}

func (s *ioc) OnOrder(ctx *strategy.Context, u strategy.OrderUpdate) error {
	s.log = append(s.log, fmt.Sprintf("%s #%d %s %s %s", u.Time.Format("01-02"), u.Order.ID, u.Event, u.Quantity, u.Reason))
	return nil
}

// TestOrderFeedbackIOCPartialFill: the fill of an IOC order's first part
// is reported before the cancellation of its rest, and the order ends
// canceled with what it filled, not partially filled.
func TestOrderFeedbackIOCPartialFill(t *testing.T) {
	bars := map[string][]ohlc{"AAA": {{day(3, 4), 10, 10}, {day(3, 5), 10, 10}, {day(3, 6), 10, 10}}}
	cfg := backtest.DefaultConfig()
	cfg.Account.Cash = decimal.NewFromInt(100000)
	cfg.Execution.MaxVolumeShare = decimal.RequireFromString("0.001") // 1,000 of each bar's 1e6
	cfg.Strategy.Name = "ioc"
	s := &ioc{}
	runFeed(t, cfg, feedOf(t, []string{"AAA"}, bars), s)
	want := []string{
		"03-04 #1 accepted 0 ",
		"03-05 #1 partially-filled 1000 ",
		"03-05 #1 canceled 0 IOC: the unfilled rest is canceled",
		"03-05 #1 canceled filled 1000 working 0",
		"03-06 #1 canceled filled 1000 working 0",
	}
	checkLines(t, "log", s.log, want)
}
