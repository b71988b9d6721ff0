package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func dailyBars(n int) []Bar {
	bars := make([]Bar, n)
	for i := range bars {
		bars[i] = bar("A", i, 10)
	}
	return bars
}

// breakerLog records the breaker events of e as "day:from>to".
func breakerLog(e *Engine) *[]string {
	var log []string
	Subscribe(e.Bus(), "breaker-log", func(b *BreakerEvent) error {
		s := fmt.Sprintf("%s %s:%s>%s", b.Component, b.Time.Format("01-02"), b.From, b.To)
		if b.To == BreakerOpen {
			s += fmt.Sprintf("(%d until %s)", b.Failures, b.Until.Format("01-02"))
		}
		log = append(log, s)
		return nil
	})
	return &log
}

// TestBreakerOpensCoolsDownAndCloses runs a subscriber that fails on
// chosen days under a breaker that opens after 2 consecutive failures for
// 2 simulated days. Days are counted from 01-02 (day 0).
func TestBreakerOpensCoolsDownAndCloses(t *testing.T) {
	tests := []struct {
		name      string
		failOn    []int
		delivered []int
		events    []string
		stats     BreakerStats
	}{
		{
			// Fails on days 0 and 1: opens on day 1 until day 3; day 2 is
			// skipped; day 3 is the trial, succeeds, and closes it.
			name:      "trial succeeds",
			failOn:    []int{0, 1},
			delivered: []int{0, 1, 3, 4, 5},
			events: []string{
				"flaky 01-03:closed>open(2 until 01-05)",
				"flaky 01-05:open>half-open",
				"flaky 01-05:half-open>closed",
			},
			stats: BreakerStats{Component: "flaky", State: BreakerClosed, Failures: 2, Opens: 1, Skipped: 1},
		},
		{
			// The trial on day 3 fails (the third failure in a row): open
			// again until day 5; day 4 is skipped; the trial on day 5
			// succeeds.
			name:      "trial fails",
			failOn:    []int{0, 1, 3},
			delivered: []int{0, 1, 3, 5},
			events: []string{
				"flaky 01-03:closed>open(2 until 01-05)",
				"flaky 01-05:open>half-open",
				"flaky 01-05:half-open>open(3 until 01-07)",
				"flaky 01-07:open>half-open",
				"flaky 01-07:half-open>closed",
			},
			stats: BreakerStats{Component: "flaky", State: BreakerClosed, Failures: 3, Opens: 2, Skipped: 2},
		},
		{
			// One failure, then a success: the count of consecutive
			// failures starts again, so failures on days 0, 2 and 4 never
			// open the breaker.
			name:      "not consecutive",
			failOn:    []int{0, 2, 4},
			delivered: []int{0, 1, 2, 3, 4, 5},
			stats:     BreakerStats{Component: "flaky", State: BreakerClosed, Failures: 3},
		},
		{
			// Failing to the end leaves the breaker open: trials on days
			// 3 and 5 fail, days 2 and 4 are skipped. The count of
			// consecutive failures goes on through the trials.
			name:      "ends open",
			failOn:    []int{0, 1, 2, 3, 4, 5},
			delivered: []int{0, 1, 3, 5},
			events: []string{
				"flaky 01-03:closed>open(2 until 01-05)",
				"flaky 01-05:open>half-open",
				"flaky 01-05:half-open>open(3 until 01-07)",
				"flaky 01-07:open>half-open",
				"flaky 01-07:half-open>open(4 until 01-09)",
			},
			stats: BreakerStats{Component: "flaky", State: BreakerOpen, Failures: 4, Opens: 3, Skipped: 2},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(&sliceFeed{bars: dailyBars(6)})
			e.SetBreaker(BreakerConfig{Failures: 2, Cooldown: 48 * time.Hour})
			var delivered []int
			Subscribe(e.Bus(), "flaky", func(m *MarketEvent) error {
				d := int(m.Time.Sub(t0) / (24 * time.Hour))
				delivered = append(delivered, d)
				if slices.Contains(tc.failOn, d) {
					panic(fmt.Sprintf("day %d", d))
				}
				return nil
			})
			healthy := 0
			Subscribe(e.Bus(), "healthy", func(*MarketEvent) error { healthy++; return nil })
			events := breakerLog(e)
			if _, err := e.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(delivered, tc.delivered) {
				t.Errorf("delivered days %v, want %v", delivered, tc.delivered)
			}
			if !slices.Equal(*events, tc.events) {
				t.Errorf("breaker events:\n got %q\nwant %q", *events, tc.events)
			}
			if healthy != 6 {
				t.Errorf("the healthy subscriber saw %d bars, want 6", healthy)
			}
			var got BreakerStats
			for _, b := range e.Breakers() {
				if b.Component == "flaky" {
					got = b
				}
			}
			if got != tc.stats {
				t.Errorf("stats = %+v, want %+v", got, tc.stats)
			}
		})
	}
}

