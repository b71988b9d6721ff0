package backtest

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/equity"
	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/quantloop/quantloop/strategy"
)

var testdataDaily = []string{"../testdata/daily/AAA.csv", "../testdata/daily/BBB.csv"}

// readBars reads every bar of paths, file after file.
func readBars(t *testing.T, paths []string) []engine.Bar {
	t.Helper()
	var bars []engine.Bar
	for _, p := range paths {
		r, err := data.Open(p, data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for {
			b, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			bars = append(bars, b)
		}
		r.Close()
	}
	return bars
}

// closesByTime reads the closes of every bar of paths, by time and symbol.
func closesByTime(t *testing.T, paths []string) map[time.Time]map[string]engine.Price {
	t.Helper()
	out := make(map[time.Time]map[string]engine.Price)
	for _, b := range readBars(t, paths) {
		if out[b.Time] == nil {
			out[b.Time] = make(map[string]engine.Price)
		}
		out[b.Time][b.Symbol] = b.Close
	}
	return out
}

// TestEquityIdentity checks, at every bar time of runs on generated data,
// that equity == cash + Σ position × last close, exactly, and that cash
// changes only by the fills of that time: Σ ∓quantity × price − commission.
func TestEquityIdentity(t *testing.T) {
	closes := closesByTime(t, testdataDaily)
	configs := []struct {
		name   string
		params strategy.Params
		size   string
		pct    string
	}{
		{"long fixed", strategy.Params{"fast": "5", "slow": "15"}, "13", ""},
		{"longshort pct", strategy.Params{"fast": "3", "slow": "11", "mode": "longshort"}, "", "45"},
		// A fractional size and a commission with more than 8 decimals
		// take the decimal paths of EquityPoint.
		{"fractional", strategy.Params{"fast": "4", "slow": "9", "mode": "longshort"}, "0.123456789", ""},
	}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Data.Files = testdataDaily
			cfg.Strategy.Params = c.params
			cfg.Sizing.Size, cfg.Sizing.Pct = decimal.Zero, decimal.Zero
			if c.size != "" {
				cfg.Sizing.Size = testkit.MustDec(c.size)
			} else {
				cfg.Sizing.Pct = testkit.MustDec(c.pct)
			}
			cfg.Costs.Commission.Pct = testkit.MustDec("0.07")
			cfg.Costs.Slippage.Bps = testkit.MustDec("4")
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Fills) < 20 {
				t.Fatalf("only %d fills: the test would prove little", len(res.Fills))
			}
			pos := map[string]decimal.Decimal{}
			last := map[string]engine.Price{}
			cash := res.InitialCash
			fi := 0
			for i, p := range res.Equity {
				for sym, c := range closes[p.Time] {
					last[sym] = c
				}
				for ; fi < len(res.Fills) && !res.Fills[fi].Time.After(p.Time); fi++ {
					f := res.Fills[fi]
					flow := f.Quantity.Mul(f.Price)
					if f.Side == engine.Buy {
						pos[f.Symbol] = pos[f.Symbol].Add(f.Quantity)
						cash = cash.Sub(flow)
					} else {
						pos[f.Symbol] = pos[f.Symbol].Sub(f.Quantity)
						cash = cash.Add(flow)
					}
					cash = cash.Sub(f.Commission)
				}
				if !p.Cash.Equal(cash) {
					t.Fatalf("point %d (%s): cash %s, fills give %s", i, p.Time, p.Cash, cash)
				}
				want := cash
				for sym, q := range pos {
					want = want.Add(q.Mul(last[sym].Decimal()))
				}
				if !p.Equity().Equal(want) {
					t.Fatalf("point %d (%s): equity %s, cash + positions give %s", i, p.Time, p.Equity(), want)
				}
				// The allocation-free text is the decimal's text.
				if got, want := string(equity.AppendCash(nil, &p)), p.Cash.String(); got != want {
					t.Fatalf("point %d: AppendCash %q, Cash.String %q", i, got, want)
				}
				if got, want := string(equity.AppendEquity(nil, &p)), p.Equity().String(); got != want {
					t.Fatalf("point %d: AppendEquity %q, Equity().String %q", i, got, want)
				}
			}
			if fi != len(res.Fills) {
				t.Fatalf("%d fills after the last equity point", len(res.Fills)-fi)
			}
			if !res.FinalEquity.Equal(res.Equity[len(res.Equity)-1].Equity()) {
				t.Fatalf("final equity %s != last point %s", res.FinalEquity, res.Equity[len(res.Equity)-1].Equity())
			}
		})
	}
}

// An order made on the last bar never fills and is reported unfilled.
func TestLastBarOrderIsUnfilled(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Strategy.Name = "buyhold"
	// buyhold signals on the first bar; with one bar, that is the last.
	res, err := RunFeed(context.Background(), cfg, testkit.NewFeed(ocBars("X", "10/11")), &strategy.BuyHold{})
	if err == nil && len(res.Orders) == 1 && res.Orders[0].Status == StatusWorking && len(res.Fills) == 0 &&
		res.FinalEquity.Equal(testkit.MustDec("100000")) {
		return
	}
	t.Fatalf("err %v orders %+v fills %d equity %s", err, res.Orders, len(res.Fills), res.FinalEquity)
}
