package metrics_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

func TestComputeTradeStats(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		pnl  []float64
		want metrics.TradeStats
	}{
		{
			// METRICS.md §8: profit factor 80/30, expectancy 10, SQN
			// √5·10/√680 (population σ² = (1600+900+100+400+400)/5 = 680).
			name: "worked example",
			pnl:  []float64{50, -20, 0, 30, -10},
			want: metrics.TradeStats{Trades: 5, Wins: 2, Losses: 2, Even: 1, WinRate: 0.4,
				TotalProfit: 50, GrossProfit: 80, GrossLoss: -30, ProfitFactor: 80.0 / 30, AvgWin: 40, AvgLoss: -15,
				PayoffRatio: 40.0 / 15, Expectancy: 10, LargestWin: 50, LargestLoss: -20,
				LongestWinStreak: 1, LongestLossStreak: 1, SQN: math.Sqrt(5) * 10 / math.Sqrt(680)},
		},
		{
			name: "empty",
			want: metrics.TradeStats{WinRate: nan, ProfitFactor: nan, AvgWin: nan, AvgLoss: nan, PayoffRatio: nan,
				Expectancy: nan, LargestWin: nan, LargestLoss: nan},
		},
		{
			// No losing trade: profit factor and payoff are NaN; equal P&L
			// gives σ = 0, so SQN is NaN (backtrader's None).
			name: "no losses, zero sigma",
			pnl:  []float64{5, 5, 5},
			want: metrics.TradeStats{Trades: 3, Wins: 3, WinRate: 1, TotalProfit: 15, GrossProfit: 15, ProfitFactor: nan,
				AvgWin: 5, AvgLoss: nan, PayoffRatio: nan, Expectancy: 5, LargestWin: 5, LargestLoss: 5,
				LongestWinStreak: 3, SQN: nan},
		},
		{
			// One trade: SQN is 0; no winners, so the profit factor is 0/4.
			name: "one trade",
			pnl:  []float64{-4},
			want: metrics.TradeStats{Trades: 1, Losses: 1, WinRate: 0, TotalProfit: -4, GrossLoss: -4, ProfitFactor: 0,
				AvgWin: nan, AvgLoss: -4, PayoffRatio: nan, Expectancy: -4, LargestWin: -4, LargestLoss: -4,
				LongestLossStreak: 1, SQN: 0},
		},
		{
			// A naive running sum 1e16 + 1 + 1 - 1e16 gives 0 (each 1 is
			// lost against 1e16); the compensated total is 2. σ² =
			// (2·(1e16-0.5)² + 0.5)/4 rounds to 5e31, so SQN = 2·0.5/√5e31.
			name: "total profit compensated",
			pnl:  []float64{1e16, 1, 1, -1e16},
			want: metrics.TradeStats{Trades: 4, Wins: 3, Losses: 1, WinRate: 0.75, TotalProfit: 2,
				GrossProfit: 1e16 + 2, GrossLoss: -1e16, ProfitFactor: (1e16 + 2) / 1e16, AvgWin: (1e16 + 2) / 3,
				AvgLoss: -1e16, PayoffRatio: (1e16 + 2) / 3 / 1e16, Expectancy: 0.5, LargestWin: 1e16,
				LargestLoss: -1e16, LongestWinStreak: 3, LongestLossStreak: 1, SQN: 1 / math.Sqrt(5e31)},
		},
		{
			name: "streaks",
			pnl:  []float64{-1, -1, 2, -1, -1, -1, 0, -1, 3, 3},
			want: metrics.TradeStats{Trades: 10, Wins: 3, Losses: 6, Even: 1, WinRate: 0.3, TotalProfit: 2, GrossProfit: 8,
				GrossLoss: -6, ProfitFactor: 8.0 / 6, AvgWin: 8.0 / 3, AvgLoss: -1, PayoffRatio: 8.0 / 3,
				Expectancy: 0.2, LargestWin: 3, LargestLoss: -1, LongestWinStreak: 2, LongestLossStreak: 3,
				// mean 0.2; Σ(x-0.2)² = 6·1.44 + 1.8²+2·2.8²+0.04 = 8.64+3.24+15.68+0.04 = 27.6
				SQN: math.Sqrt(10) * 0.2 / math.Sqrt(2.76)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := metrics.ComputeTradeStats(tc.pnl)
			w := tc.want
			if g.Trades != w.Trades || g.Wins != w.Wins || g.Losses != w.Losses || g.Even != w.Even ||
				g.LongestWinStreak != w.LongestWinStreak || g.LongestLossStreak != w.LongestLossStreak {
				t.Errorf("counts = %+v, want %+v", g, w)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"WinRate", g.WinRate, w.WinRate}, {"TotalProfit", g.TotalProfit, w.TotalProfit},
				{"GrossProfit", g.GrossProfit, w.GrossProfit},
				{"GrossLoss", g.GrossLoss, w.GrossLoss}, {"ProfitFactor", g.ProfitFactor, w.ProfitFactor},
				{"AvgWin", g.AvgWin, w.AvgWin}, {"AvgLoss", g.AvgLoss, w.AvgLoss},
				{"PayoffRatio", g.PayoffRatio, w.PayoffRatio}, {"Expectancy", g.Expectancy, w.Expectancy},
				{"LargestWin", g.LargestWin, w.LargestWin}, {"LargestLoss", g.LargestLoss, w.LargestLoss},
				{"SQN", g.SQN, w.SQN},
			} {
				checkClose(t, f.name, f.got, f.want, 1e-15)
			}
		})
	}
}