// TestBreakerGuardsDeferredWork checks that deferred calls share their
// component's breaker: the failing deferred "strategy" is skipped while
// open, and a subscriber of the same name is skipped with it.
func TestBreakerGuardsDeferredWork(t *testing.T) {
	e := New(&sliceFeed{bars: dailyBars(5)})
	e.SetBreaker(BreakerConfig{Failures: 1, Cooldown: 72 * time.Hour})
	var calls []string
	Subscribe(e.Bus(), "driver", func(m *MarketEvent) error {
		e.Defer(PhaseStrategy, "strategy", func() error {
			calls = append(calls, m.Time.Format("01-02"))
			return errors.New("always")
		})
		return nil
	})
	events := breakerLog(e)
	stats, err := e.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Opens on day 0 until day 3; days 1 and 2 skipped; day 3's trial
	// fails and opens it until day 6, past the data; day 4 skipped.
	if want := []string{"01-02", "01-05"}; !slices.Equal(calls, want) {
		t.Errorf("calls on %v, want %v", calls, want)
	}
	want := []string{
		"strategy 01-02:closed>open(1 until 01-05)",
		"strategy 01-05:open>half-open",
		"strategy 01-05:half-open>open(2 until 01-08)",
	}
	if !slices.Equal(*events, want) {
		t.Errorf("events:\n got %q\nwant %q", *events, want)
	}
	if stats.Failures != 2 {
		t.Errorf("failures = %d, want 2", stats.Failures)
	}
}

// TestBreakerDisabled: with Failures 0 a breaker never opens.
func TestBreakerDisabled(t *testing.T) {
	e := New(&sliceFeed{bars: dailyBars(4)})
	e.SetBreaker(BreakerConfig{})
	n := 0
	Subscribe(e.Bus(), "flaky", func(*MarketEvent) error { n++; return errors.New("no") })
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Fatalf("delivered %d, want 4", n)
	}
	if b := e.Breakers(); len(b) != 1 || b[0] != (BreakerStats{Component: "flaky", Failures: 4}) {
		t.Fatalf("breakers = %+v", b)
	}
}

func TestStopOnError(t *testing.T) {
	e := New(&sliceFeed{bars: dailyBars(5)})
	e.SetStopOnError(true)
	var seen, after []string
	Subscribe(e.Bus(), "flaky", func(m *MarketEvent) error {
		seen = append(seen, m.Time.Format("01-02"))
		if m.Time.Equal(day(1)) {
			panic("boom")
		}
		return nil
	})
	Subscribe(e.Bus(), "later", func(m *MarketEvent) error {
		after = append(after, m.Time.Format("01-02"))
		return nil
	})
	stats, err := e.Run(context.Background())
	if !errors.Is(err, ErrHandlerFailed) || err.Error() != "handler failed: flaky: panic: boom" {
		t.Fatalf("err = %v, want ErrHandlerFailed naming flaky", err)
	}
	// The failing event is not delivered to later subscribers, and
	// nothing after it is handled.
	if !slices.Equal(seen, []string{"01-02", "01-03"}) || !slices.Equal(after, []string{"01-02"}) {
		t.Fatalf("seen %v, later saw %v", seen, after)
	}
	if !stats.Last.Equal(day(1)) || stats.Failures != 1 {
		t.Fatalf("stats = %+v", stats)
	}
}

func TestStatsLast(t *testing.T) {
	e := New(&sliceFeed{bars: dailyBars(3)})
	stats, err := e.Run(context.Background())
	if err != nil || !stats.Last.Equal(day(2)) {
		t.Fatalf("Last = %v, err %v; want %v", stats.Last, err, day(2))
	}
	stats, _ = New(&sliceFeed{}).Run(context.Background())
	if !stats.Last.IsZero() {
		t.Fatalf("Last = %v with no bars", stats.Last)
	}
}

