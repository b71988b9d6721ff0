package strategy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// fakeAccount holds positions set by the test.
type fakeAccount struct{ pos map[string]decimal.Decimal }

func (a *fakeAccount) Position(s string) decimal.Decimal { return a.pos[s] }
func (a *fakeAccount) Cash() decimal.Decimal             { return decimal.Zero }
func (a *fakeAccount) Equity() float64                   { return 0 }

// signals runs s over closes and returns its signals as "index:target".
// When follow is true the fake account's position follows each signal at
// once (+1, -1 or 0), as if filled.
func signals(t *testing.T, s Strategy, closes []string, follow bool) []string {
	t.Helper()
	var bars []engine.Bar
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, c := range closes {
		bars = append(bars, testkit.Flat("X", t0.AddDate(0, 0, i), c))
	}
	e := engine.New(testkit.NewFeed(bars))
	acct := &fakeAccount{pos: map[string]decimal.Decimal{}}
	NewRunner(e, "test", s, acct)
	var got []string
	engine.Subscribe(e.Bus(), "test", func(sig *engine.SignalEvent) error {
		got = append(got, fmt.Sprintf("%d:%s", sig.Time.Sub(t0)/(24*time.Hour), sig.Target))
		if follow {
			acct.pos["X"] = map[engine.Target]decimal.Decimal{
				engine.TargetLong: decimal.NewFromInt(1), engine.TargetShort: decimal.NewFromInt(-1),
			}[sig.Target]
		}
		return nil
	})
	var failures []string
	engine.Subscribe(e.Bus(), "test", func(x *engine.ErrorEvent) error {
		failures = append(failures, x.Err.Error())
		return nil
	})
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(failures) > 0 {
		t.Fatalf("strategy failed: %v", failures)
	}
	return got
}

func TestSMACrossRule(t *testing.T) {
	// fast = 2, slow = 3. Worked by hand, (fast, slow) from bar 2 on:
	// 2: (10, 10) tie, no previous sign
	// 3: (10.5, 10.333) fast above, but no earlier non-zero difference: no signal
	// 4: (10, 10) tie
	// 5: (9, 9.667) below; the last non-zero was positive: down-cross through a tie
	// 6: (9, 9) tie
	// 7: (9.5, 9.333) above; last non-zero negative: up-cross
	// 8: (10, 9.667) still above: nothing
	// 9: (9.5, 9.667) below: down-cross
	closes := []string{"10", "10", "10", "11", "9", "9", "9", "10", "10", "9"}
	tests := []struct {
		mode   string
		follow bool
		want   []string
	}{
		{"longshort", false, []string{"5:short", "7:long", "9:short"}},
		// long mode: the down-cross at 5 finds no position and is ignored
		{"long", true, []string{"7:long", "9:flat"}},
		// long mode with a position that never fills: the down-cross at 9
		// finds no long position and is ignored
		{"long", false, []string{"7:long"}},
	}
	for _, tc := range tests {
		s, err := NewSMACross(Params{"fast": "2", "slow": "3", "mode": tc.mode})
		if err != nil {
			t.Fatal(err)
		}
		if got := signals(t, s, closes, tc.follow); !slices.Equal(got, tc.want) {
			t.Errorf("mode %s follow %v: signals %v, want %v", tc.mode, tc.follow, got, tc.want)
		}
	}
}

