// Package testkit holds the helpers that the tests of every quantloop
// package share: feeds that serve bars from memory, bar builders,
// parsers of prices and decimals that panic on a malformed literal, and a
// wait for stopped goroutines to be gone.
//
// It imports only engine (and shopspring/decimal), so the tests of any
// package above engine can import it, internal test files included. The
// tests of engine itself cannot: they would form an import cycle.
package testkit

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// MustPrice parses s with engine.ParsePrice and panics if s is not a
// valid price. It is meant for literals in tests, such as "12.34".
func MustPrice(s string) engine.Price {
	p, err := engine.ParsePrice(s)
	if err != nil {
		panic(fmt.Sprintf("testkit.MustPrice(%q): %v", s, err))
	}
	return p
}

// MustDec parses s as a decimal and panics if s is not a valid decimal.
// It is meant for literals in tests, such as "0.1" or "1e3".
func MustDec(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		panic(fmt.Sprintf("testkit.MustDec(%q): %v", s, err))
	}
	return d
}

// OHLC returns the bar of sym at time at whose open, high, low and close
// are the four space-separated prices of ohlc, as in "10 11 9.5 10.5".
// Its volume is zero.
func OHLC(sym string, at time.Time, ohlc string) engine.Bar {
	f := strings.Fields(ohlc)
	if len(f) != 4 {
		panic(fmt.Sprintf("testkit.OHLC(%q): want 4 prices, have %d", ohlc, len(f)))
	}
	return engine.Bar{Symbol: sym, Time: at, Open: MustPrice(f[0]), High: MustPrice(f[1]),
		Low: MustPrice(f[2]), Close: MustPrice(f[3])}
}

// Flat returns the bar of sym at time at whose open, high, low and close
// all equal price. Its volume is zero.
func Flat(sym string, at time.Time, price string) engine.Bar {
	p := MustPrice(price)
	return engine.Bar{Symbol: sym, Time: at, Open: p, High: p, Low: p, Close: p}
}

// Feed is an engine.Feed that serves the bars of a slice in order, one
// timestamp per call to Next: each call appends the next bar and every
// following bar with an equal Time. The bars must be in time order.
type Feed struct {
	bars []engine.Bar
	i    int
}

// NewFeed returns a Feed that serves bars, grouped by timestamp.
func NewFeed(bars []engine.Bar) *Feed { return &Feed{bars: bars} }

// Next appends the bars of the next timestamp to dst. After the last
// bar it returns dst and io.EOF.
func (f *Feed) Next(dst []engine.Bar) ([]engine.Bar, error) {
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

// GroupFeed is an engine.Feed that serves fixed groups of bars, one group
// per call to Next, whatever their times.
type GroupFeed struct {
	groups [][]engine.Bar
}

// NewGroupFeed returns a GroupFeed that serves groups in order.
func NewGroupFeed(groups ...[]engine.Bar) *GroupFeed { return &GroupFeed{groups: groups} }

// Next appends the next group to dst. After the last group it returns
// dst and io.EOF.
func (f *GroupFeed) Next(dst []engine.Bar) ([]engine.Bar, error) {
	if len(f.groups) == 0 {
		return dst, io.EOF
	}
	g := f.groups[0]
	f.groups = f.groups[1:]
	return append(dst, g...), nil
}

// EmptyFeed is an engine.Feed without bars: Next returns io.EOF at once.
// It serves tests that drive components through the bus by hand.
type EmptyFeed struct{}

// Next returns dst and io.EOF.
func (EmptyFeed) Next(dst []engine.Bar) ([]engine.Bar, error) { return dst, io.EOF }

// SettledGoroutines waits up to two seconds for the number of goroutines
// to fall to want, and returns it: a goroutine that has signalled its end
// may take a moment to be gone. A test that stopped goroutines compares
// the result with the number before they started.
func SettledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	return n
}
