package data

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/quantloop/quantloop/engine"
)

// Memory is a Source of bars held in memory, for tests and for programs
// that make their own bars.
type Memory struct {
	symbol string
	bars   []engine.Bar
	next   int
}

// NewMemory returns a Source of a copy of bars, with Symbol set to symbol.
// It checks the bars as a Reader checks rows: prices are positive, the
// volume is a finite number not below zero, low <= min(open, close) <=
// max(open, close) <= high, times are set and strictly increase, and a bar's
// Symbol is empty or symbol. A failed check is an *Error whose File is
// "memory:" followed by symbol, whose Line is zero and whose Field names the
// bar, for example "bars[3].High".
func NewMemory(symbol string, bars []engine.Bar) (*Memory, error) {
	if symbol == "" {
		return nil, errors.New("data: NewMemory: empty symbol")
	}
	m := &Memory{symbol: symbol, bars: make([]engine.Bar, len(bars))}
	file := "memory:" + symbol
	fail := func(i int, name string, err error) error {
		return &Error{File: file, Field: fmt.Sprintf("bars[%d].%s", i, name), Err: err}
	}
	for i, b := range bars {
		if b.Symbol != "" && b.Symbol != symbol {
			return nil, fail(i, "Symbol", fmt.Errorf("symbol %q is not %q", b.Symbol, symbol))
		}
		if b.Time.IsZero() {
			return nil, fail(i, "Time", errors.New("time is not set"))
		}
		if i > 0 && !b.Time.After(bars[i-1].Time) {
			return nil, fail(i, "Time", fmt.Errorf("time %s is not after the previous bar's %s; times must strictly increase",
				b.Time.Format(timeText), bars[i-1].Time.Format(timeText)))
		}
		for _, p := range []struct {
			name  string
			price engine.Price
		}{{"Open", b.Open}, {"High", b.High}, {"Low", b.Low}, {"Close", b.Close}} {
			if p.price <= 0 {
				return nil, fail(i, p.name, fmt.Errorf("price %s must be positive", p.price))
			}
		}
		if f, err := checkOHLC(b.Open, b.High, b.Low, b.Close); err != nil {
			name := "High"
			if f == fLow {
				name = "Low"
			}
			return nil, fail(i, name, err)
		}
		if math.IsNaN(b.Volume) || math.IsInf(b.Volume, 0) || b.Volume < 0 {
			return nil, fail(i, "Volume", fmt.Errorf("volume %v must be a finite number not below zero", b.Volume))
		}
		b.Symbol = symbol
		m.bars[i] = b
	}
	return m, nil
}

// timeText formats times in messages about in-memory bars.
const timeText = "2006-01-02 15:04:05.999999999 Z07:00"

// Next returns the next bar, or io.EOF after the last one.
func (m *Memory) Next() (engine.Bar, error) {
	if m.next >= len(m.bars) {
		return engine.Bar{}, io.EOF
	}
	m.next++
	return m.bars[m.next-1], nil
}

// Symbol returns the symbol of the bars.
func (m *Memory) Symbol() string { return m.symbol }

// Len returns the number of bars not yet returned by Next.
func (m *Memory) Len() int { return len(m.bars) - m.next }

// Reset makes Next start again from the first bar.
func (m *Memory) Reset() { m.next = 0 }
