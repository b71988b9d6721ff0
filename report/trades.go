package report

import (
	"math"
	"slices"
	"time"

	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/report/metrics"
)

// TradeSummary are the statistics of a run's round trips (METRICS.md §5),
// with holding times and excursions. P&L figures are in the account
// currency, net of commission; only closed trades count, except in Open.
type TradeSummary struct {
	Closed            int   `json:"closed"`
	Open              int   `json:"open"`
	Wins              int   `json:"wins"`
	Losses            int   `json:"losses"`
	Even              int   `json:"even"`
	WinRate           Float `json:"win_rate"`
	GrossProfit       Float `json:"gross_profit"`
	GrossLoss         Float `json:"gross_loss"`
	ProfitFactor      Float `json:"profit_factor"`
	AvgWin            Float `json:"avg_win"`
	AvgLoss           Float `json:"avg_loss"`
	PayoffRatio       Float `json:"payoff_ratio"`
	Expectancy        Float `json:"expectancy"`
	LargestWin        Float `json:"largest_win"`
	LargestLoss       Float `json:"largest_loss"`
	LongestWinStreak  int   `json:"longest_win_streak"`
	LongestLossStreak int   `json:"longest_loss_streak"`
	SQN               Float `json:"sqn"`
	// AvgReturn is the mean trade return, pnl_net / (quantity × entry
	// price).
	AvgReturn Float `json:"avg_return"`
	// Holding times from the entry fill to the exit fill, as Go durations
	// ("72h0m0s"), and the mean number of bars.
	AvgDuration    string `json:"avg_duration"`
	MedianDuration string `json:"median_duration"`
	MinDuration    string `json:"min_duration"`
	MaxDuration    string `json:"max_duration"`
	AvgBars        Float  `json:"avg_bars"`
	// AvgMAE and AvgMFE are the mean excursions (portfolio.Trade.MAE,
	// MFE); WorstMAE is the most adverse, BestMFE the most favorable.
	AvgMAE   Float `json:"avg_mae"`
	AvgMFE   Float `json:"avg_mfe"`
	WorstMAE Float `json:"worst_mae"`
	BestMFE  Float `json:"best_mfe"`
}

// TradeReturn returns a trade's net P&L over the capital it committed,
// pnl_net / (quantity × mean entry price).
func TradeReturn(t *portfolio.Trade) float64 {
	return t.PnLNet.InexactFloat64() / t.Quantity.Mul(t.EntryPrice).InexactFloat64()
}

// SummarizeTrades computes the trade statistics of trades, taking the
// closed ones in close order (ties in opening order).
func SummarizeTrades(trades []portfolio.Trade) *TradeSummary {
	closed := closedInExitOrder(trades)
	pnl := make([]float64, len(closed))
	durs := make([]time.Duration, len(closed))
	var ret, bars, mae, mfe float64
	worst, best := math.NaN(), math.NaN()
	for i, t := range closed {
		pnl[i] = t.PnLNet.InexactFloat64()
		durs[i] = t.ExitTime.Sub(t.EntryTime)
		ret += TradeReturn(t)
		bars += float64(t.Bars)
		mae += t.MAE
		mfe += t.MFE
		if i == 0 || t.MAE < worst {
			worst = t.MAE
		}
		if i == 0 || t.MFE > best {
			best = t.MFE
		}
	}
	st := metrics.ComputeTradeStats(pnl)
	d := metrics.ComputeDurationStats(durs)
	n := float64(len(closed))
	return &TradeSummary{
		Closed: st.Trades, Open: len(trades) - len(closed),
		Wins: st.Wins, Losses: st.Losses, Even: st.Even, WinRate: Float(st.WinRate),
		GrossProfit: Float(st.GrossProfit), GrossLoss: Float(st.GrossLoss), ProfitFactor: Float(st.ProfitFactor),
		AvgWin: Float(st.AvgWin), AvgLoss: Float(st.AvgLoss), PayoffRatio: Float(st.PayoffRatio),
		Expectancy: Float(st.Expectancy), LargestWin: Float(st.LargestWin), LargestLoss: Float(st.LargestLoss),
		LongestWinStreak: st.LongestWinStreak, LongestLossStreak: st.LongestLossStreak, SQN: Float(st.SQN),
		AvgReturn: Float(ret / n), AvgDuration: d.Mean.String(), MedianDuration: d.Median.String(),
		MinDuration: d.Min.String(), MaxDuration: d.Max.String(), AvgBars: Float(bars / n),
		AvgMAE: Float(mae / n), AvgMFE: Float(mfe / n), WorstMAE: Float(worst), BestMFE: Float(best),
	}
}

// closedInExitOrder returns the closed trades ordered by exit time; the
// sort is stable, so trades closed at one time keep their opening order.
func closedInExitOrder(trades []portfolio.Trade) []*portfolio.Trade {
	var out []*portfolio.Trade
	for i := range trades {
		if !trades[i].Open {
			out = append(out, &trades[i])
		}
	}
	slices.SortStableFunc(out, func(a, b *portfolio.Trade) int { return a.ExitTime.Compare(b.ExitTime) })
	return out
}
