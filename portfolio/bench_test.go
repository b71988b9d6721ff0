package portfolio

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
)

// BenchmarkMark is the per-bar portfolio update: the bar's close becomes
// the mark, and equity is observed in float64. It must not allocate.
func BenchmarkMark(b *testing.B) {
	bk := newBook(&testing.T{}, "100000")
	bk.mark("A", "100")
	bk.fill("A", engine.Buy, "10", "100", "1")
	m := &engine.MarketEvent{Bars: []engine.Bar{{Symbol: "A", Close: engine.PriceFromFloat(101.25)}}}
	b.ReportAllocs()
	for b.Loop() {
		bk.p.onMarket(m)
		_ = bk.p.Equity()
		_, _ = bk.p.marketUnits()
	}
}

// BenchmarkMark100 is BenchmarkMark for one timestamp of 100 symbols, 10
// of them held, with the symbol indices the engine sets. It reports the
// cost per bar and must not allocate.
func BenchmarkMark100(b *testing.B) {
	bk := newBook(&testing.T{}, "100000")
	m := &engine.MarketEvent{}
	for i := range 100 {
		sym := fmt.Sprintf("S%03d", i)
		bk.mark(sym, "100")
		if i%10 == 0 {
			bk.fill(sym, engine.Buy, "10", "100", "1")
		}
		m.Bars = append(m.Bars, engine.Bar{Symbol: sym, SymbolIndex: i, Close: engine.PriceFromFloat(101.25)})
	}
	b.ReportAllocs()
	for b.Loop() {
		bk.p.onMarket(m)
		_ = bk.p.Equity()
		_, _ = bk.p.marketUnits()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(m.Bars)), "ns/bar")
}

// BenchmarkFill applies a round trip of two fills: the decimal ledger and
// trade accounting, per fill.
func BenchmarkFill(b *testing.B) {
	bk := newBook(&testing.T{}, "100000")
	bk.mark("A", "100")
	buy := &engine.FillEvent{Symbol: "A", Side: engine.Buy, Quantity: decimal.NewFromInt(10),
		Price: decimal.RequireFromString("100.25"), Commission: decimal.RequireFromString("0.2005")}
	sell := *buy
	sell.Side = engine.Sell
	b.ReportAllocs()
	for b.Loop() {
		bk.p.onFill(buy)
		bk.p.onFill(&sell)
	}
	b.ReportMetric(float64(2*b.N)/b.Elapsed().Seconds(), "fills/s")
}
