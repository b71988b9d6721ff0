package backtest

import (
	"context"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// TestExcursionsFromBars recomputes every trade's price range from the raw
// bars, independently of the portfolio: the fills plus the low and high of
// each bar from the entry bar up to the bar before the exit (to the last
// bar while open). MAE and MFE then follow from the definition.
func TestExcursionsFromBars(t *testing.T) {
	bars := map[string][]engine.Bar{}
	for _, b := range readBars(t, testdataDaily) {
		bars[b.Symbol] = append(bars[b.Symbol], b)
	}
	cfg := DefaultConfig()
	cfg.Data.Files = testdataDaily
	cfg.Strategy.Params = strategy.Params{"mode": "longshort"}
	cfg.Sizing.Size, cfg.Sizing.Pct = decimal.Zero, decimal.NewFromInt(30)
	cfg.Costs.Slippage.Bps = decimal.NewFromInt(5)
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trades) < 20 {
		t.Fatalf("only %d trades", len(res.Trades))
	}
	for i, tr := range res.Trades {
		entry := tr.EntryPrice.InexactFloat64()
		lo, hi := entry, entry
		if !tr.Open {
			x := tr.ExitPrice.InexactFloat64()
			lo, hi = min(lo, x), max(hi, x)
		}
		for _, b := range bars[tr.Symbol] {
			if b.Time.Before(tr.EntryTime) || (!tr.Open && !b.Time.Before(tr.ExitTime)) {
				continue
			}
			lo, hi = min(lo, b.Low.Float64()), max(hi, b.High.Float64())
		}
		if tr.MinPrice != lo || tr.MaxPrice != hi {
			t.Errorf("trade %d (%s %s %s): range [%v, %v], want [%v, %v]", i, tr.Symbol, tr.Side(), tr.EntryTime.Format("2006-01-02"),
				tr.MinPrice, tr.MaxPrice, lo, hi)
		}
		mae, mfe := lo/entry-1, hi/entry-1
		if tr.Short {
			mae, mfe = 1-hi/entry, 1-lo/entry
		}
		if tr.MAE != mae || tr.MFE != mfe || !(mae <= 0 && mfe >= 0) || math.IsNaN(mae) {
			t.Errorf("trade %d: MAE %v MFE %v, want %v %v", i, tr.MAE, tr.MFE, mae, mfe)
		}
	}
}
