package strategy_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// warmProbe logs its calls, checks in Warm what a warm-up Context
// promises, and tries to signal at its warm-up bar of 03-05.
type warmProbe struct {
	log []string
	bad []string // broken promises
}

func (p *warmProbe) Lookback() int                { return 3 }
func (p *warmProbe) Timeframes() []data.Timeframe { return []data.Timeframe{{N: 1, Unit: data.Week}} }

func (p *warmProbe) OnCoarseBar(ctx *strategy.Context, _ data.Timeframe, b engine.Bar) error {
	p.log = append(p.log, fmt.Sprintf("week closing %s, warming %v", b.Close, ctx.WarmingUp()))
	return nil
}

func (p *warmProbe) Warm(ctx *strategy.Context, b engine.Bar) error {
	p.log = append(p.log, "warm "+b.Time.Format("01-02"))
	h := ctx.History(b.Symbol)
	if !ctx.WarmingUp() || !ctx.Time().Equal(b.Time) || h.Ago(0) != b || h.Len() != min(b.Time.Day(), 3) {
		p.bad = append(p.bad, fmt.Sprintf("%s: warming %v, time %s, history of %d ending %s",
			b.Time.Format("01-02"), ctx.WarmingUp(), ctx.Time().Format("01-02"), h.Len(), h.Ago(0).Time.Format("01-02")))
	}
	if b.Time.Day() == 5 {
		ctx.Signal(b.Symbol, engine.TargetLong)
	}
	return nil
}

func (p *warmProbe) OnBar(ctx *strategy.Context, b engine.Bar) error {
	p.log = append(p.log, fmt.Sprintf("bar %s, warming %v", b.Time.Format("01-02"), ctx.WarmingUp()))
	return nil
}

// The bars before data.from go to Warm, in order, each after it is in
// its History; they feed the weekly bars of a Warmer, whose completion
// comes with a warm-up Context; a signal in Warm is refused and reported
// at the run's first timestamp.
func TestWarmBeforeFrom(t *testing.T) {
	var bars []ohlc
	for d := 1; d <= 12; d++ { // 2024-03-01 is a Friday
		bars = append(bars, ohlc{day(time.March, d), float64(d), float64(d)})
	}
	var cfg backtest.Config
	cfg.Breaker.OnError = backtest.ContinueOnError         // the refused signal is reported, and the run goes on
	cfg.Data.From = backtest.NewDate(2024, time.March, 11) // a Monday
	p := &warmProbe{}
	res := runFeed(t, cfg, feedOf(t, []string{"X"}, map[string][]ohlc{"X": bars}), p)
	want := []string{"warm 03-01", "warm 03-02", "warm 03-03",
		"week closing 3, warming true", // 02-26..03-03, completed by 03-04
		"warm 03-04", "warm 03-05", "warm 03-06", "warm 03-07", "warm 03-08", "warm 03-09", "warm 03-10",
		"week closing 10, warming false", // 03-04..03-10, completed by 03-11
		"bar 03-11, warming false", "bar 03-12, warming false",
	}
	if !reflect.DeepEqual(p.log, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(p.log, "\n"), strings.Join(want, "\n"))
	}
	for _, b := range p.bad {
		t.Errorf("warm-up Context at %s", b)
	}
	if len(res.Errors) != 1 || !res.Errors[0].Time.Equal(day(time.March, 11)) ||
		!strings.Contains(res.Errors[0].Message, "warm-up X 2024-03-05T00:00:00Z") ||
		!strings.Contains(res.Errors[0].Message, "Context.Signal during warm-up") {
		t.Errorf("errors %+v, want the refused signal of 03-05 reported at 03-11", res.Errors)
	}
	if len(res.Orders) != 0 {
		t.Errorf("orders %+v, want none", res.Orders)
	}
}

// orderRows returns the orders of res made at or after from and before
// to (zero: no bound), as "time side quantity status", in time order.
func orderRows(res *backtest.Result, from, to time.Time) []string {
	var rows []string
	for _, o := range res.Orders {
		if o.Time.Before(from) || !to.IsZero() && !o.Time.Before(to) {
			continue
		}
		rows = append(rows, fmt.Sprintf("%s %s %s %s", o.Time.Format("01-02"), o.Side, o.Quantity, o.Status))
	}
	slices.Sort(rows)
	return rows
}

// smacrossRun runs smacross with params over the closes, one bar a day
// from 2024-01-01, buying 10 units at a time, the bars before from (if
// not zero) as warm-up, on the schedule steps if not nil.
func smacrossRun(t *testing.T, closes []int64, params strategy.Params, from time.Time, steps []strategy.Step) *backtest.Result {
	t.Helper()
	return runOn(t, closes, "smacross", params, from, steps)
}

