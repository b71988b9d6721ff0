package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

func init() {
	strategy.Register("audit-test-peek", func(strategy.Params) (strategy.Strategy, error) { return &peeker{}, nil })
	strategy.Register("audit-test-cancel", func(strategy.Params) (strategy.Strategy, error) { return &lastCancel{}, nil })
	strategy.Register("audit-test-lastbar", func(strategy.Params) (strategy.Strategy, error) { return &lastBar{}, nil })
	strategy.Register("audit-test-weekly", func(strategy.Params) (strategy.Strategy, error) { return &coarseTrend{week}, nil })
	strategy.Register("audit-test-hourly", func(strategy.Params) (strategy.Strategy, error) { return &coarseTrend{hour}, nil })
}

// peeker means to buy when the close rose from the previous bar and sell
// when it fell, one unit at every bar. Its bug: it keeps the bars slice
// of the previous OnBars call, valid only during that call, instead of a
// copy. The engine reads one timestamp ahead into the buffer that slice
// shares, so what it takes for the previous close is the next bar's: it
// buys when the next close is higher.
type peeker struct{ prev []engine.Bar }

func (p *peeker) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (p *peeker) OnBars(ctx *strategy.Context, bars []engine.Bar) error {
	if p.prev != nil {
		side := engine.Sell
		if p.prev[0].Close > bars[0].Close { // the deliberate bug
			side = engine.Buy
		}
		ctx.Submit(bars[0].Symbol, side, decimal.NewFromInt(1))
	}
	p.prev = bars
	return nil
}

// lastBar buys one unit at the first bar and sells it when it knows the
// bar is the last.
type lastBar struct{ bought bool }

func (l *lastBar) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	switch {
	case !l.bought:
		ctx.Submit(bar.Symbol, engine.Buy, decimal.NewFromInt(1))
		l.bought = true
	case ctx.IsLastBar():
		ctx.Submit(bar.Symbol, engine.Sell, decimal.NewFromInt(1))
	}
	return nil
}

var (
	week = data.Timeframe{N: 1, Unit: data.Week}
	hour = data.Timeframe{N: 1, Unit: data.Hour}
)

// coarseTrend trades on the completed bars of a coarser timeframe: long
// while the last completed one closed above its open. It sees only the
// periods that have ended, so it is clean.
type coarseTrend struct{ tf data.Timeframe }

func (c *coarseTrend) Timeframes() []data.Timeframe { return []data.Timeframe{c.tf} }

func (c *coarseTrend) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	h := ctx.HistoryAt(bar.Symbol, c.tf)
	if h.Len() == 0 {
		return nil
	}
	w := h.Ago(0)
	t := engine.TargetFlat
	if w.Close > w.Open {
		t = engine.TargetLong
	}
	ctx.Signal(bar.Symbol, t)
	return nil
}

// lastCancel places a limit buy far below the market at the first bar
// and cancels it when it knows the bar is the last.
type lastCancel struct{ id uint64 }

func (l *lastCancel) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	switch {
	case l.id == 0:
		l.id = ctx.SubmitOrder(engine.Order{Symbol: bar.Symbol, Side: engine.Buy, Type: engine.Limit,
			Quantity: decimal.NewFromInt(1), Limit: bar.Close / 10})
	case ctx.IsLastBar():
		ctx.Cancel(l.id)
	}
	return nil
}

// config returns the default config on the daily test data with the
// strategy name.
func config(t *testing.T, name string, files ...string) backtest.Config {
	t.Helper()
	cfg := backtest.DefaultConfig()
	if len(files) == 0 {
		files = []string{"../testdata/daily/AAA.csv"}
	}
	cfg.Data.Files = files
	cfg.Strategy.Name = name
	return cfg
}

// closes returns the closes of the test data's AAA, by bar time.
func closes(t *testing.T) ([]time.Time, []engine.Price) {
	t.Helper()
	cfg := config(t, "buyhold")
	feed, err := cfg.OpenData()
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	var times []time.Time
	var c []engine.Price
	for {
		bars, err := feed.Next(nil)
		if err != nil {
			break
		}
		times, c = append(times, bars[0].Time), append(c, bars[0].Close)
	}
	return times, c
}

