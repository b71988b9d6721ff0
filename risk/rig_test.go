package risk

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/portfolio"
)

// The run's portfolio is the books the guard and the kill switch read.
var _ Books = (*portfolio.Portfolio)(nil)

var t0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// step is one bar time of a rig's script: the closes of its symbols (each
// bar has open = high = low = close), and what the "strategy" does then.
type step struct {
	at     time.Time
	closes string // "AAA=100 BBB=50"
	do     func(r *rig)
}

// rig runs a portfolio, a kill switch, a guard and a broker on an engine,
// with a scripted strategy, and logs what happens.
type rig struct {
	t     *testing.T
	e     *engine.Engine
	pf    *portfolio.Portfolio
	ks    *KillSwitch
	g     *Guard
	steps []step
	i     int // the step being handled
	log   []string
}

// stepBars returns the bars of steps: at each step's time, one bar per
// "SYM=close" of its closes, with open = high = low = close.
func stepBars(steps []step) []engine.Bar {
	var bars []engine.Bar
	for _, s := range steps {
		for _, kv := range strings.Fields(s.closes) {
			sym, close, _ := strings.Cut(kv, "=")
			bars = append(bars, testkit.Flat(sym, s.at, close))
		}
	}
	return bars
}

func newRig(t *testing.T, cash string, limits Limits, kill KillSwitchOptions, steps []step) *rig {
	return newRigScriptFirst(t, cash, limits, kill, steps, false)
}

// newRigScriptFirst is newRig, with the script subscribed to the bus
// before the kill switch when scriptFirst is true.
func newRigScriptFirst(t *testing.T, cash string, limits Limits, kill KillSwitchOptions, steps []step, scriptFirst bool) *rig {
	r := &rig{t: t, steps: steps}
	r.e = engine.New(testkit.NewFeed(stepBars(steps)))
	bus := r.e.Bus()
	engine.Subscribe(bus, "rig", func(m *engine.MarketEvent) error {
		for r.i < len(steps) && !steps[r.i].at.Equal(m.Time) {
			r.i++
		}
		return nil
	})
	r.pf = portfolio.New(r.e, portfolio.Options{Cash: testkit.MustDec(cash), Sizer: portfolio.Sizer{Quantity: testkit.MustDec("1")}})
	script := func() {
		engine.Subscribe(bus, "script", func(*engine.MarketEvent) error {
			if do := steps[r.i].do; do != nil {
				r.e.Defer(engine.PhaseStrategy, "script", func() error { do(r); return nil })
			}
			return nil
		})
	}
	if scriptFirst {
		script()
	}
	r.ks = NewKillSwitch(r.e, r.pf, kill)
	r.g = NewGuard(r.e, r.pf, limits, r.ks)
	broker.New(r.e, broker.Options{Guard: r.g})
	if !scriptFirst {
		script()
	}
	engine.Subscribe(bus, "log", func(a *engine.OrderAccepted) error {
		r.logf("accept #%d %s %s %s", a.Order.ID, a.Order.Side, a.Order.Quantity, a.Order.Symbol)
		return nil
	})
	engine.Subscribe(bus, "log", func(x *engine.OrderRejected) error {
		r.logf("reject #%d: %s", x.Order.ID, x.Reason)
		return nil
	})
	engine.Subscribe(bus, "log", func(c *engine.CancelAllOrders) error {
		r.logf("cancel all: %s", c.Reason)
		return nil
	})
	engine.Subscribe(bus, "log", func(c *engine.OrderCanceled) error {
		r.logf("cancel #%d: %s", c.Order.ID, c.Reason)
		return nil
	})
	engine.Subscribe(bus, "log", func(f *engine.FillEvent) error {
		r.logf("fill #%d %s %s %s @%s", f.OrderID, f.Side, f.Quantity, f.Symbol, f.Price)
		return nil
	})
	engine.Subscribe(bus, "log", func(k *engine.KillSwitchEvent) error {
		r.logf("kill %s: %s (equity %s)", k.Action, k.Reason, k.Equity)
		return nil
	})
	return r
}

func (r *rig) logf(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf("%d ", r.i)+fmt.Sprintf(format, args...))
}

// order submits a market order the way a strategy does.
func (r *rig) order(sym string, side engine.Side, qty string) {
	r.e.Emit(&engine.SubmitOrder{Order: engine.Order{
		ID: r.e.NextOrderID(), Time: r.e.Now(), Symbol: sym, Side: side,
		Type: engine.Market, Quantity: testkit.MustDec(qty), Source: "script",
	}})
}

func (r *rig) buy(sym, qty string)  { r.order(sym, engine.Buy, qty) }
func (r *rig) sell(sym, qty string) { r.order(sym, engine.Sell, qty) }

func (r *rig) run() {
	r.t.Helper()
	if _, err := r.e.Run(context.Background()); err != nil {
		r.t.Fatal(err)
	}
	if f := r.e.Failures(); len(f) > 0 {
		r.t.Fatalf("handler failures: %v", f)
	}
}

// days returns n steps one day apart from t0 with the given closes.
func days(closes ...string) []step {
	s := make([]step, len(closes))
	for i, c := range closes {
		s[i] = step{at: t0.AddDate(0, 0, i), closes: c}
	}
	return s
}

func wantLog(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func wantRefusals(t *testing.T, got map[string]int, want string) {
	t.Helper()
	if s := RefusalCounts(got); s != want {
		t.Errorf("refusals %q, want %q", s, want)
	}
}
