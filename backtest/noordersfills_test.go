package backtest

import (
	"reflect"
	"testing"

	"github.com/quantloop/quantloop/data"
)

// TestNoOrdersFills runs two symbols with and without NoOrdersFills: the
// orders and fills are counted but not kept, and the rest of the result
// is the same.
func TestNoOrdersFills(t *testing.T) {
	run := func(o Options) *Result {
		t.Helper()
		opts := data.GenOptions{Symbols: []string{"A", "B"}, Bars: 300, Seed: 7}
		var sources []data.Source
		for i, sym := range opts.Symbols {
			mem, err := data.NewMemory(sym, generatedBars(t, i, opts))
			if err != nil {
				t.Fatal(err)
			}
			sources = append(sources, mem)
		}
		return runSources(t, o, sources...)
	}
	all, lean := run(Options{}), run(Options{NoOrdersFills: true})
	if len(all.Orders) == 0 || len(all.Fills) == 0 {
		t.Fatalf("the run kept %d orders and %d fills; want some of each", len(all.Orders), len(all.Fills))
	}
	if len(lean.Orders) != 0 || len(lean.Fills) != 0 {
		t.Errorf("NoOrdersFills kept %d orders and %d fills, want none", len(lean.Orders), len(lean.Fills))
	}
	if lean.Counts != all.Counts || lean.Counts.Orders != len(all.Orders) || lean.Counts.Fills != len(all.Fills) {
		t.Errorf("counts %+v with NoOrdersFills, %+v without, for %d orders and %d fills",
			lean.Counts, all.Counts, len(all.Orders), len(all.Fills))
	}
	if lean.Metrics != all.Metrics || !reflect.DeepEqual(lean.Trades, all.Trades) || !reflect.DeepEqual(lean.Equity, all.Equity) ||
		!lean.FinalEquity.Equal(all.FinalEquity) {
		t.Error("NoOrdersFills changed the metrics, trades, equity or final equity")
	}
}
