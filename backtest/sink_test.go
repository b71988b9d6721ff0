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

// basicsCollector is a collector that gives the basic figures of the
// returns it is asked for, made up when fake is set, else not at all.
type basicsCollector struct {
	collector
	fake  bool
	start float64
	n     int // the length of the returns asked for
}

func (b *basicsCollector) Basics(start float64, r metrics.Column, P float64) (metrics.Wealth, metrics.Moments, float64, bool) {
	b.start, b.n = start, r.Len()
	if !b.fake {
		return metrics.Wealth{}, metrics.Moments{}, 0, false
	}
	w, m, _ := metrics.ComputeBasics(r, P)
	w.MaxDrawdown = -0.5
	return w, m, 0.25, true
}

// A Sink that gives the basic figures (basicsSink) is asked for them
// once the run has ended, with the initial cash and the curve's returns;
// the run's Metrics take what it gives, or, when it gives nothing,
// those computed from the curve.
func TestSinkGivesBasics(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Data.Files = testdataDaily
	cfg.Strategy.Params = strategy.Params{"fast": "4", "slow": "12", "mode": "longshort"}
	kept, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, fake := range []bool{false, true} {
		b := &basicsCollector{fake: fake}
		res, err := Options{Sink: b}.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if b.n != res.Curve.Len() || b.n == 0 || b.start != res.InitialCash.InexactFloat64() || len(b.equity) != b.n {
			t.Fatalf("asked for %d returns from %v, want %d from %v", b.n, b.start, res.Curve.Len(), res.InitialCash)
		}
		if !fake && fmt.Sprintf("%#v", res.Metrics) != fmt.Sprintf("%#v", kept.Metrics) {
			t.Errorf("metrics %#v, want %#v", res.Metrics, kept.Metrics)
		}
		if fake && (res.Metrics.MaxDrawdown != -0.5 || res.Metrics.Sortino == kept.Metrics.Sortino || res.Metrics.Sharpe != kept.Metrics.Sharpe) {
			t.Errorf("metrics %#v do not take the sink's basics", res.Metrics)
		}
	}
}
