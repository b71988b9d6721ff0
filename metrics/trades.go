package metrics

import (
	"math"
	"slices"
	"time"
)

// TradeStats are the statistics of closed round trips (METRICS.md §5).
// Money figures are in the account currency, net of commission.
type TradeStats struct {
	// Trades is N, the number of closed trades.
	Trades int
	// Wins have pnl > 0, Losses pnl < 0, Even pnl == 0.
	Wins, Losses, Even int
	// WinRate is Wins/N (pyfolio percent profitable); NaN when N == 0.
	WinRate float64
	// TotalProfit is Σ pnl over all trades, the net profit of the round
	// trips (pyfolio round_trips PNL_STATS "Total profit"), summed in close
	// order with compensation; NaN P&Ls are skipped as pandas' sum skips
	// them, and no trades give 0. It can differ from GrossProfit+GrossLoss
	// in the last bits, since it is one sum, not two.
	TotalProfit float64
	// GrossProfit is Σ pnl over winners, GrossLoss Σ pnl over losers (<= 0).
	GrossProfit, GrossLoss float64
	// ProfitFactor is GrossProfit/|GrossLoss|, NaN without a losing trade
	// (pyfolio PNL_STATS).
	ProfitFactor float64
	// AvgWin and AvgLoss are the means of the winners and of the losers,
	// NaN for an empty set; PayoffRatio is AvgWin/|AvgLoss|.
	AvgWin, AvgLoss, PayoffRatio float64
	// Expectancy is mean(pnl), the average net profit per trade.
	Expectancy float64
	// LargestWin and LargestLoss are max(pnl) and min(pnl).
	LargestWin, LargestLoss float64
	// LongestWinStreak and LongestLossStreak count consecutive winners or
	// losers in the given (close) order; an even trade breaks both.
	LongestWinStreak, LongestLossStreak int
	// SQN is backtrader's system quality number √N·mean(pnl)/σ with the
	// population σ (ddof 0): 0 when N <= 1, NaN (backtrader's None) when
	// σ == 0. N is not capped.
	SQN float64
}

// ComputeTradeStats returns the statistics of the net P&L of closed trades,
// given in close order (METRICS.md §5). NaN entries are not expected; a NaN
// P&L is counted as neither win, loss nor even but does enter the sums.
func ComputeTradeStats(pnl []float64) TradeStats {
	nan := math.NaN()
	st := TradeStats{Trades: len(pnl), WinRate: nan, ProfitFactor: nan, AvgWin: nan, AvgLoss: nan,
		PayoffRatio: nan, Expectancy: nan, LargestWin: nan, LargestLoss: nan, SQN: 0}
	if len(pnl) == 0 {
		return st
	}
	var gp, gl, total sum
	win, loss := 0, 0
	st.LargestWin, st.LargestLoss = math.Inf(-1), math.Inf(1)
	for _, p := range pnl {
		if !math.IsNaN(p) {
			total.add(p)
		}
		switch {
		case p > 0:
			st.Wins++
			gp.add(p)
			win++
			loss = 0
		case p < 0:
			st.Losses++
			gl.add(p)
			loss++
			win = 0
		default:
			st.Even++
			win, loss = 0, 0
		}
		st.LongestWinStreak = max(st.LongestWinStreak, win)
		st.LongestLossStreak = max(st.LongestLossStreak, loss)
		st.LargestWin = max(st.LargestWin, p)
		st.LargestLoss = min(st.LargestLoss, p)
	}
	n := float64(len(pnl))
	st.WinRate = float64(st.Wins) / n
	st.TotalProfit, st.GrossProfit, st.GrossLoss = total.value(), gp.value(), gl.value()
	if st.Losses > 0 {
		st.ProfitFactor = st.GrossProfit / math.Abs(st.GrossLoss)
		st.AvgLoss = st.GrossLoss / float64(st.Losses)
	}
	if st.Wins > 0 {
		st.AvgWin = st.GrossProfit / float64(st.Wins)
	}
	st.PayoffRatio = st.AvgWin / math.Abs(st.AvgLoss)
	mean, sigma := meanStdShift(Slice(pnl), 0, 0)
	st.Expectancy = mean
	if len(pnl) > 1 {
		if sigma == 0 {
			st.SQN = nan
		} else {
			st.SQN = math.Sqrt(n) * mean / sigma
		}
	}
	return st
}

// DurationStats summarizes holding times.
type DurationStats struct {
	Mean, Median, Min, Max time.Duration
}

// ComputeDurationStats returns the mean (rounded toward zero to the
// nanosecond), median (the mean of the two middle values for an even
// count), minimum and maximum of d. All are 0 for empty input.
func ComputeDurationStats(d []time.Duration) DurationStats {
	if len(d) == 0 {
		return DurationStats{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	var total time.Duration
	for _, x := range s {
		total += x
	}
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = s[n/2-1] + (s[n/2]-s[n/2-1])/2
	}
	return DurationStats{Mean: total / time.Duration(n), Median: med, Min: s[0], Max: s[n-1]}
}
