package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
)

// TestPanicsDoNotStopTheWork checks that a panic or an error of a
// subscriber (first, middle or last of its list) or of a deferred function
// is reported and that the rest of the work goes on, in order: the
// subscribers after it, the deferred work queued after it, the next
// timestamps.
func TestPanicsDoNotStopTheWork(t *testing.T) {
	e := New(&sliceFeed{bars: dailyBars(4)})
	e.SetBreaker(BreakerConfig{}) // never opens: every call is made
	var log []string
	day := func(m *MarketEvent) int { return int(m.Time.Sub(t0).Hours() / 24) }
	cur := -1
	sub := func(name string, panicOn int) {
		Subscribe(e.Bus(), name, func(m *MarketEvent) error {
			cur = day(m)
			log = append(log, fmt.Sprintf("%d %s", cur, name))
			if cur == panicOn {
				panic(fmt.Sprintf("%s %d", name, cur))
			}
			return nil
		})
	}
	sub("a", 1)
	sub("b", 2)
	sub("c", 3)
	fn := func(name string, panicOn []int, failOn int) func() error {
		return func() error {
			log = append(log, fmt.Sprintf("%d %s", cur, name))
			if slices.Contains(panicOn, cur) {
				panic(fmt.Sprintf("%s %d", name, cur))
			}
			if cur == failOn {
				return fmt.Errorf("%s failed %d", name, cur)
			}
			return nil
		}
	}
	x, y, z := fn("x", []int{0, 2}, -1), fn("y", nil, 1), fn("z", nil, -1)
	dx, dy, dz := e.Deferrer("x"), e.Deferrer("y"), e.Deferrer("z")
	Subscribe(e.Bus(), "def", func(m *MarketEvent) error {
		log = append(log, fmt.Sprintf("%d def", day(m)))
		dx.Defer(PhaseStrategy, x)
		dy.Defer(PhaseStrategy, y)
		dz.Defer(PhaseStrategy, z)
		return nil
	})
	panics := 0
	Subscribe(e.Bus(), "errors", func(x *ErrorEvent) error {
		var p *PanicError
		if errors.As(x.Err, &p) {
			panics++
		}
		log = append(log, fmt.Sprintf("error %s: %v", x.Component, x.Err))
		return nil
	})
	stats, err := e.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0 a", "0 b", "0 c", "0 def", "0 x", "0 y", "0 z", "error x: panic: x 0",
		"1 a", "1 b", "1 c", "1 def", "error a: panic: a 1", "1 x", "1 y", "1 z", "error y: y failed 1",
		"2 a", "2 b", "2 c", "2 def", "error b: panic: b 2", "2 x", "2 y", "2 z", "error x: panic: x 2",
		"3 a", "3 b", "3 c", "3 def", "error c: panic: c 3", "3 x", "3 y", "3 z",
	}
	if !slices.Equal(log, want) {
		t.Errorf("log:\n got %q\nwant %q", log, want)
	}
	if panics != 5 {
		t.Errorf("%d ErrorEvents carry a *PanicError, want 5", panics)
	}
	f := e.Failures()
	if f["a"] != 1 || f["b"] != 1 || f["c"] != 1 || f["x"] != 2 || f["y"] != 1 || f["z"] != 0 || stats.Failures != 6 {
		t.Errorf("failures = %v, stats %+v", f, stats)
	}
	if stats.Timestamps != 4 {
		t.Errorf("%d timestamps, want 4", stats.Timestamps)
	}
}

// TestStopOnErrorInDeferredWork checks that a panic of a deferred function
// ends the run when the engine stops on error, before the work queued
// after it.
func TestStopOnErrorInDeferredWork(t *testing.T) {
	e := New(&sliceFeed{bars: dailyBars(3)})
	e.SetStopOnError(true)
	var log []string
	d := e.Deferrer("flaky")
	Subscribe(e.Bus(), "def", func(m *MarketEvent) error {
		log = append(log, "bar "+m.Time.Format("01-02"))
		d.Defer(PhaseStrategy, func() error {
			log = append(log, "flaky")
			if m.Time.Equal(day(1)) {
				panic("boom")
			}
			return nil
		})
		e.Defer(PhaseObserve, "after", func() error { log = append(log, "after"); return nil })
		return nil
	})
	stats, err := e.Run(context.Background())
	if !errors.Is(err, ErrHandlerFailed) || err.Error() != "handler failed: flaky: panic: boom" {
		t.Fatalf("err = %v, want ErrHandlerFailed naming flaky", err)
	}
	want := []string{"bar 01-02", "flaky", "after", "bar 01-03", "flaky"}
	if !slices.Equal(log, want) {
		t.Errorf("log %q, want %q", log, want)
	}
	if stats.Timestamps != 2 {
		t.Errorf("%d timestamps, want 2", stats.Timestamps)
	}
}