// TestPeekerCaughtAtTheRightBar: at a cut c the peeker's order at c is a
// buy in the full run exactly when the next close is higher (it read the
// next bar), and a sell in the truncated run (the buffer holds no next
// bar), and its orders before c agree. So the first finding is at the
// earliest cut followed by a higher close, worked out here from the data
// alone.
func TestPeekerCaughtAtTheRightBar(t *testing.T) {
	times, c := closes(t)
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"explicit cuts", Options{At: []time.Time{times[40], times[41], times[42], times[43], times[44], times[45]}}},
		{"drawn cuts", Options{Cuts: 20, Seed: 9}},
	} {
		rep, err := Run(context.Background(), config(t, "audit-test-peek"), tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		var want time.Time
		for _, cut := range rep.Cuts {
			i := index(times, cut.Time)
			if up := c[i+1] > c[i]; up != (cut.Finding != nil) {
				t.Errorf("%s: cut %s: next close up %v, finding %+v", tc.name, cut.Time, up, cut.Finding)
			}
			if c[i+1] > c[i] && want.IsZero() {
				want = cut.Time
			}
		}
		if want.IsZero() {
			t.Fatalf("%s: no cut is followed by a higher close: the test proves nothing", tc.name)
		}
		f := rep.First
		if f == nil || !f.Bar.Equal(want) || !f.Cut.Equal(want) || f.Symbol != "AAA" ||
			!strings.Contains(f.Full, "buy 1 AAA market") || !strings.Contains(f.Truncated, "sell 1 AAA market") {
			t.Errorf("%s: first finding %+v, want the buy at %s", tc.name, f, want)
		}
	}
}

// TestLastBarCaught: knowing the last bar is knowledge of the future:
// the sell at the truncated run's last bar is a finding at the first cut.
func TestLastBarCaught(t *testing.T) {
	times, _ := closes(t)
	rep, err := Run(context.Background(), config(t, "audit-test-lastbar"), Options{At: []time.Time{times[100], times[10]}})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.First
	if f == nil || !f.Bar.Equal(times[10]) || f.Full != "(none)" || !strings.Contains(f.Truncated, "sell 1 AAA") {
		t.Fatalf("first finding %+v, want the sell at %s", f, times[10])
	}
	if len(rep.Cuts) != 2 || rep.Cuts[1].Finding == nil || rep.Cuts[0].Compared != 1 {
		t.Errorf("cuts %+v", rep.Cuts)
	}
}

// TestCancelCaught: a cancel is a decision; the finding names the
// canceled order's symbol.
func TestCancelCaught(t *testing.T) {
	times, _ := closes(t)
	rep, err := Run(context.Background(), config(t, "audit-test-cancel"), Options{At: []time.Time{times[30]}})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.First
	if f == nil || !f.Bar.Equal(times[30]) || f.Symbol != "AAA" || f.Full != "(none)" || !strings.HasSuffix(f.Truncated, "cancel order 1 (audit-test-cancel canceled)") {
		t.Errorf("first finding %+v, want the cancel of order 1 at %s", f, times[30])
	}
}

