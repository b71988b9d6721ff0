package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// indexLog records, for every bar delivered, its symbol and SymbolIndex.
func indexLog(e *Engine) *[][2]string {
	var got [][2]string
	Subscribe(e.Bus(), "log", func(m *MarketEvent) error {
		for _, b := range m.Bars {
			got = append(got, [2]string{b.Symbol, fmt.Sprint(b.SymbolIndex)})
		}
		return nil
	})
	return &got
}

// firstSeen returns the index each symbol should get: its rank in the
// order of first appearance.
func firstSeen(bars []Bar) map[string]int {
	want := make(map[string]int)
	for _, b := range bars {
		if _, ok := want[b.Symbol]; !ok {
			want[b.Symbol] = len(want)
		}
	}
	return want
}

// TestSymbolIndexFirstSeen checks that the engine numbers symbols densely
// in the order the feed first delivers them, whatever the symbols' names,
// the order within a timestamp, symbols that appear late or skip
// timestamps, and indices a feed set itself.
func TestSymbolIndexFirstSeen(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const symbols, days = 300, 40
	var bars []Bar
	for d := range days {
		var today []Bar
		for s := range symbols {
			// symbol s starts on day s%days and is missing on some days
			if d < s%days || rng.IntN(5) == 0 {
				continue
			}
			b := bar(fmt.Sprintf("Z%03d", symbols-s), d, 10)
			b.SymbolIndex = rng.IntN(1000) - 500 // the engine overwrites it
			today = append(today, b)
		}
		if d%3 == 0 { // the feed's order within a timestamp changes
			rng.Shuffle(len(today), func(i, j int) { today[i], today[j] = today[j], today[i] })
		}
		bars = append(bars, today...)
	}
	want := firstSeen(bars)
	run := func() [][2]string {
		e := New(&sliceFeed{bars: slices.Clone(bars)})
		got := indexLog(e)
		if _, err := e.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return *got
	}
	got := run()
	if len(got) != len(bars) {
		t.Fatalf("%d bars delivered, want %d", len(got), len(bars))
	}
	for i, g := range got {
		if w := fmt.Sprint(want[g[0]]); g[1] != w {
			t.Fatalf("bar %d (%s): SymbolIndex %s, want %s", i, g[0], g[1], w)
		}
	}
	if again := run(); !slices.Equal(again, got) {
		t.Error("a second run over the same feed numbered the symbols differently")
	}
}

// TestSymbolCache checks that a cache hit needs the bar's symbol to match
// the slot's, so that a bar with a wrong index is a miss, not a wrong hit.
func TestSymbolCache(t *testing.T) {
	var c SymbolCache[int]
	a, b := 1, 2
	barA := &Bar{Symbol: "A", SymbolIndex: 3}
	if c.Get(barA) != nil {
		t.Fatal("empty cache hit")
	}
	c.Put(barA, &a)
	if got := c.Get(barA); got != &a {
		t.Errorf("Get(A) = %v, want &a", got)
	}
	if got := c.Get(&Bar{Symbol: "B", SymbolIndex: 3}); got != nil {
		t.Errorf("B with A's index hit %v", *got)
	}
	if got := c.Get(&Bar{Symbol: "A", SymbolIndex: 0}); got != nil {
		t.Errorf("A at another index hit %v", *got)
	}
	c.Put(&Bar{Symbol: "B", SymbolIndex: 3}, &b) // the slot is B's now
	if c.Get(barA) != nil {
		t.Error("A still hits after B took its slot")
	}
	c.Put(&Bar{Symbol: "D", SymbolIndex: 1 << 40}, &b)
	if c.Get(&Bar{Symbol: "D", SymbolIndex: 1 << 40}) != nil || len(c.slots) > 4 {
		t.Errorf("an absurd index was cached: %d slots", len(c.slots))
	}
	c.Put(&Bar{Symbol: "C", SymbolIndex: -1}, &b)
	if c.Get(&Bar{Symbol: "C", SymbolIndex: -1}) != nil || c.Get(&Bar{Symbol: "", SymbolIndex: 0}) != nil {
		t.Error("negative index or empty slot hit")
	}
}

// TestDeferrer checks that work deferred through a Deferrer is scheduled
// like Engine.Defer's and guarded by the component's one circuit breaker,
// which exists only once the component has deferred something.
func TestDeferrer(t *testing.T) {
	e := New(&sliceFeed{bars: dailyBars(5)})
	e.SetBreaker(BreakerConfig{Failures: 1, Cooldown: 72 * time.Hour})
	d := e.Deferrer("strategy")
	var calls []string
	Subscribe(e.Bus(), "driver", func(m *MarketEvent) error {
		d.Defer(PhaseStrategy, func() error {
			calls = append(calls, fmt.Sprintf("%s %v", m.Time.Format("01-02"), e.Phase() == PhaseStrategy))
			return errors.New("always")
		})
		// Deferring by name reaches the same breaker: skipped while open.
		e.Defer(PhaseStrategy, "strategy", func() error {
			calls = append(calls, "by name")
			return nil
		})
		return nil
	})
	events := breakerLog(e)
	for _, b := range e.Breakers() {
		if b.Component == "strategy" {
			t.Error("a Deferrer that has deferred nothing has a breaker listed")
		}
	}
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"01-02 true", "01-05 true"}; !slices.Equal(calls, want) {
		t.Errorf("calls %v, want %v", calls, want)
	}
	want := []string{
		"strategy 01-02:closed>open(1 until 01-05)",
		"strategy 01-05:open>half-open",
		"strategy 01-05:half-open>open(2 until 01-08)",
	}
	if !slices.Equal(*events, want) {
		t.Errorf("events:\n got %q\nwant %q", *events, want)
	}
	if f := e.Failures(); f["strategy"] != 2 {
		t.Errorf("failures %v, want strategy: 2", f)
	}
}