func TestNewKinds(t *testing.T) {
	tests := []struct {
		k       Kind
		name    string
		command bool
	}{
		{KindKillSwitch, "kill-switch", false},
		{KindKillRequest, "kill-request", true},
		{KindBreaker, "breaker", false},
		{(&CancelAllOrders{}).Kind(), "cancel-all-orders", true},
		{(&KillSwitchEvent{}).Kind(), "kill-switch", false},
		{(&KillRequest{}).Kind(), "kill-request", true},
		{(&BreakerEvent{}).Kind(), "breaker", false},
	}
	for _, tc := range tests {
		if tc.k.String() != tc.name || tc.k.IsCommand() != tc.command {
			t.Errorf("%d: %q command %v, want %q %v", tc.k, tc.k, tc.k.IsCommand(), tc.name, tc.command)
		}
	}
	if KillTrip.String() != "trip" || KillReset.String() != "reset" || KillResetRefused.String() != "reset-refused" {
		t.Error("kill action names")
	}
	if BreakerClosed.String() != "closed" || BreakerOpen.String() != "open" || BreakerHalfOpen.String() != "half-open" {
		t.Error("breaker state names")
	}
}

// blocking is a component whose Start or Stop takes long: it blocks until
// release is closed, honoring its context only when polite.
type blocking struct {
	name       string
	log        *syncLog
	slowStart  bool
	slowStop   bool
	polite     bool
	release    chan struct{}
	stopReturn error
}

func (c *blocking) Name() string { return c.name }

func (c *blocking) wait(ctx context.Context) error {
	if c.polite {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.release:
			return nil
		}
	}
	<-c.release
	return nil
}

func (c *blocking) Start(ctx context.Context) error {
	c.log.add("start " + c.name)
	if c.slowStart {
		return c.wait(ctx)
	}
	return nil
}

func (c *blocking) Stop(ctx context.Context) error {
	c.log.add("stop " + c.name)
	if c.slowStop {
		return c.wait(ctx)
	}
	return c.stopReturn
}

func TestComponentTimeouts(t *testing.T) {
	release := make(chan struct{})
	defer close(release) // lets abandoned calls end
	log := &syncLog{}
	e := New(&sliceFeed{bars: dailyBars(2)})
	e.SetStopTimeout(30 * time.Millisecond)
	e.Register(&blocking{name: "a", log: log, stopReturn: errors.New("disk full")})
	e.Register(&blocking{name: "deaf", log: log, slowStop: true, release: release})
	e.Register(&blocking{name: "polite", log: log, slowStop: true, polite: true, release: release})
	stats, err := e.Run(context.Background())
	if stats.Timestamps != 2 {
		t.Fatalf("stats = %+v", stats)
	}
	// Every component is stopped, in reverse, whatever the others did;
	// the errors are joined in that order.
	want := "stop polite: context deadline exceeded\n" +
		"stop deaf: timed out after 30ms\n" +
		"stop a: disk full"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want\n%s", err, want)
	}
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v does not wrap ErrTimeout and DeadlineExceeded", err)
	}
	if w := []string{"start a", "start deaf", "start polite", "stop polite", "stop deaf", "stop a"}; !slices.Equal(log.get(), w) {
		t.Fatalf("log %v, want %v", log.get(), w)
	}

	// A Start that exceeds its limit ends the run before any event; the
	// components already started are stopped.
	log = &syncLog{}
	e = New(&sliceFeed{bars: dailyBars(2)})
	e.SetStartTimeout(30 * time.Millisecond)
	e.Register(&blocking{name: "a", log: log})
	e.Register(&blocking{name: "slow", log: log, slowStart: true, release: release})
	markets := 0
	Subscribe(e.Bus(), "m", func(*MarketEvent) error { markets++; return nil })
	_, err = e.Run(context.Background())
	if err == nil || err.Error() != "start slow: timed out after 30ms" || markets != 0 {
		t.Fatalf("err = %v, markets %d", err, markets)
	}
	if w := []string{"start a", "start slow", "stop a"}; !slices.Equal(log.get(), w) {
		t.Fatalf("log %v, want %v", log.get(), w)
	}
}

// syncLog is a log that abandoned goroutines may still write to.
type syncLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *syncLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
}

func (l *syncLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}