// TestBuiltinsClean: every registered built-in (the test strategies
// aside) and the weekly multi-timeframe strategy pass, with and without
// close-at-end, on several symbols; so does the hourly one on minute
// bars.
func TestBuiltinsClean(t *testing.T) {
	names := []string{"audit-test-weekly"}
	for _, n := range strategy.Names() {
		if !strings.HasPrefix(n, "audit-test-") {
			names = append(names, n)
		}
	}
	rotation, _ := filepath.Glob("../testdata/rotation/*.csv")
	for _, name := range names {
		for _, closeAtEnd := range []bool{false, true} {
			cfg := config(t, name, rotation...)
			cfg.Execution.CloseAtEnd = closeAtEnd
			rep, err := Run(context.Background(), cfg, Options{Cuts: 6, Seed: 1})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !rep.Clean() || rep.Decisions == 0 || len(rep.Cuts) != 6 {
				t.Errorf("%s close-at-end %v: clean %v, %d decisions, %d cuts; first %+v", name, closeAtEnd, rep.Clean(), rep.Decisions, len(rep.Cuts), rep.First)
			}
		}
	}
	rep, err := Run(context.Background(), config(t, "audit-test-hourly", "../testdata/intraday/CCC.csv"), Options{Cuts: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Clean() || rep.Decisions < 10 {
		t.Errorf("hourly on minute bars: clean %v, %d decisions; first %+v", rep.Clean(), rep.Decisions, rep.First)
	}
}

// TestOrdersReplayClean: an orders file decides nothing from the data.
func TestOrdersReplayClean(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.csv")
	text := "time,symbol,side,type,quantity,limit\n2020-01-02,AAA,buy,market,10,\n2020-03-02,AAA,sell,limit,10,120\n2020-06-01,AAA,sell,market,5,\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config(t, "")
	cfg.Strategy.Orders = path
	rep, err := Run(context.Background(), cfg, Options{Cuts: 30, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Clean() || rep.Decisions < 3 {
		t.Errorf("clean %v, %d decisions; first %+v", rep.Clean(), rep.Decisions, rep.First)
	}
}

// TestDeterministic: the same seed gives the same cuts and findings for
// any number of jobs; another seed draws other cuts.
func TestDeterministic(t *testing.T) {
	var first *Report
	for _, jobs := range []int{1, 3} {
		rep, err := Run(context.Background(), config(t, "audit-test-peek"), Options{Cuts: 8, Seed: 4, Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = rep
			continue
		}
		for i := range rep.Cuts {
			a, b := rep.Cuts[i], first.Cuts[i]
			if !a.Time.Equal(b.Time) || (a.Finding == nil) != (b.Finding == nil) || a.Finding != nil && *a.Finding != *b.Finding {
				t.Errorf("jobs %d: cut %d differs: %+v, %+v", jobs, i, a, b)
			}
		}
	}
	other, err := Run(context.Background(), config(t, "audit-test-peek"), Options{Cuts: 8, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for i := range other.Cuts {
		if other.Cuts[i].Time.Equal(first.Cuts[i].Time) {
			same++
		}
	}
	if same == len(other.Cuts) {
		t.Error("seed 5 draws the cuts of seed 4")
	}
}

// TestCutDraw: a draw has distinct sorted times, never the last; with
// fewer bar times than cuts every one but the last is a cut.
func TestCutDraw(t *testing.T) {
	times := make([]time.Time, 6)
	for i := range times {
		times[i] = time.Date(2024, 1, i+1, 0, 0, 0, 0, time.UTC)
	}
	all, err := cutTimes(times, Options{Cuts: 20})
	if err != nil || len(all) != 5 || !all[4].Equal(times[4]) {
		t.Errorf("cuts %v, %v; want the first five times", all, err)
	}
	some, _ := cutTimes(times, Options{Cuts: 3, Seed: 11})
	if len(some) != 3 || !(some[0].Before(some[1]) && some[1].Before(some[2])) || !some[2].Before(times[5]) {
		t.Errorf("cuts %v", some)
	}
	if _, err := cutTimes(times, Options{At: []time.Time{times[5]}}); err == nil {
		t.Error("a cut at the last bar time was accepted")
	}
	if _, err := cutTimes(times[:1], Options{}); err == nil {
		t.Error("one bar time was accepted")
	}
}

func index(times []time.Time, t time.Time) int {
	for i, x := range times {
		if x.Equal(t) {
			return i
		}
	}
	return -1
}

// TestFromWarmUp: with data.from, the cuts are bar times of the run (not
// of its warm-up), the cut runs warm up the same way, and a strategy
// whose history needs the warm-up stays clean.
func TestFromWarmUp(t *testing.T) {
	from := backtest.NewDate(2020, time.June, 1)
	for _, name := range []string{"smacross", "audit-test-peek"} {
		cfg := config(t, name)
		cfg.Data.From = from
		rep, err := Run(context.Background(), cfg, Options{Cuts: 15, Seed: 8})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rep.Cuts {
			if c.Time.Before(time.Date(2020, time.June, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("%s: cut %s is before data.from", name, c.Time)
			}
		}
		if clean := name == "smacross"; rep.Clean() != clean {
			t.Errorf("%s: clean %v, want %v (first %+v)", name, rep.Clean(), clean, rep.First)
		}
	}
}
