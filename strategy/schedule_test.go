package strategy_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// scheduler registers rules in OnStart and records when each fires.
type scheduler struct {
	rules  []strategy.Rule
	layout string
	fired  map[string][]string
	note   func(ctx *strategy.Context) string
}

func (s *scheduler) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (s *scheduler) OnStart(ctx *strategy.Context) error {
	s.fired = make(map[string][]string)
	for _, r := range s.rules {
		name := r.String()
		if err := ctx.Schedule(r, func(ctx *strategy.Context) error {
			at := ctx.Time().Format(s.layout)
			if s.note != nil {
				at += s.note(ctx)
			}
			s.fired[name] = append(s.fired[name], at)
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// TestScheduleDaily runs the rules over daily bars in which BBB has no
// bar on 02-01, February's first trading day.
func TestScheduleDaily(t *testing.T) {
	days := []time.Time{day(1, 30), day(1, 31), day(2, 1), day(2, 2), day(2, 5), day(3, 29), day(4, 1)}
	bars := map[string][]ohlc{}
	for _, d := range days {
		bars["AAA"] = append(bars["AAA"], ohlc{d, 10, 10})
		if d != day(2, 1) {
			bars["BBB"] = append(bars["BBB"], ohlc{d, 20, 20})
		}
	}
	s := &scheduler{layout: "01-02", rules: []strategy.Rule{
		strategy.FirstBarOf(strategy.Month), strategy.LastBarOf(strategy.Month),
		strategy.FirstBarOf(strategy.Week), strategy.FirstBarOf(strategy.Quarter),
		strategy.LastBarOf(strategy.Quarter), strategy.FirstBarOf(strategy.Year),
		strategy.EveryNBars(3), strategy.EveryBar(),
	}}
	s.note = func(ctx *strategy.Context) string {
		if b := ctx.History("BBB").Ago(0); !b.Time.Equal(ctx.Time()) {
			return " (BBB at " + b.Time.Format("01-02") + ")"
		}
		return ""
	}
	runFeed(t, backtest.DefaultConfig(), feedOf(t, []string{"AAA", "BBB"}, bars), s)
	want := map[string][]string{
		"first bar of each month":   {"01-30", "02-01 (BBB at 01-31)", "03-29", "04-01"},
		"last bar of each month":    {"02-01 (BBB at 01-31)", "03-29", "04-01"},
		"first bar of each week":    {"01-30", "02-05", "03-29", "04-01"},
		"first bar of each quarter": {"01-30", "04-01"},
		"last bar of each quarter":  {"04-01"},
		"first bar of each year":    {"01-30"},
		"every 3 bars":              {"01-30", "02-02", "04-01"},
		"every bar":                 {"01-30", "01-31", "02-01 (BBB at 01-31)", "02-02", "02-05", "03-29", "04-01"},
	}
	check(t, s.fired, want)
}

// TestScheduleIntraday runs the rules over intraday bars in a zone five
// hours behind UTC, whose days differ from UTC's after 19:00.
func TestScheduleIntraday(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	at := func(d, h, m int) time.Time { return time.Date(2024, 3, d, h, m, 0, 0, est) }
	times := []time.Time{at(4, 9, 30), at(4, 12, 0), at(4, 15, 30), at(4, 19, 30), at(5, 10, 0), at(5, 14, 0), at(6, 9, 30), at(6, 16, 0)}
	var bs []ohlc
	for _, tm := range times {
		bs = append(bs, ohlc{tm, 10, 10})
	}
	s := &scheduler{layout: "02 15:04", rules: []strategy.Rule{
		strategy.FirstBarOf(strategy.Day), strategy.LastBarOf(strategy.Day),
		strategy.AtTimeOfDay(15, 0), strategy.EveryNBars(2),
	}}
	runFeed(t, backtest.DefaultConfig(), feedOf(t, []string{"AAA"}, map[string][]ohlc{"AAA": bs}), s)
	want := map[string][]string{
		"first bar of each day": {"04 09:30", "05 10:00", "06 09:30"},
		"last bar of each day":  {"05 10:00", "06 09:30", "06 16:00"},
		"at 15:00 each day":     {"04 15:30", "06 16:00"},
		"every 2 bars":          {"04 09:30", "04 15:30", "05 10:00", "06 09:30"},
	}
	check(t, s.fired, want)
}

func check(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s fired at %v, want %v", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rules fired: %v", got)
	}
}

func TestScheduleInvalidRule(t *testing.T) {
	for _, r := range []strategy.Rule{{}, strategy.EveryNBars(0), strategy.AtTimeOfDay(24, 0), strategy.FirstBarOf(0)} {
		s := &scheduler{rules: []strategy.Rule{r}}
		bars := map[string][]ohlc{"AAA": {{day(3, 4), 10, 10}}}
		cfg := backtest.DefaultConfig()
		cfg.Breaker.OnError = backtest.ContinueOnError
		res := runFeed(t, cfg, feedOf(t, []string{"AAA"}, bars), s)
		if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "start 2024-03-04T00:00:00Z: schedule: ") {
			t.Errorf("%v: errors %+v", r, res.Errors)
		}
	}
}

// universe records the universe at each timestamp.
type universe struct {
	u   strategy.Universe
	log []string
}

func (u *universe) OnBar(*strategy.Context, engine.Bar) error { return nil }
func (u *universe) OnStart(ctx *strategy.Context) error       { ctx.SetUniverse(u.u); return nil }
func (u *universe) OnBars(ctx *strategy.Context, _ []engine.Bar) error {
	u.log = append(u.log, fmt.Sprint(ctx.Universe()))
	return nil
}

func TestUniverse(t *testing.T) {
	bars := map[string][]ohlc{
		"CCC": {{day(3, 4), 10, 10}, {day(3, 5), 10, 10}, {day(3, 6), 10, 10}},
		"AAA": {{day(3, 5), 10, 10}, {day(3, 6), 10, 10}},
		"BBB": {{day(3, 6), 10, 10}},
	}
	for _, c := range []struct {
		u    strategy.Universe
		want []string
	}{
		{strategy.Universe{}, []string{"[CCC]", "[AAA CCC]", "[AAA BBB CCC]"}},
		{strategy.Universe{Symbols: []string{"BBB", "CCC"}}, []string{"[CCC]", "[CCC]", "[BBB CCC]"}},
		{strategy.Universe{MinHistory: 2}, []string{"[]", "[CCC]", "[AAA CCC]"}},
	} {
		u := &universe{u: c.u}
		runFeed(t, backtest.DefaultConfig(), feedOf(t, []string{"CCC", "AAA", "BBB"}, bars), u)
		if !slices.Equal(u.log, c.want) {
			t.Errorf("%+v: universe %v, want %v", c.u, u.log, c.want)
		}
	}
}
