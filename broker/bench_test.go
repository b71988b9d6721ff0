package broker

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// BenchmarkMatchIdle is the broker's per-bar cost when no order rests on
// the bar's symbol: it must not allocate.
func BenchmarkMatchIdle(b *testing.B) {
	e := engine.New(testkit.EmptyFeed{})
	bk := New(e, Options{})
	m := &engine.MarketEvent{Bars: []engine.Bar{{Symbol: "A", Open: 100e8, High: 101e8, Low: 99e8, Close: 100e8}}}
	b.ReportAllocs()
	for b.Loop() {
		bk.onMarket(m)
	}
}

// BenchmarkMatchIdle100 is BenchmarkMatchIdle for one timestamp of 100
// symbols, with the symbol indices the engine sets. It reports the cost per
// bar and must not allocate.
func BenchmarkMatchIdle100(b *testing.B) {
	e := engine.New(testkit.EmptyFeed{})
	bk := New(e, Options{})
	m := &engine.MarketEvent{}
	for i := range 100 {
		m.Bars = append(m.Bars, engine.Bar{Symbol: fmt.Sprintf("S%03d", i), SymbolIndex: i,
			Open: 100e8, High: 101e8, Low: 99e8, Close: 100e8})
	}
	b.ReportAllocs()
	for b.Loop() {
		bk.onMarket(m)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(m.Bars)), "ns/bar")
}

// BenchmarkMatchFill matches one resting market order against a bar, with
// slippage and commission: the per-fill cost.
func BenchmarkMatchFill(b *testing.B) {
	e := engine.New(testkit.EmptyFeed{})
	bk := New(e, Options{Commission: Commission{Percent: testkit.MustDec("0.02")}, Slippage: Slippage{BPS: testkit.MustDec("1")}})
	m := &engine.MarketEvent{Bars: []engine.Bar{{Symbol: "A", Open: 100e8, High: 101e8, Low: 99e8, Close: 100e8}}}
	bk.onMarket(m) // the symbol's first bar
	b.ReportAllocs()
	for i := uint64(1); b.Loop(); i++ {
		bk.onSubmit(&engine.SubmitOrder{Order: engine.Order{ID: i, Symbol: "A", Side: engine.Buy, Type: engine.Market,
			Quantity: decimal.NewFromInt(100)}})
		bk.onMarket(m)
	}
}
