package broker

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

var day0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// ohlc makes a bar of symbol X at day i from "open high low close", with
// volume 1000.
func ohlc(i int, s string) engine.Bar {
	b := testkit.OHLC("X", day0.AddDate(0, 0, i), s)
	b.Volume = 1000
	return b
}

// bars makes daily bars of X from "open high low close" strings.
func bars(specs ...string) []engine.Bar {
	out := make([]engine.Bar, len(specs))
	for i, s := range specs {
		out[i] = ohlc(i, s)
	}
	return out
}

// run runs a broker over bs, submitting submit[i] after bar i's close
// (IDs count from 1 in submission order), and returns the events it saw,
// one line each.
func run(t *testing.T, opts Options, bs []engine.Bar, submit map[int][]engine.Order) []string {
	t.Helper()
	lines, _ := runBroker(t, opts, bs, submit)
	return lines
}

func runBroker(t *testing.T, opts Options, bs []engine.Bar, submit map[int][]engine.Order) ([]string, *Broker) {
	t.Helper()
	lines, b, err := runBrokerSetup(t, opts, bs, submit, nil)
	if err != nil {
		t.Fatal(err)
	}
	return lines, b
}

// runBrokerSetup is runBroker with setup, if not nil, called with the
// engine and the broker before anything else subscribes, and the run's
// error returned.
func runBrokerSetup(t *testing.T, opts Options, bs []engine.Bar, submit map[int][]engine.Order,
	setup func(*engine.Engine, *Broker)) ([]string, *Broker, error) {
	t.Helper()
	e := engine.New(testkit.NewFeed(bs))
	b := New(e, opts)
	if setup != nil {
		setup(e, b)
	}
	var lines []string
	log := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	i := -1
	last := time.Time{}
	engine.Subscribe(e.Bus(), "test", func(m *engine.MarketEvent) error {
		if !m.Time.Equal(last) {
			i++
			last = m.Time
		}
		k := i
		e.Defer(engine.PhaseStrategy, "test", func() error {
			for _, o := range submit[k] {
				o.ID = e.NextOrderID()
				o.Time = e.Now()
				if o.Symbol == "" {
					o.Symbol = "X"
				}
				e.Emit(&engine.SubmitOrder{Order: o})
			}
			return nil
		})
		return nil
	})
	day := func(t time.Time) string { return t.Format("01-02") }
	engine.Subscribe(e.Bus(), "test", func(f *engine.FillEvent) error {
		s := fmt.Sprintf("%s fill %d %s %s @ %s", day(f.Time), f.OrderID, f.Side, f.Quantity, f.Price)
		if !f.Remaining.IsZero() {
			s += " rest " + f.Remaining.String()
		}
		if !f.Commission.IsZero() {
			s += " comm " + f.Commission.String()
		}
		log("%s", s)
		return nil
	})
	engine.Subscribe(e.Bus(), "test", func(x *engine.OrderTriggered) error {
		log("%s trigger %d @ %s", day(x.Time), x.Order.ID, x.Price)
		return nil
	})
	engine.Subscribe(e.Bus(), "test", func(x *engine.OrderRejected) error {
		log("%s reject %d: %s", day(x.Time), x.Order.ID, x.Reason)
		return nil
	})
	engine.Subscribe(e.Bus(), "test", func(x *engine.OrderCanceled) error {
		log("%s cancel %d: %s", day(x.Time), x.Order.ID, x.Reason)
		return nil
	})
	engine.Subscribe(e.Bus(), "test", func(x *engine.OrderExpired) error {
		log("%s expire %d: %s", day(x.Time), x.Order.ID, x.Reason)
		return nil
	})
	engine.Subscribe(e.Bus(), "test", func(x *engine.ErrorEvent) error {
		log("%s error %s: %v", day(x.Time), x.Component, x.Err)
		return nil
	})
	_, err := e.Run(context.Background())
	return lines, b, err
}

func check(t *testing.T, name string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got:\n  %s\nwant:\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
