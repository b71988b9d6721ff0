package strategy

import (
	"fmt"
	"testing"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// BenchmarkRunner100 is the strategy runner's work at one timestamp of 100
// symbols, with the symbol indices the engine sets: each bar goes into its
// symbol's History and through SMACross 10/30, which never crosses here.
// It reports the cost per bar and must not allocate.
func BenchmarkRunner100(b *testing.B) {
	e := engine.New(testkit.EmptyFeed{})
	r := NewRunner(e, "smacross", &SMACross{Fast: 10, Slow: 30}, &fakeAccount{})
	m := &engine.MarketEvent{}
	for i := range 100 {
		p := engine.PriceFromFloat(100)
		m.Bars = append(m.Bars, engine.Bar{Symbol: fmt.Sprintf("S%03d", i), SymbolIndex: i, Open: p, High: p, Low: p, Close: p})
	}
	r.market = m
	b.ReportAllocs()
	for b.Loop() {
		if err := r.onBars(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(m.Bars)), "ns/bar")
}
