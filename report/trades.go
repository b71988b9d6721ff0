package report

import (
	"errors"
	"math"
	"slices"
	"time"

	"github.com/quantloop/quantloop/internal/fixed"
	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/portfolio"
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
	return tradeReturn(t, fixed.Float64(t.PnLNet))
}

// tradeReturn is TradeReturn of t whose net P&L as a float64
// (fixed.Float64) is pnl.
func tradeReturn(t *portfolio.Trade, pnl float64) float64 { return pnl / entryValueOf(t, nil) }

// entryValueOf returns quantity × mean entry price as a float64, rounded
// once from the exact product; x holds t's decimals (nil: read them from
// t).
func entryValueOf(t *portfolio.Trade, x *decs) float64 {
	var c fixed.Calc
	v := c.Mul(c.Use(x.get(tradeQty, t.Quantity)), c.Use(x.get(tradeEntry, t.EntryPrice)))
	if f, ok := v.Float64(); ok && !c.Overflow() {
		return f
	}
	return t.Quantity.Mul(t.EntryPrice).InexactFloat64()
}

// SummarizeTrades computes the trade statistics of trades, taking the
// closed ones in close order (ties in opening order).
func SummarizeTrades(trades []portfolio.Trade) *TradeSummary {
	var st tradeStats
	for _, t := range closedInExitOrder(trades) {
		st.add(t)
	}
	for i := range trades {
		if trades[i].Open {
			st.add(&trades[i])
		}
	}
	return st.summary()
}

// tradeStats accumulates the statistics of trades given one at a time,
// the closed ones in close order: a run's trades as they become final.
// It keeps two numbers per closed trade (its P&L and holding time), for
// the statistics that need all of them: the latest limit of each in
// memory and the rest in temporary files (see internal/spill), or all in
// memory when limit is 0, as in the zero value.
type tradeStats struct {
	limit               int
	open                int
	pnl                 *spill.Series[float64]
	durs                *spill.Series[time.Duration]
	ret, bars, mae, mfe float64
	worst, best         float64
}

// add adds t.
func (s *tradeStats) add(t *portfolio.Trade) {
	if t.Open {
		s.open++
		return
	}
	pnl := fixed.Float64(t.PnLNet)
	s.addValues(t, pnl, tradeReturn(t, pnl))
}

// addValues adds t, whose net P&L as a float64 (fixed.Float64) is pnl
// and whose return (TradeReturn) is ret.
func (s *tradeStats) addValues(t *portfolio.Trade, pnl, ret float64) {
	if t.Open {
		s.open++
		return
	}
	first := s.pnl == nil
	if first {
		s.pnl, s.durs = spill.New[float64](s.limit, ""), spill.New[time.Duration](s.limit, "")
	}
	s.pnl.Append(pnl)
	s.durs.Append(t.ExitTime.Sub(t.EntryTime))
	s.ret += ret
	s.bars += float64(t.Bars)
	s.mae += t.MAE
	s.mfe += t.MFE
	if first || t.MAE < s.worst {
		s.worst = t.MAE
	}
	if first || t.MFE > s.best {
		s.best = t.MFE
	}
}

// summary returns the statistics of the trades added.
func (s *tradeStats) summary() *TradeSummary {
	var pnl metrics.Column = metrics.Slice(nil)
	var durs metrics.Durations = metrics.DurationSlice(nil)
	if s.pnl != nil {
		pnl, durs = s.pnl, s.durs
	}
	st := metrics.TradeStatsOf(pnl)
	d := metrics.DurationStatsOf(durs)
	n := float64(pnl.Len())
	worst, best := s.worst, s.best
	if n == 0 {
		worst, best = math.NaN(), math.NaN()
	}
	return &TradeSummary{
		Closed: st.Trades, Open: s.open,
		Wins: st.Wins, Losses: st.Losses, Even: st.Even, WinRate: Float(st.WinRate),
		GrossProfit: Float(st.GrossProfit), GrossLoss: Float(st.GrossLoss), ProfitFactor: Float(st.ProfitFactor),
		AvgWin: Float(st.AvgWin), AvgLoss: Float(st.AvgLoss), PayoffRatio: Float(st.PayoffRatio),
		Expectancy: Float(st.Expectancy), LargestWin: Float(st.LargestWin), LargestLoss: Float(st.LargestLoss),
		LongestWinStreak: st.LongestWinStreak, LongestLossStreak: st.LongestLossStreak, SQN: Float(st.SQN),
		AvgReturn: Float(s.ret / n), AvgDuration: d.Mean.String(), MedianDuration: d.Median.String(),
		MinDuration: d.Min.String(), MaxDuration: d.Max.String(), AvgBars: Float(s.bars / n),
		AvgMAE: Float(s.mae / n), AvgMFE: Float(s.mfe / n), WorstMAE: Float(worst), BestMFE: Float(best),
	}
}

// err returns the first error writing or reading the temporary files;
// call it after summary, whose figures are incomplete after an error.
func (s *tradeStats) err() error {
	if s.pnl == nil {
		return nil
	}
	return errors.Join(s.pnl.Err(), s.durs.Err())
}

// close releases the temporary files.
func (s *tradeStats) close() {
	if s.pnl != nil {
		s.pnl.Close()
		s.durs.Close()
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
