package strategy_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
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
	if !slices.Equal(r.log, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(r.log, "\n"), strings.Join(want, "\n"))
	}
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