func TestSMACrossParams(t *testing.T) {
	tests := []struct {
		p   Params
		err string
	}{
		{Params{}, ""},
		{Params{"fast": "5", "slow": "20", "mode": "longshort"}, ""},
		{Params{"fast": "x"}, `param fast: "x" is not a whole number`},
		{Params{"slow": "99999999999999999999"}, `param slow: "99999999999999999999" is out of range: want a whole number from -9223372036854775808 to 9223372036854775807`},
		{Params{"fast": "30", "slow": "10"}, "fast (30) must be less than slow (10)"},
		{Params{"fast": "0"}, "must be at least 1"},
		{Params{"mode": "short"}, `param mode: "short" is not one of long, longshort`},
		{Params{"fats": "3"}, `unknown param "fats" (known: fast, slow, mode)`},
	}
	for _, tc := range tests {
		s, err := New("smacross", tc.p)
		if tc.err == "" {
			if err != nil {
				t.Errorf("%v: %v", tc.p, err)
			} else if sc := s.(*SMACross); tc.p["fast"] == "" && (sc.Fast != 10 || sc.Slow != 30 || sc.LongShort) {
				t.Errorf("defaults = %+v", sc)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%v: error %v, want %q", tc.p, err, tc.err)
		}
	}
}

func TestNewUnknownStrategy(t *testing.T) {
	_, err := New("smacros", nil)
	if err == nil || !strings.HasPrefix(err.Error(), `unknown strategy "smacros" (known: breakout, buyhold, macd, rotation, rsi, smacross`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := New("buyhold", Params{"x": "1"}); err == nil || !strings.Contains(err.Error(), `unknown param "x" (known: none)`) {
		t.Fatalf("buyhold with a param: %v", err)
	}
}

func TestParseParams(t *testing.T) {
	p, err := ParseParams([]string{"fast=5", " slow = 20 ", "note=a=b"})
	if err != nil {
		t.Fatal(err)
	}
	if p["fast"] != "5" || p["slow"] != "20" || p["note"] != "a=b" {
		t.Fatalf("got %v", p)
	}
	for _, bad := range [][]string{{"fast"}, {"=5"}, {"a=1", "a=2"}} {
		if _, err := ParseParams(bad); err == nil {
			t.Errorf("ParseParams(%q) succeeded", bad)
		}
	}
}

func TestBuyHoldSignalsOncePerSymbol(t *testing.T) {
	s, _ := NewBuyHold(nil)
	if got := signals(t, s, []string{"1", "2", "3"}, false); !slices.Equal(got, []string{"0:long"}) {
		t.Fatalf("signals %v", got)
	}
}

// TestBuyHoldTwoSymbols: with two symbols, a third one from day 2 and
// the first symbol's bars missing on day 3, BuyHold signals each symbol
// once, at its first bar, whichever order the symbols' bars come in.
func TestBuyHoldTwoSymbols(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var bars []engine.Bar
	for i := range 5 {
		day := t0.AddDate(0, 0, i)
		if i != 3 {
			bars = append(bars, testkit.Flat("X", day, "1"))
		}
		bars = append(bars, testkit.Flat("Y", day, "2"))
		if i >= 2 {
			bars = append(bars, testkit.Flat("Z", day, "3"))
		}
	}
	e := engine.New(testkit.NewFeed(bars))
	s, _ := NewBuyHold(nil)
	NewRunner(e, "test", s, &fakeAccount{pos: map[string]decimal.Decimal{}})
	var got []string
	engine.Subscribe(e.Bus(), "test", func(sig *engine.SignalEvent) error {
		got = append(got, fmt.Sprintf("%d:%s:%s", sig.Time.Sub(t0)/(24*time.Hour), sig.Symbol, sig.Target))
		return nil
	})
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"0:X:long", "0:Y:long", "2:Z:long"}; !slices.Equal(got, want) {
		t.Fatalf("signals %v, want %v", got, want)
	}
}

// A panicking strategy is reported and the run goes on to later bars.
func TestRunnerIsolatesPanics(t *testing.T) {
	var bars []engine.Bar
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		bars = append(bars, engine.Bar{Symbol: "X", Time: t0.AddDate(0, 0, i), Open: 1, High: 1, Low: 1, Close: 1})
	}
	e := engine.New(testkit.NewFeed(bars))
	calls := 0
	NewRunner(e, "fragile", strategyFunc(func(ctx *Context, b engine.Bar) error {
		calls++
		if calls == 2 {
			var none []int
			_ = none[calls] // a real runtime panic
		}
		return nil
	}), &fakeAccount{})
	var errs []string
	engine.Subscribe(e.Bus(), "t", func(x *engine.ErrorEvent) error {
		errs = append(errs, x.Component+": "+x.Err.Error())
		return nil
	})
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls != 3 || len(errs) != 1 || !strings.HasPrefix(errs[0], "fragile: X 2024-01-02T00:00:00Z: panic: runtime error: index out of range [2] with length 0") {
		t.Fatalf("calls %d, errors %q", calls, errs)
	}
}

type strategyFunc func(*Context, engine.Bar) error

func (f strategyFunc) OnBar(ctx *Context, b engine.Bar) error { return f(ctx, b) }

func TestHistory(t *testing.T) {
	h := newHistory(3)
	for i := 1; i <= 5; i++ {
		h.push(&engine.Bar{Close: engine.Price(i)})
	}
	if h.Len() != 3 || h.Ago(0).Close != 5 || h.Ago(2).Close != 3 {
		t.Fatalf("len %d ago0 %d ago2 %d", h.Len(), h.Ago(0).Close, h.Ago(2).Close)
	}
}
