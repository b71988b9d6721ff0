package backtest

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/strategy"
)

// collector is a Sink that keeps copies of what it is handed.
type collector struct {
	equity []string
	fills  []engine.FillEvent
	trades []portfolio.Trade
	orders []OrderRecord
}

func (c *collector) WriteEquity(p *EquityPoint) error {
	c.equity = append(c.equity, fmt.Sprintf("%s %s %s", p.Time, p.Cash, p.Equity()))
	return nil
}
func (c *collector) WriteFill(f *engine.FillEvent, _ string) error {
	c.fills = append(c.fills, *f)
	return nil
}
func (c *collector) WriteTrade(t *portfolio.Trade) error { c.trades = append(c.trades, *t); return nil }
func (c *collector) WriteOrder(o *OrderRecord) error     { c.orders = append(c.orders, *o); return nil }

// A run with a Sink hands it the records a run without one keeps, in the
// same order, and keeps none itself.
func TestSinkGetsTheKeptRecords(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Data.Files = testdataDaily
	cfg.Strategy.Params = strategy.Params{"fast": "4", "slow": "12", "mode": "longshort"}
	cfg.Sizing.Size = testkit.MustDec("7")
	cfg.Costs.Commission.Pct = testkit.MustDec("0.05")
	cfg.Execution.CloseAtEnd = true
	kept, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var c collector
	streamed, err := Options{Sink: &c}.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !streamed.Streamed || len(streamed.Equity)+len(streamed.Fills)+len(streamed.Trades)+len(streamed.Orders) != 0 {
		t.Fatalf("streamed result kept records: streamed %v", streamed.Streamed)
	}
	var eq []string
	for _, p := range kept.Equity {
		eq = append(eq, fmt.Sprintf("%s %s %s", p.Time, p.Cash, p.Equity()))
	}
	if len(kept.Fills) < 20 {
		t.Fatalf("only %d fills", len(kept.Fills))
	}
	for _, cmp := range []struct {
		name      string
		got, want any
	}{
		{"equity", c.equity, eq}, {"fills", c.fills, kept.Fills}, {"trades", c.trades, kept.Trades},
		{"orders", c.orders, kept.Orders}, {"counts", streamed.Counts, kept.Counts},
		{"final equity", streamed.FinalEquity.String(), kept.FinalEquity.String()},
		{"metrics", fmt.Sprint(streamed.Metrics), fmt.Sprint(kept.Metrics)},
	} {
		if !reflect.DeepEqual(cmp.got, cmp.want) {
			t.Errorf("%s: the sink's differ from the kept ones", cmp.name)
		}
	}
}

// TestChunkLen: the spilled series chunk as metrics columns must, so that
// columns of the same length can be read side by side.
func TestChunkLen(t *testing.T) {
	if spill.ChunkLen != metrics.ChunkLen {
		t.Fatalf("spill.ChunkLen %d, metrics.ChunkLen %d", spill.ChunkLen, metrics.ChunkLen)
	}
}
