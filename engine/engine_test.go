package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// sliceFeed serves bars grouped by time from memory.
type sliceFeed struct {
	bars []Bar
	i    int
}

func (f *sliceFeed) Next(dst []Bar) ([]Bar, error) {
	if f.i >= len(f.bars) {
		return dst, io.EOF
	}
	t := f.bars[f.i].Time
	for f.i < len(f.bars) && f.bars[f.i].Time.Equal(t) {
		dst = append(dst, f.bars[f.i])
		f.i++
	}
	return dst, nil
}

var t0 = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)

func day(i int) time.Time { return t0.AddDate(0, 0, i) }

func bar(sym string, i int, close float64) Bar {
	p := PriceFromFloat(close)
	return Bar{Symbol: sym, Time: day(i), Open: p, High: p, Low: p, Close: p}
}

func TestKeyOrder(t *testing.T) {
	tests := []struct {
		a, b key
		less bool
	}{
		{makeKey(1, PhaseObserve, 9), makeKey(2, PhaseMarket, 1), true},
		{makeKey(2, PhaseMarket, 9), makeKey(2, PhaseFill, 1), true},
		{makeKey(2, PhaseFill, 1), makeKey(2, PhaseFill, 2), true},
		{makeKey(2, PhaseFill, 2), makeKey(2, PhaseFill, 2), false},
		{makeKey(3, PhaseMarket, 1), makeKey(2, PhaseObserve, 9), false},
	}
	for _, tc := range tests {
		if got := tc.a.Less(tc.b); got != tc.less {
			t.Errorf("%v.Less(%v) = %v, want %v", tc.a, tc.b, got, tc.less)
		}
	}
}

// TestQueuePopsInKeyOrder checks the queue, buckets and heap together,
// against a sort of the same keys, with pushes interleaved with pops as in
// a run: work at the current time or later, never earlier.
func TestQueuePopsInKeyOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q queue
	var pending []key
	sortKeys := func() {
		slices.SortFunc(pending, func(a, b key) int {
			if a.Less(b) {
				return -1
			}
			return 1
		})
	}
	popOne := func() {
		t.Helper()
		if q.idle() {
			next, ok := q.nextLater()
			if !ok {
				t.Fatal("queue idle with nothing later")
			}
			q.advance(next)
		}
		sortKeys()
		if got := q.pop().key; got != pending[0] {
			t.Fatalf("pop = %v, want %v", got, pending[0])
		}
		pending = pending[1:]
	}
	for i := range 5000 {
		k := makeKey(q.now+rng.Int64N(4), Phase(1+rng.IntN(6)), uint64(i+1))
		if k.Time == q.now && !q.idle() {
			// Work at the current time never goes to an earlier phase
			// than the one being handled (Emit and Defer see to that).
			k = makeKey(k.Time, max(k.Phase(), pending[0].Phase()), k.Seq())
		}
		pending = append(pending, k)
		q.push(item{key: k})
		if rng.IntN(3) == 0 {
			popOne()
		}
	}
	for len(pending) > 0 {
		popOne()
	}
	if q.len() != 0 {
		t.Fatalf("queue has %d items left", q.len())
	}
}

func TestHeapPopsInKeyOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var h heap
	var keys []key
	for i := range 3000 {
		k := makeKey(rng.Int64N(40), Phase(1+rng.IntN(6)), uint64(i))
		keys = append(keys, k)
		h.push(item{key: k})
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.Less(b) {
			return -1
		}
		return 1
	})
	for _, want := range keys {
		if got := h.pop().key; got != want {
			t.Fatalf("pop = %v, want %v", got, want)
		}
	}
}