// runOn is smacrossRun of the strategy registered as name.
func runOn(t *testing.T, closes []int64, name string, params strategy.Params, from time.Time, steps []strategy.Step) *backtest.Result {
	t.Helper()
	var bars []ohlc
	for i, c := range closes {
		o := closes[max(i-1, 0)]
		bars = append(bars, ohlc{barDay(i), float64(o), float64(c)})
	}
	var cfg backtest.Config
	cfg.Sizing.Size = decimal.NewFromInt(10)
	if !from.IsZero() {
		cfg.Data.From = backtest.NewDate(from.Date())
	}
	var s strategy.Strategy
	var err error
	if steps != nil {
		s, err = strategy.NewScheduled(name, params, steps)
	} else {
		s, err = strategy.New(name, params)
	}
	if err != nil {
		t.Fatal(err)
	}
	return runFeed(t, cfg, feedOf(t, []string{"X"}, map[string][]ohlc{"X": bars}), s)
}

// barDay is the time of bar i: 2024-01-01 plus i days.
func barDay(i int) time.Time { return time.Date(2024, time.January, 1+i, 0, 0, 0, 0, time.UTC) }

// A smacross run from data.from makes, from the first bar of the range,
// the decisions of a run from the start of the data: worked by hand with
// fast 2 and slow 3.
func TestSMACrossFromByHand(t *testing.T) {
	// Averages (fast, slow) from the third bar: (10, 10) a tie, (9.5,
	// 9.67) below, (8.5, 9) below, (10, 9.67) above: an up-cross at bar 6
	// (01-06); (12.5, 11), (13.5, 13) above, (9.5, 10.67) below: a
	// down-cross at bar 9 (01-09); (5, 8) below.
	closes := []int64{10, 10, 10, 9, 8, 12, 13, 14, 5, 5}
	both := []string{"01-06 buy 10 filled", "01-09 sell 10 filled"}
	for _, c := range []struct {
		from int // the day of January; 0 for none
		want []string
	}{
		{0, both},
		{5, both},
		// From its first bar: warm, the up-cross is seen at once. Cold,
		// the averages would fill only at 01-08 and, with no earlier
		// sign, the run would see no cross at all.
		{6, both},
		// Warm from 01-07: the up-cross was before the range, and the
		// down-cross finds the run flat.
		{7, nil},
	} {
		var from time.Time
		if c.from > 0 {
			from = barDay(c.from - 1)
		}
		res := smacrossRun(t, closes, strategy.Params{"fast": "2", "slow": "3"}, from, nil)
		if got := orderRows(res, time.Time{}, time.Time{}); !slices.Equal(got, c.want) {
			t.Errorf("from 01-%02d: orders %q, want %q", c.from, got, c.want)
		}
	}
}

// walk returns n closes of a seeded random walk of whole steps from 100,
// never below 10.
func walk(n int, seed uint64) []int64 {
	r := rand.New(rand.NewPCG(seed, 1))
	c := []int64{100}
	for len(c) < n {
		c = append(c, max(10, c[len(c)-1]+r.Int64N(7)-3))
	}
	return c
}

// crosses returns, for each bar of closes, +1 at an up-cross of the fast
// and slow simple averages, -1 at a down-cross, 0 otherwise: the sign of
// fast - slow, compared exactly in integers as slow·sum(fast window) −
// fast·sum(slow window), against the last non-zero sign before it.
func crosses(closes []int64, fast, slow int) []int {
	out := make([]int, len(closes))
	last := 0
	for i := slow - 1; i < len(closes); i++ {
		var sf, ss int64
		for j := i - slow + 1; j <= i; j++ {
			ss += closes[j]
			if j > i-fast {
				sf += closes[j]
			}
		}
		d := int64(slow)*sf - int64(fast)*ss
		switch {
		case d > 0 && last < 0:
			out[i] = 1
		case d < 0 && last > 0:
			out[i] = -1
		}
		if d > 0 {
			last = 1
		} else if d < 0 {
			last = -1
		}
	}
	return out
}

// In long mode smacross is flat at every up-cross (the cross before it
// was a down-cross, which sold, or there was none), so two runs that see
// the same crosses make the same orders from the first up-cross on. A run
// from data.from, warmed up, sees the crosses of the full run: its orders
// from the first up-cross at or after from are the full run's, and it
// makes none before.
func TestSMACrossFromAgreesWithFullRun(t *testing.T) {
	closes := walk(300, 7)
	params := strategy.Params{"fast": "5", "slow": "20"}
	cr := crosses(closes, 5, 20)
	full := smacrossRun(t, closes, params, time.Time{}, nil)
	var ups []int
	for i, c := range cr {
		if c > 0 {
			ups = append(ups, i)
		}
	}
	if len(ups) < 4 {
		t.Fatalf("%d up-crosses in the walk; want at least 4", len(ups))
	}
	// From an up-cross itself (cold, it could not be seen: the averages
	// would need 20 bars), and from 3 bars before one.
	for _, from := range []int{ups[1], ups[2] - 3, ups[3]} {
		first := ups[slices.IndexFunc(ups, func(u int) bool { return u >= from })]
		res := smacrossRun(t, closes, params, barDay(from), nil)
		got := orderRows(res, time.Time{}, time.Time{})
		want := orderRows(full, barDay(first), time.Time{})
		if len(want) == 0 || !strings.HasPrefix(want[0], barDay(first).Format("01-02")+" buy") {
			t.Fatalf("from bar %d: the full run's orders from bar %d are %q, not a buy there", from, first, want)
		}
		if !slices.Equal(got, want) {
			t.Errorf("from bar %d: orders\n%q\nwant the full run's from its up-cross at bar %d:\n%q", from, got, first, want)
		}
	}
}

