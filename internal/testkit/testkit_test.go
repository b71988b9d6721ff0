package testkit

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func TestMustPrice(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want engine.Price
	}{
		{"12.34", 1234_000_000},
		{"0.00000001", 1},
		{"-1", -100_000_000},
	} {
		if got := MustPrice(tc.s); got != tc.want {
			t.Errorf("MustPrice(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestMustPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"price":    func() { MustPrice("1.2.3") },
		"dec":      func() { MustDec("abc") },
		"ohlc 3":   func() { OHLC("X", t0, "1 2 3") },
		"ohlc bad": func() { OHLC("X", t0, "1 2 x 4") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestMustDec(t *testing.T) {
	for _, tc := range []struct {
		s        string
		coef     int64
		exponent int32
	}{
		{"0.1", 1, -1},
		{"1e3", 1, 3},
		{"-2.50", -250, -2},
	} {
		d := MustDec(tc.s)
		if d.CoefficientInt64() != tc.coef || d.Exponent() != tc.exponent {
			t.Errorf("MustDec(%q) = %de%d, want %de%d", tc.s, d.CoefficientInt64(), d.Exponent(), tc.coef, tc.exponent)
		}
	}
}

func TestBars(t *testing.T) {
	b := OHLC("X", t0, "10 11 9.5 10.5")
	want := engine.Bar{Symbol: "X", Time: t0, Open: 10e8, High: 11e8, Low: 9.5e8, Close: 10.5e8}
	if b != want {
		t.Errorf("OHLC = %+v, want %+v", b, want)
	}
	b = Flat("Y", t0, "2.5")
	want = engine.Bar{Symbol: "Y", Time: t0, Open: 2.5e8, High: 2.5e8, Low: 2.5e8, Close: 2.5e8}
	if b != want {
		t.Errorf("Flat = %+v, want %+v", b, want)
	}
}

// drain reads f to the end and returns the symbols of each call's group.
func drain(t *testing.T, f engine.Feed) [][]string {
	t.Helper()
	var out [][]string
	for range 10 {
		g, err := f.Next(nil)
		if errors.Is(err, io.EOF) {
			if len(g) != 0 {
				t.Errorf("bars with io.EOF: %v", g)
			}
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var syms []string
		for _, b := range g {
			syms = append(syms, b.Symbol)
		}
		out = append(out, syms)
	}
	t.Fatal("no io.EOF after 10 calls")
	return nil
}

func TestFeeds(t *testing.T) {
	a := Flat("A", t0, "1")
	b := Flat("B", t0, "1")
	c := Flat("C", t0.Add(time.Hour), "1")
	d := Flat("D", t0.Add(2*time.Hour), "1")
	for _, tc := range []struct {
		name string
		feed engine.Feed
		want string
	}{
		{"feed", NewFeed([]engine.Bar{a, b, c, d}), "[[A B] [C] [D]]"},
		{"feed one", NewFeed([]engine.Bar{c}), "[[C]]"},
		{"feed none", NewFeed(nil), "[]"},
		{"groups", NewGroupFeed([]engine.Bar{a}, []engine.Bar{b, c, d}), "[[A] [B C D]]"},
		{"empty", EmptyFeed{}, "[]"},
	} {
		got := drain(t, tc.feed)
		if s := fmt.Sprint(got); s != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, s, tc.want)
		}
	}
}

func TestFeedAppendsToDst(t *testing.T) {
	dst := []engine.Bar{Flat("Z", t0, "3")}
	got, err := NewFeed([]engine.Bar{Flat("A", t0, "1")}).Next(dst)
	if err != nil || len(got) != 2 || got[0].Symbol != "Z" || got[1].Symbol != "A" {
		t.Errorf("Next(dst) = %v, %v", got, err)
	}
}

// TestSettledGoroutines: a goroutine that is still ending when the wait
// starts is waited for, and the count returned is the one before it.
func TestSettledGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	release := make(chan struct{})
	go func() { <-release; time.Sleep(20 * time.Millisecond) }()
	if n := runtime.NumGoroutine(); n != before+1 {
		t.Fatalf("%d goroutines with one started, %d before", n, before)
	}
	close(release)
	if n := SettledGoroutines(before); n != before {
		t.Errorf("SettledGoroutines(%d) = %d", before, n)
	}
}
