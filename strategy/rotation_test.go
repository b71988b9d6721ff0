package strategy_test

import (
	"context"
	"encoding/csv"
	"os"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/strategy"
)

// rotationSymbols are the files of testdata/rotation, made by
// quantloop gen --symbols ALFA,BETA,GAMA,DELT --bars 500 --seed 14 --vol 0.35.
var rotationSymbols = []string{"ALFA", "BETA", "GAMA", "DELT"}

// readCloses reads the dates and closes of a gen file.
func readCloses(t *testing.T, path string) (dates []string, closes []float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		c, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			t.Fatal(err)
		}
		dates, closes = append(dates, r[0]), append(closes, c)
	}
	return dates, closes
}

// TestRotationHoldsTheTop runs the rotation in a cash account and checks,
// against a ranking computed here from the CSV files, that after each
// month's first bar it holds exactly the two symbols of highest
// momentum, and that no order is rejected.
func TestRotationHoldsTheTop(t *testing.T) {
	const lookback = 60
	closes := map[string][]float64{}
	var dates []string
	for _, s := range rotationSymbols {
		d, c := readCloses(t, "../testdata/rotation/"+s+".csv")
		dates, closes[s] = d, c // gen gives every symbol the same dates
	}
	cfg := backtest.DefaultConfig()
	for _, s := range rotationSymbols {
		cfg.Data.Files = append(cfg.Data.Files, "../testdata/rotation/"+s+".csv")
	}
	cfg.Strategy.Name = "rotation"
	cfg.Strategy.Params = strategy.Params{"lookback": strconv.Itoa(lookback)}
	cfg.Account.Type = broker.CashAccount
	res, err := backtest.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Orders {
		if o.Status != "filled" {
			t.Errorf("order %d %s %s: %s", o.ID, o.Symbol, o.Status, o.Reason)
		}
	}
	// Positions after each date's fills.
	pos := map[string]decimal.Decimal{}
	after := map[string]map[string]bool{}
	fi := 0
	for _, d := range dates {
		for ; fi < len(res.Fills) && res.Fills[fi].Time.Format("2006-01-02") == d; fi++ {
			f := res.Fills[fi]
			pos[f.Symbol] = pos[f.Symbol].Add(f.Quantity.Mul(decimal.NewFromInt(int64(f.Side))))
		}
		held := map[string]bool{}
		for s, q := range pos {
			if !q.IsZero() {
				held[s] = true
			}
		}
		after[d] = held
	}
	checked := 0
	for i := lookback; i+1 < len(dates); i++ {
		if dates[i][:7] == dates[i-1][:7] {
			continue // not the month's first bar
		}
		names := slices.Clone(rotationSymbols)
		sort.Strings(names)
		mom := func(s string) float64 { return closes[s][i]/closes[s][i-lookback] - 1 }
		sort.SliceStable(names, func(a, b int) bool { return mom(names[a]) > mom(names[b]) })
		want := map[string]bool{names[0]: true, names[1]: true}
		if got := after[dates[i+1]]; !mapsEqual(got, want) {
			t.Errorf("after %s (filled %s): holding %v, want %v", dates[i], dates[i+1], got, want)
		}
		checked++
	}
	if checked < 15 {
		t.Errorf("only %d rebalances checked", checked)
	}
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestRotationParams(t *testing.T) {
	for _, c := range []struct {
		p    strategy.Params
		want string
	}{
		{strategy.Params{"top": "0"}, `strategy rotation: param top: 0 is out of range: want at least 1`},
		{strategy.Params{"weighting": "cap"}, `strategy rotation: param weighting: "cap" is not one of equal, inverse_vol, min_variance, risk_parity`},
		{strategy.Params{"lookbak": "5"}, `strategy rotation: unknown param "lookbak" (known: lookback, top, weighting)`},
		{strategy.Params{"lookback": "x"}, `strategy rotation: param lookback: "x" is not a whole number`},
	} {
		_, err := strategy.New("rotation", c.p)
		if err == nil || err.Error() != c.want {
			t.Errorf("%v: error %v, want %s", c.p, err, c.want)
		}
	}
	s, err := strategy.New("rotation", strategy.Params{"weighting": "risk_parity"})
	if err != nil {
		t.Fatal(err)
	}
	got := s.(strategy.Parameterized).Params()
	want := strategy.Params{"lookback": "126", "top": "2", "weighting": "risk_parity"}
	if len(got) != len(want) || got["lookback"] != "126" || got["top"] != "2" || got["weighting"] != "risk_parity" {
		t.Errorf("params %v, want %v", got, want)
	}
}
