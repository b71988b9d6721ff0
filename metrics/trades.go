package metrics

import (
	"iter"
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
func ComputeTradeStats(pnl []float64) TradeStats { return TradeStatsOf(Slice(pnl)) }

// TradeStatsOf is [ComputeTradeStats] of the P&Ls in the column pnl, in
// close order: the same figures to the last bit, read in a few passes
// without a copy, so that the P&Ls of a long run can stay on disk.
func TradeStatsOf(pnl Column) TradeStats {
	nan := math.NaN()
	st := TradeStats{Trades: pnl.Len(), WinRate: nan, ProfitFactor: nan, AvgWin: nan, AvgLoss: nan,
		PayoffRatio: nan, Expectancy: nan, LargestWin: nan, LargestLoss: nan, SQN: 0}
	if pnl.Len() == 0 {
		return st
	}
	var gp, gl, total sum
	win, loss := 0, 0
	st.LargestWin, st.LargestLoss = math.Inf(-1), math.Inf(1)
	for ch := range pnl.Chunks() {
		for _, p := range ch {
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
	}
	n := float64(pnl.Len())
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
	mean, sigma := meanStdShift(pnl, 0, 0)
	st.Expectancy = mean
	if pnl.Len() > 1 {
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
	return DurationStatsOf(DurationSlice(d))
}

// Durations is a series of durations that can be read, in order, any
// number of times, chunked like a [Column].
type Durations interface {
	// Len returns the number of durations.
	Len() int
	// Chunks returns the durations in order, in consecutive chunks of
	// ChunkLen durations (the last may be shorter).
	Chunks() iter.Seq[[]time.Duration]
}

// DurationSlice is a Durations held in memory.
type DurationSlice []time.Duration

// Len returns len(d).
func (d DurationSlice) Len() int { return len(d) }

// Chunks returns consecutive sub-slices of d of ChunkLen durations.
func (d DurationSlice) Chunks() iter.Seq[[]time.Duration] { return sliceChunks(d) }

// exactFloat is the largest magnitude below which every integer is a
// float64.
const exactFloat = 1 << 53

// DurationStatsOf is [ComputeDurationStats] of the durations of d, with
// the same results, without sorting a copy: the median's one or two
// middle values are found by selection, as [Percentile] finds its order
// statistics, in a few passes over d. Durations beyond ±2^53 ns (about
// 104 days), which a float64 key would not keep apart, are copied and
// sorted instead.
func DurationStatsOf(d Durations) DurationStats {
	n := d.Len()
	if n == 0 {
		return DurationStats{}
	}
	var total time.Duration
	lo, hi := time.Duration(math.MaxInt64), time.Duration(math.MinInt64)
	for ch := range d.Chunks() {
		for _, x := range ch {
			total += x
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	ranks := []int{n / 2}
	if n%2 == 0 {
		ranks = []int{n/2 - 1, n / 2}
	}
	mid := make([]time.Duration, len(ranks))
	if lo >= -exactFloat && hi <= exactFloat {
		c := durationFloats{d}
		var sel selector
		sel.scan(c, false)
		for i, v := range sel.find(c, ranks) {
			mid[i] = time.Duration(v)
		}
	} else {
		s := make([]time.Duration, 0, n)
		for ch := range d.Chunks() {
			s = append(s, ch...)
		}
		slices.Sort(s)
		for i, r := range ranks {
			mid[i] = s[r]
		}
	}
	med := mid[0]
	if n%2 == 0 {
		med = mid[0] + (mid[1]-mid[0])/2
	}
	return DurationStats{Mean: total / time.Duration(n), Median: med, Min: lo, Max: hi}
}

// durationFloats is a Durations as a Column of float64 nanoseconds,
// exact for durations within ±2^53 ns.
type durationFloats struct{ d Durations }

func (c durationFloats) Len() int { return c.d.Len() }

func (c durationFloats) Chunks() iter.Seq[[]float64] {
	return func(yield func([]float64) bool) {
		buf := make([]float64, 0, ChunkLen)
		for ch := range c.d.Chunks() {
			buf = buf[:0]
			for _, x := range ch {
				buf = append(buf, float64(x))
			}
			if !yield(buf) {
				return
			}
		}
	}
}
