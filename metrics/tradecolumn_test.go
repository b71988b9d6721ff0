package metrics_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

// TestDurationStatsOf: the median by selection over several chunks, and
// by sorting where durations pass 2^53 ns, is the one a sort of a copy
// gives; the hand cases pin the integer arithmetic of the mean and of the
// median of an even count.
func TestDurationStatsOf(t *testing.T) {
	for _, tc := range []struct {
		in   []time.Duration
		want metrics.DurationStats
	}{
		// sorted 1 2 3 10: median 2 + (3-2)/2 = 2 (toward zero), mean 16/4
		{[]time.Duration{3, 1, 2, 10}, metrics.DurationStats{Mean: 4, Median: 2, Min: 1, Max: 10}},
		// sorted 1 2 2^60: beyond 2^53, sorted instead of selected
		{[]time.Duration{1 << 60, 1, 2}, metrics.DurationStats{Mean: (1<<60 + 3) / 3, Median: 2, Min: 1, Max: 1 << 60}},
		// 2^53 and 2^53+1 as float64 are one value: the sort keeps them apart
		{[]time.Duration{1<<53 + 1, 1 << 53}, metrics.DurationStats{Mean: 1 << 53, Median: 1 << 53, Min: 1 << 53, Max: 1<<53 + 1}},
	} {
		if got := metrics.DurationStatsOf(metrics.DurationSlice(tc.in)); got != tc.want {
			t.Errorf("DurationStatsOf(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, metrics.ChunkLen, 3*metrics.ChunkLen + 17, 3*metrics.ChunkLen + 18} {
		d := make([]time.Duration, n)
		for i := range d {
			d[i] = time.Duration(rng.Int64N(1e6)) * time.Minute // repeats, up to about 1.9 years
		}
		s := slices.Clone(d)
		slices.Sort(s)
		med := s[n/2]
		if n%2 == 0 {
			med = s[n/2-1] + (s[n/2]-s[n/2-1])/2
		}
		var total time.Duration
		for _, x := range d {
			total += x
		}
		want := metrics.DurationStats{Mean: total / time.Duration(n), Median: med, Min: s[0], Max: s[n-1]}
		if got := metrics.DurationStatsOf(metrics.DurationSlice(d)); got != want {
			t.Errorf("n=%d: %+v, want %+v", n, got, want)
		}
	}
}

// TestTradeStatsOf reads P&Ls over three chunks, with a streak of five
// losses across the first chunk boundary: every third trade wins 3, the
// others lose 1, except the streak.
func TestTradeStatsOf(t *testing.T) {
	n := 2*metrics.ChunkLen + 5
	pnl := make([]float64, n)
	wins := 0
	for i := range pnl {
		pnl[i] = -1
		if i%3 == 0 && (i < metrics.ChunkLen-2 || i > metrics.ChunkLen+2) {
			pnl[i] = 3
			wins++
		}
	}
	// the chunk boundary lies inside indices ChunkLen-2 .. ChunkLen+2; the
	// losses around them (a win at most every third index outside) make
	// the streak: from the last win before ChunkLen-2 to the first after
	// ChunkLen+2.
	lastWin, firstWin := -1, n
	for i := metrics.ChunkLen - 3; i >= 0; i-- {
		if pnl[i] > 0 {
			lastWin = i
			break
		}
	}
	for i := metrics.ChunkLen + 3; i < n; i++ {
		if pnl[i] > 0 {
			firstWin = i
			break
		}
	}
	streak := firstWin - lastWin - 1
	st := metrics.TradeStatsOf(metrics.Slice(pnl))
	losses := n - wins
	if st.Trades != n || st.Wins != wins || st.Losses != losses || st.Even != 0 {
		t.Errorf("counts %d %d %d %d, want %d %d %d 0", st.Trades, st.Wins, st.Losses, st.Even, n, wins, losses)
	}
	if st.GrossProfit != float64(3*wins) || st.GrossLoss != float64(-losses) || st.TotalProfit != float64(3*wins-losses) {
		t.Errorf("sums %v %v %v, want %d %d %d", st.GrossProfit, st.GrossLoss, st.TotalProfit, 3*wins, -losses, 3*wins-losses)
	}
	if st.LongestLossStreak != streak || st.LongestWinStreak != 1 || st.LargestWin != 3 || st.LargestLoss != -1 {
		t.Errorf("streaks %d %d, extremes %v %v; want %d 1, 3 -1", st.LongestLossStreak, st.LongestWinStreak, st.LargestWin, st.LargestLoss, streak)
	}
	if want := float64(3*wins-losses) / float64(n); math.Abs(st.Expectancy-want) > 1e-15 {
		t.Errorf("expectancy %v, want %v", st.Expectancy, want)
	}
}
