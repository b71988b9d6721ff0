package report

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/portfolio"
)

func TestSummarizeTrades(t *testing.T) {
	d := decimal.RequireFromString
	trades := []portfolio.Trade{
		// Opened first, closed second: return 50/(10×100) = 0.05.
		{Symbol: "A", Quantity: d("10"), EntryPrice: d("100"), EntryTime: day(1), ExitTime: day(4), PnLNet: d("50"), Bars: 3, MAE: -0.1, MFE: 0.2},
		// Closed first: return -20/(5×200) = -0.02.
		{Symbol: "B", Short: true, Quantity: d("5"), EntryPrice: d("200"), EntryTime: day(2), ExitTime: day(3), PnLNet: d("-20"), Bars: 1, MAE: -0.05, MFE: 0.01},
		{Symbol: "C", Quantity: d("1"), EntryPrice: d("10"), EntryTime: day(5), PnLNet: d("-1"), Open: true, MAE: -0.5, MFE: 0.5},
	}
	s := SummarizeTrades(trades)
	if s.Closed != 2 || s.Open != 1 || s.Wins != 1 || s.Losses != 1 || s.LongestWinStreak != 1 || s.LongestLossStreak != 1 {
		t.Errorf("counts: %+v", s)
	}
	if s.AvgDuration != "48h0m0s" || s.MedianDuration != "48h0m0s" || s.MinDuration != "24h0m0s" || s.MaxDuration != "72h0m0s" {
		t.Errorf("durations: %s %s %s %s", s.AvgDuration, s.MedianDuration, s.MinDuration, s.MaxDuration)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"win rate", float64(s.WinRate), 0.5},
		{"profit factor", float64(s.ProfitFactor), 2.5},
		{"expectancy", float64(s.Expectancy), 15},
		{"avg return", float64(s.AvgReturn), 0.015},
		{"avg bars", float64(s.AvgBars), 2},
		{"avg MAE", float64(s.AvgMAE), -0.075},
		{"avg MFE", float64(s.AvgMFE), 0.105},
		{"worst MAE", float64(s.WorstMAE), -0.1},
		{"best MFE", float64(s.BestMFE), 0.2},
		// σ of {-20, 50} is 35: √2·15/35.
		{"SQN", float64(s.SQN), math.Sqrt2 * 15 / 35},
	} {
		if math.Abs(c.got-c.want) > 1e-15 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestTradeStatsSpilled: statistics whose P&Ls and holding times went
// to temporary files, beyond a limit of one chunk, are those kept in
// memory, to the last bit.
func TestTradeStatsSpilled(t *testing.T) {
	mem, spilled := tradeStats{}, tradeStats{limit: 1} // one chunk: 4,096 values
	defer spilled.close()
	for i := range 10_000 {
		// P&Ls in cents, of either sign, some even; holding times of
		// 1 to 2,000 minutes, repeating.
		pnl := float64((i*7919)%2001-1000) / 100
		tr := portfolio.Trade{EntryTime: day(1), ExitTime: day(1).Add(time.Duration(1+(i*104729)%2000) * time.Minute), Bars: i % 17, MAE: -pnl / 3, MFE: pnl / 2}
		mem.addValues(&tr, pnl, pnl/1000)
		spilled.addValues(&tr, pnl, pnl/1000)
	}
	if spilled.pnl.Len() != 10_000 {
		t.Fatalf("%d P&Ls kept", spilled.pnl.Len())
	}
	got, want := spilled.summary(), mem.summary()
	if err := spilled.err(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("spilled %+v\nin memory %+v", got, want)
	}
	if got.Closed != 10_000 || got.MedianDuration == "" {
		t.Errorf("closed %d, median %q", got.Closed, got.MedianDuration)
	}
}