// TotalProfit skips a NaN P&L, as pandas' sum does.
func TestTotalProfitSkipsNaN(t *testing.T) {
	checkSame(t, "TotalProfit", metrics.ComputeTradeStats([]float64{3, math.NaN(), -1}).TotalProfit, 2)
}

func TestComputeDurationStats(t *testing.T) {
	h := time.Hour
	tests := []struct {
		in   []time.Duration
		want metrics.DurationStats
	}{
		{nil, metrics.DurationStats{}},
		{[]time.Duration{3 * h}, metrics.DurationStats{Mean: 3 * h, Median: 3 * h, Min: 3 * h, Max: 3 * h}},
		{[]time.Duration{5 * h, h, 2 * h}, metrics.DurationStats{Mean: 8 * h / 3, Median: 2 * h, Min: h, Max: 5 * h}},
		{[]time.Duration{4 * h, h, 2 * h, 24 * h}, metrics.DurationStats{Mean: 31 * h / 4, Median: 3 * h, Min: h, Max: 24 * h}},
	}
	for _, tc := range tests {
		if got := metrics.ComputeDurationStats(tc.in); got != tc.want {
			t.Errorf("ComputeDurationStats(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// Values from an independent Python implementation (statistics.NormalDist,
// plain loops) of the formulas in the doc comments, on METRICS.md §8's
// returns.
func TestProbabilisticAndDeflatedSharpe(t *testing.T) {
	r := []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	checkClose(t, "PSR(0)", metrics.ProbabilisticSharpe(metrics.Slice(r), 0), 0.7236601105752472, 1e-13)
	checkClose(t, "PSR(0.1)", metrics.ProbabilisticSharpe(metrics.Slice(r), 0.1), 0.6449004399320277, 1e-13)
	checkClose(t, "DSR(1)", metrics.DeflatedSharpe(metrics.Slice(r), 1, 0), 0.7236601105752472, 1e-13)
	checkClose(t, "DSR(10)", metrics.DeflatedSharpe(metrics.Slice(r), 10, 0), 0.16333361411722275, 1e-12)
	checkClose(t, "DSR(100)", metrics.DeflatedSharpe(metrics.Slice(r), 100, math.NaN()), 0.02638162355639223, 1e-12)
	checkClose(t, "E[max SR](10, 1)", metrics.ExpectedMaxSharpe(10, 1), 1.57459830134575, 1e-13)

	nan := math.NaN()
	edge := []struct {
		name string
		got  float64
	}{
		{"empty", metrics.ProbabilisticSharpe(metrics.Slice(nil), 0)},
		{"two returns", metrics.ProbabilisticSharpe(metrics.Slice([]float64{0.1, 0.2}), 0)},
		{"zero volatility", metrics.ProbabilisticSharpe(metrics.Slice([]float64{0.01, 0.01, 0.01, 0.01}), 0)},
		{"zero trials", metrics.DeflatedSharpe(metrics.Slice(r), 0, 0)},
		{"negative variance", metrics.ExpectedMaxSharpe(5, -1)},
	}
	for _, e := range edge {
		checkSame(t, e.name, e.got, nan)
	}
	checkSame(t, "E[max SR](1)", metrics.ExpectedMaxSharpe(1, 4), 0)
}

func ExampleDeflatedSharpe() {
	r := []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	fmt.Printf("PSR %.4f, DSR after 10 trials %.4f\n", metrics.ProbabilisticSharpe(metrics.Slice(r), 0), metrics.DeflatedSharpe(metrics.Slice(r), 10, 0))
	// Output: PSR 0.7237, DSR after 10 trials 0.1633
}

func ExampleComputeTradeStats() {
	st := metrics.ComputeTradeStats([]float64{50, -20, 0, 30, -10})
	fmt.Printf("win rate %.2f, profit factor %.4f, expectancy %g, SQN %.6f\n", st.WinRate, st.ProfitFactor, st.Expectancy, st.SQN)
	// Output: win rate 0.40, profit factor 2.6667, expectancy 10, SQN 0.857493
}
