package metrics_test

import (
	"math"
	"testing"

	"github.com/quantloop/quantloop/metrics"
)

func TestComputePeriodStats(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		r    []float64
		want metrics.PeriodStats
	}{
		{
			// METRICS.md §8: win rate 3/5, profit factor 0.06/0.03 = 2,
			// payoff 0.02/0.015, exposure ceil(5/6·100)/100 = 0.84, Kelly 0.3.
			name: "worked example",
			r:    []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01},
			want: metrics.PeriodStats{Exposure: 0.84, WinRate: 0.6, AvgWin: 0.02, AvgLoss: -0.015,
				Payoff: 0.02 / 0.015, ProfitFactor: 2, GainPain: 1, Kelly: 0.3,
				MaxConsecutiveWins: 1, MaxConsecutiveLosses: 1},
		},
		{
			// quantstats rounds k/n up: 7/25 = 0.28000000000000003 → 29 %.
			name: "exposure rounding",
			r:    append([]float64{0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01}, make([]float64, 18)...),
			want: metrics.PeriodStats{Exposure: 0.29, WinRate: 1, AvgWin: 0.01, AvgLoss: nan, Payoff: nan,
				ProfitFactor: inf, GainPain: nan, Kelly: nan, MaxConsecutiveWins: 7},
		},
		{
			name: "no losing periods, NaN and Inf count as 0",
			r:    []float64{0.01, nan, 0.03, math.Inf(1), 0.02},
			want: metrics.PeriodStats{Exposure: 0.6, WinRate: 1, AvgWin: 0.02, AvgLoss: nan, Payoff: nan,
				ProfitFactor: inf, GainPain: nan, Kelly: nan, MaxConsecutiveWins: 1},
		},
		{
			name: "empty",
			want: metrics.PeriodStats{Exposure: nan, AvgWin: nan, AvgLoss: nan, Payoff: nan, GainPain: nan, Kelly: nan},
		},
		{
			name: "all zero",
			r:    []float64{0, 0},
			want: metrics.PeriodStats{AvgWin: nan, AvgLoss: nan, Payoff: nan, GainPain: nan, Kelly: nan},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, w := metrics.ComputePeriodStats(metrics.Slice(tc.r)), tc.want
			if g.MaxConsecutiveWins != w.MaxConsecutiveWins || g.MaxConsecutiveLosses != w.MaxConsecutiveLosses {
				t.Errorf("streaks = %d/%d, want %d/%d", g.MaxConsecutiveWins, g.MaxConsecutiveLosses, w.MaxConsecutiveWins, w.MaxConsecutiveLosses)
			}
			checkClose(t, "Exposure", g.Exposure, w.Exposure, 0)
			checkClose(t, "WinRate", g.WinRate, w.WinRate, 1e-15)
			checkClose(t, "AvgWin", g.AvgWin, w.AvgWin, 1e-15)
			checkClose(t, "AvgLoss", g.AvgLoss, w.AvgLoss, 1e-15)
			checkClose(t, "Payoff", g.Payoff, w.Payoff, 1e-15)
			checkClose(t, "ProfitFactor", g.ProfitFactor, w.ProfitFactor, 1e-15)
			checkClose(t, "GainPain", g.GainPain, w.GainPain, 1e-15)
			checkClose(t, "Kelly", g.Kelly, w.Kelly, 1e-14)
		})
	}
}

func TestRecoveryFactorAndUlcerIndex(t *testing.T) {
	r := []float64{0.02, -0.01, 0.03, -0.02, 0.00, 0.01}
	// METRICS.md §8: Σr = 0.03, max drawdown -0.02 → 1.5.
	checkClose(t, "RecoveryFactor", metrics.RecoveryFactor(metrics.Slice(r), 0), 1.5, 1e-14)
	// Independent Python loop over the drawdowns
	// [0, -0.01, 0, -0.02, -0.02, 1.0294850412/1.040094-1].
	checkClose(t, "UlcerIndex", metrics.UlcerIndex(metrics.Slice(r)), 0.014170673943041674, 1e-14)
	nan := math.NaN()
	checkSame(t, "RecoveryFactor(no drawdown)", metrics.RecoveryFactor(metrics.Slice([]float64{0.01, 0.02}), 0), nan)
	checkSame(t, "RecoveryFactor(empty)", metrics.RecoveryFactor(metrics.Slice(nil), 0), nan)
	checkSame(t, "UlcerIndex(one)", metrics.UlcerIndex(metrics.Slice([]float64{-0.1})), nan)
	checkSame(t, "UlcerIndex(rising)", metrics.UlcerIndex(metrics.Slice([]float64{0.01, 0.02})), 0)
}