// A step of a schedule begins with its instance warmed up: at a step that
// begins on one of its params' up-crosses while the run is flat, it buys
// at once, and from then on its orders are those of a run with its
// params from the start. Before it, the first step's orders are those of
// a run with its params: all of them when it starts with the data; from
// its first up-cross when it starts at data.from (10 bars before the
// second step, as a walk-forward's out-of-sample run starts at its first
// step), where both instances are warmed up from the bars before
// data.from: cold, the second would not see the up-cross.
func TestScheduledStepIsWarm(t *testing.T) {
	closes := walk(300, 11)
	p1 := strategy.Params{"fast": "3", "slow": "10"}
	p2 := strategy.Params{"fast": "5", "slow": "20"}
	c1, c2 := crosses(closes, 3, 10), crosses(closes, 5, 20)
	// long[i]: whether a p1 run holds a position after the fills at bar
	// i's open, its signals of bar i-1 included.
	long := make([]bool, len(closes)+1)
	for i, c := range c1 {
		long[i+1] = c > 0 || long[i] && c == 0
	}
	u := slices.IndexFunc(c2, func(c int) bool { return c > 0 })
	for u >= 0 && (u < 60 || long[u]) {
		next := slices.IndexFunc(c2[u+1:], func(c int) bool { return c > 0 })
		if next < 0 {
			t.Fatal("no p2 up-cross after bar 60 with the p1 run flat")
		}
		u += 1 + next
	}
	full1 := smacrossRun(t, closes, p1, time.Time{}, nil)
	full2 := smacrossRun(t, closes, p2, time.Time{}, nil)
	for _, start := range []int{0, u - 10} {
		var from time.Time
		first := 0 // the bar from which the first step's orders are p1's
		if start > 0 {
			from = barDay(start)
			first = len(closes)
			if i := slices.IndexFunc(c1[start:], func(c int) bool { return c > 0 }); i >= 0 {
				first = start + i
			}
		}
		steps := []strategy.Step{{From: barDay(start), Params: p1}, {From: barDay(u), Params: p2}}
		sched := smacrossRun(t, closes, nil, from, steps)
		if got, want := orderRows(sched, time.Time{}, barDay(u)), orderRows(full1, barDay(first), barDay(u)); !slices.Equal(got, want) {
			t.Errorf("from bar %d, orders before bar %d:\n%q\nwant p1's from bar %d:\n%q", start, u, got, first, want)
		}
		got, want := orderRows(sched, barDay(u), time.Time{}), orderRows(full2, barDay(u), time.Time{})
		if len(got) == 0 || !strings.HasPrefix(got[0], barDay(u).Format("01-02")+" buy") {
			t.Errorf("from bar %d, orders from bar %d: %q, want a buy at its first bar", start, u, got)
		}
		if !slices.Equal(got, want) {
			t.Errorf("from bar %d, orders from bar %d:\n%q\nwant p2's:\n%q", start, u, got, want)
		}
	}
}

// A Warmer run from data.from, where a run from the start is flat with no
// order working, holds the same state and position as that run there, so
// it makes the same orders from then on. Tried from bars where the full
// run enters: cold, none of them could be seen there (each needs more
// than one bar of its own).
func TestWarmersFromAgreeWhereFlat(t *testing.T) {
	closes := walk(300, 3)
	for _, c := range []struct {
		name   string
		params strategy.Params
	}{
		{"smacross", strategy.Params{"fast": "5", "slow": "20"}},
		{"rsi", strategy.Params{"period": "14", "low": "40", "high": "60"}},
		{"macd", strategy.Params{"fast": "5", "slow": "12", "signal": "4"}},
	} {
		full := runOn(t, closes, c.name, c.params, time.Time{}, nil)
		var froms []int
		for i := 40; i < len(closes)-1 && len(froms) < 3; i++ {
			// Flat after the fills at bar i's open, and deciding to buy at i.
			held := decimal.Zero
			for _, f := range full.Fills {
				if !f.Time.After(barDay(i)) {
					held = held.Add(f.Quantity.Mul(decimal.NewFromInt(int64(f.Side))))
				}
			}
			rows := orderRows(full, barDay(i), barDay(i+1))
			if held.IsZero() && len(rows) == 1 && strings.Contains(rows[0], " buy ") {
				froms = append(froms, i)
			}
		}
		if len(froms) < 3 {
			t.Fatalf("%s: %d bars to start from, want 3", c.name, len(froms))
		}
		for _, from := range froms {
			res := runOn(t, closes, c.name, c.params, barDay(from), nil)
			if got, want := orderRows(res, time.Time{}, time.Time{}), orderRows(full, barDay(from), time.Time{}); !slices.Equal(got, want) {
				t.Errorf("%s from bar %d: orders\n%q\nwant the full run's from there:\n%q", c.name, from, got, want)
			}
		}
	}
}