func TestBusDeliversInRegistrationOrder(t *testing.T) {
	b := NewBus(nil)
	var got []string
	for _, name := range []string{"a", "b", "c"} {
		Subscribe(b, name, func(*LogEvent) error { got = append(got, name); return nil })
	}
	Subscribe(b, "fill-only", func(*FillEvent) error { got = append(got, "fill"); return nil })
	b.Publish(&LogEvent{})
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestBusSubscribeDuringDispatchTakesEffectNextEvent(t *testing.T) {
	b := NewBus(nil)
	var got []string
	var hb Handle
	calls := 0
	Subscribe(b, "a", func(*LogEvent) error {
		got = append(got, "a")
		calls++
		switch calls {
		case 1:
			hb = Subscribe(b, "b", func(*LogEvent) error { got = append(got, "b"); return nil })
		case 2:
			if !b.Unsubscribe(hb) {
				t.Error("Unsubscribe(b) = false")
			}
		}
		return nil
	})
	b.Publish(&LogEvent{}) // a subscribes b: b must not see this event
	b.Publish(&LogEvent{}) // b sees it; a unsubscribes b
	b.Publish(&LogEvent{}) // b gone
	if want := []string{"a", "a", "b", "a"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if b.Unsubscribe(hb) {
		t.Fatal("second Unsubscribe reported true")
	}
}

func TestBusIsolatesFailingHandlers(t *testing.T) {
	type failure struct {
		name string
		msg  string
	}
	var failures []failure
	b := NewBus(func(name string, ev Event, err error) {
		failures = append(failures, failure{name, err.Error()})
	})
	var reached []string
	Subscribe(b, "panics", func(*LogEvent) error { panic("boom") })
	Subscribe(b, "errs", func(*LogEvent) error { return errors.New("bad") })
	Subscribe(b, "ok", func(*LogEvent) error { reached = append(reached, "ok"); return nil })
	b.Publish(&LogEvent{})
	if !slices.Equal(reached, []string{"ok"}) {
		t.Fatalf("healthy handler reached %v", reached)
	}
	want := []failure{{"panics", "panic: boom"}, {"errs", "bad"}}
	if !slices.Equal(failures, want) {
		t.Fatalf("failures = %v, want %v", failures, want)
	}
}

// TestLoopPhases checks the order of work within and across timestamps:
// market, fill, risk, strategy, signal, order, observe, whatever the
// order in which the work was queued; that a cancel-all command is handled
// in the phase it is sent in; and that several bars with one timestamp
// arrive as one market event.
func TestLoopPhases(t *testing.T) {
	feed := &sliceFeed{bars: []Bar{bar("A", 0, 10), bar("B", 0, 20), bar("A", 1, 11)}}
	e := New(feed)
	var log []string
	add := func(s string) { log = append(log, fmt.Sprintf("%s@%d", s, e.Now().Day())) }
	bus := e.Bus()
	Subscribe(bus, "obs", func(m *MarketEvent) error {
		add(fmt.Sprintf("market%d", len(m.Bars)))
		e.Defer(PhaseObserve, "obs", func() error { add("observe"); return nil })
		e.Defer(PhaseStrategy, "strat", func() error {
			add("strategy")
			e.Emit(&SignalEvent{Symbol: "A"})
			return nil
		})
		e.Defer(PhaseRisk, "risk", func() error {
			add("risk")
			e.Emit(&CancelAllOrders{})
			return nil
		})
		e.Emit(&FillEvent{Symbol: "A"})
		if m.Last {
			add("last")
		}
		return nil
	})
	Subscribe(bus, "obs", func(*FillEvent) error { add("fill"); return nil })
	Subscribe(bus, "obs", func(*CancelAllOrders) error { add("cancel-all"); return nil })
	Subscribe(bus, "obs", func(*SignalEvent) error {
		add("signal")
		e.Emit(&SubmitOrder{})
		return nil
	})
	Subscribe(bus, "obs", func(*SubmitOrder) error {
		add("submit")
		e.Emit(&OrderAccepted{}) // a fact: handled in the current phase
		return nil
	})
	Subscribe(bus, "obs", func(*OrderAccepted) error { add("accepted"); return nil })
	stats, err := e.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := "market2@2 fill@2 risk@2 cancel-all@2 strategy@2 signal@2 submit@2 accepted@2 observe@2 " +
		"market1@3 last@3 fill@3 risk@3 cancel-all@3 strategy@3 signal@3 submit@3 accepted@3 observe@3"
	if got := strings.Join(log, " "); got != want {
		t.Fatalf("order:\n got %s\nwant %s", got, want)
	}
	if stats.Timestamps != 2 || stats.Bars != 3 || stats.Interrupted {
		t.Fatalf("stats = %+v", stats)
	}
}

func TestLoopReportsHandlerFailuresAsErrorEvents(t *testing.T) {
	e := New(&sliceFeed{bars: []Bar{bar("A", 0, 10), bar("A", 1, 11)}})
	var errs []string
	Subscribe(e.Bus(), "flaky", func(m *MarketEvent) error {
		if m.Time.Equal(day(0)) {
			panic("first bar")
		}
		return nil
	})
	seen := 0
	Subscribe(e.Bus(), "counter", func(*MarketEvent) error { seen++; return nil })
	Subscribe(e.Bus(), "errors", func(x *ErrorEvent) error {
		errs = append(errs, fmt.Sprintf("%s %s %v %s", x.Component, x.Cause, x.Err, x.Time.Format("01-02")))
		return nil
	})
	Subscribe(e.Bus(), "bad-error-handler", func(x *ErrorEvent) error { return errors.New("again") })
	stats, err := e.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if seen != 2 {
		t.Fatalf("the healthy subscriber saw %d bars, want 2", seen)
	}
	if want := []string{"flaky market panic: first bar 01-02"}; !slices.Equal(errs, want) {
		t.Fatalf("errors = %v, want %v", errs, want)
	}
	if f := e.Failures(); f["flaky"] != 1 || f["bad-error-handler"] != 1 || stats.Failures != 2 {
		t.Fatalf("failures = %v, stats %+v", f, stats)
	}
}

func TestLoopCancelDrainsQueuedWork(t *testing.T) {
	var bars []Bar
	for i := range 10 {
		bars = append(bars, bar("A", i, 10))
	}
	e := New(&sliceFeed{bars: bars})
	ctx, cancel := context.WithCancelCause(context.Background())
	markets, observed := 0, 0
	Subscribe(e.Bus(), "t", func(m *MarketEvent) error {
		markets++
		if markets == 3 {
			cancel(errors.New("stop now"))
		}
		e.Defer(PhaseObserve, "t", func() error { observed++; return nil })
		return nil
	})
	stats, err := e.Run(ctx)
	if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "stop now") {
		t.Fatalf("err = %v, want ErrInterrupted with the cause", err)
	}
	// The bar being handled when the context was canceled is finished,
	// work it queued included; no later bar is read.
	if markets != 3 || observed != 3 || !stats.Interrupted || stats.Timestamps != 3 {
		t.Fatalf("markets %d observed %d stats %+v", markets, observed, stats)
	}
}

type feedFunc func([]Bar) ([]Bar, error)

func (f feedFunc) Next(dst []Bar) ([]Bar, error) { return f(dst) }

func TestLoopFeedErrors(t *testing.T) {
	boom := errors.New("line 7: bad")
	calls := 0
	e := New(feedFunc(func(dst []Bar) ([]Bar, error) {
		calls++
		if calls == 3 {
			return dst, boom
		}
		return append(dst, bar("A", calls, 1)), nil
	}))
	if _, err := e.Run(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	// A feed whose times do not increase is refused.
	e = New(&sliceFeed{bars: []Bar{bar("A", 1, 1), bar("B", 0, 1)}})
	if _, err := e.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "not after") {
		t.Fatalf("err = %v, want a time-order error", err)
	}
}

type lifecycle struct {
	name     string
	log      *[]string
	startErr error
}

func (c lifecycle) Name() string { return c.name }
func (c lifecycle) Start(context.Context) error {
	*c.log = append(*c.log, "start "+c.name)
	return c.startErr
}
func (c lifecycle) Stop(context.Context) error {
	*c.log = append(*c.log, "stop "+c.name)
	return nil
}

func TestComponentsStartInOrderStopInReverse(t *testing.T) {
	var log []string
	e := New(&sliceFeed{})
	for _, n := range []string{"a", "b", "c"} {
		e.Register(lifecycle{name: n, log: &log})
	}
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"start a", "start b", "start c", "stop c", "stop b", "stop a"}; !slices.Equal(log, want) {
		t.Fatalf("got %v, want %v", log, want)
	}

	// A failed start stops those already started and runs nothing.
	log = nil
	e = New(&sliceFeed{bars: []Bar{bar("A", 0, 1)}})
	e.Register(lifecycle{name: "a", log: &log})
	e.Register(lifecycle{name: "b", log: &log, startErr: errors.New("no")})
	e.Register(lifecycle{name: "c", log: &log})
	_, err := e.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "start b: no") {
		t.Fatalf("err = %v", err)
	}
	if want := []string{"start a", "start b", "stop a"}; !slices.Equal(log, want) {
		t.Fatalf("got %v, want %v", log, want)
	}
}
