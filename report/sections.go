package report

import (
	"iter"
	"math"
	"slices"
	"time"

	"github.com/quantloop/quantloop/internal/nth"
	"github.com/quantloop/quantloop/metrics"
)

// symbolStats are a symbol's trades in the by-symbol table: closed
// trades, the winners among them, open trades, and the net P&L of all of
// them (open ones marked at the last close, as trades.csv has them).
type symbolStats struct {
	Symbol              string
	Closed, Wins, Open  int
	PnL                 float64
	Traded              float64 // Σ |quantity × price| of its fills
	WinRate, PnLPercent float64 // PnLPercent: PnL / initial cash
}

// bySymbol counts trades by symbol, in the order the symbols first
// appear in trades.csv.
type bySymbol struct {
	index map[string]int
	rows  []symbolStats
	last  int // the row of the symbol added last, looked at before index
}

// add counts a trade of sym, closed or open, with net P&L pnl.
func (s *bySymbol) add(sym string, closed bool, pnl float64) {
	i := s.last
	if i >= len(s.rows) || s.rows[i].Symbol != sym {
		if s.index == nil {
			s.index = map[string]int{}
		}
		var ok bool
		if i, ok = s.index[sym]; !ok {
			i = len(s.rows)
			s.index[sym] = i
			s.rows = append(s.rows, symbolStats{Symbol: sym})
		}
		s.last = i
	}
	r := &s.rows[i]
	r.PnL += pnl
	if !closed {
		r.Open++
		return
	}
	r.Closed++
	if pnl > 0 {
		r.Wins++
	}
}

// table returns the rows with their win rates, P&L as a fraction of the
// initial cash and traded value from tradedBy, ordered by symbol.
func (s *bySymbol) table(initial float64, tradedBy map[string]float64) []symbolStats {
	out := slices.Clone(s.rows)
	for i := range out {
		r := &out[i]
		r.WinRate = math.NaN()
		if r.Closed > 0 {
			r.WinRate = float64(r.Wins) / float64(r.Closed)
		}
		r.PnLPercent = r.PnL / initial
		r.Traded = tradedBy[r.Symbol]
	}
	slices.SortFunc(out, func(a, b symbolStats) int {
		if a.Symbol < b.Symbol {
			return -1
		}
		if a.Symbol > b.Symbol {
			return 1
		}
		return 0
	})
	return out
}

// rollingStats returns, for the window of w returns ending at each index
// of ends, the annualized volatility of r (sample standard deviation ×
// √P, over the finite values) and the beta of r against b (cov(r, b) /
// var(b) over the bars where both are finite; NaN with fewer than two
// such bars or var(b) = 0, or when b is nil). It reads the columns once,
// keeping sliding sums and the last w values: O(len(r)) whatever w.
func rollingStats(r, b metrics.Column, w int, ends []int, P float64) (vol, beta []float64) {
	rv := make([]float64, w)
	bv := make([]float64, w)
	var n, s, ss float64            // the finite values of r in the window
	var m, sr, sb, srb, sbb float64 // the finite pairs
	add := func(x, y, sign float64) {
		if finite1(x) {
			n += sign
			s += sign * x
			ss += sign * x * x
		}
		if finitePair(x, y) {
			m += sign
			sr += sign * x
			sb += sign * y
			srb += sign * x * y
			sbb += sign * y * y
		}
	}
	i, k := 0, 0
	for x, y := range zipColumns(r, b) {
		if i >= w {
			add(rv[i%w], bv[i%w], -1)
		}
		rv[i%w], bv[i%w] = x, y
		add(x, y, 1)
		if k < len(ends) && i == ends[k] {
			v := math.NaN()
			if n >= 2 {
				v = math.Sqrt(max(ss-s*s/n, 0)/(n-1)) * math.Sqrt(P)
			}
			bt := math.NaN()
			if vb := sbb - sb*sb/m; b != nil && m >= 2 && vb > 1e-12*sbb {
				bt = (srb - sr*sb/m) / vb
			}
			vol, beta = append(vol, v), append(beta, bt)
			k++
		}
		i++
	}
	return vol, beta
}

// finite1 reports whether x is neither NaN nor infinite.
func finite1(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func finitePair(x, y float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0)
}

// zipColumns yields the values of a and b side by side; b may be nil,
// and then yields NaN.
func zipColumns(a, b metrics.Column) iter.Seq2[float64, float64] {
	return func(yield func(float64, float64) bool) {
		var next func() ([]float64, bool)
		if b != nil {
			n, stop := iter.Pull(b.Chunks())
			defer stop()
			next = n
		}
		for ac := range a.Chunks() {
			var bc []float64
			if next != nil {
				bc, _ = next()
			}
			for i, x := range ac {
				y := math.NaN()
				if bc != nil {
					y = bc[i]
				}
				if !yield(x, y) {
					return
				}
			}
		}
	}
}

// histogram is the distribution of a set of returns, binned over a range
// that may leave out the extremes.
type histogram struct {
	Lo, Hi  float64 // the range of the bins
	Counts  []int
	N       int // the values counted, outside the range included
	Outside int // the values outside Lo..Hi
	// Mean and SD (sample) are of all the values, for the normal curve.
	Mean, SD float64
}

// returnBins is the number of bins of a return histogram.
const returnBins = 40

// sigmaRange bins the returns within this many standard deviations of
// their mean (and within their extremes).
const sigmaRange = 5

// newHistogram bins the finite values of x into bins bins over their
// range clipped to the mean ± sigmaRange standard deviations, in two
// passes over x.
func newHistogram(x metrics.Column, bins int) histogram {
	m := newHistMoments()
	for c := range x.Chunks() {
		for _, v := range c {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				m.add(v)
			}
		}
	}
	return m.histogram(x, bins)
}

// histMoments is newHistogram's first pass over the finite values: their
// count, mean and sum of squared deviations (Welford's updates) and their
// extremes.
type histMoments struct {
	n, mean, m2 float64
	lo, hi      float64
}

func newHistMoments() histMoments { return histMoments{lo: math.Inf(1), hi: math.Inf(-1)} }

// add adds the next finite value v.
func (m *histMoments) add(v float64) {
	m.n++
	d := v - m.mean
	m.mean += d / m.n
	m.m2 += d * (v - m.mean)
	m.lo, m.hi = min(m.lo, v), max(m.hi, v)
}

// histogram bins the finite values of x, which m has taken in its first
// pass, as newHistogram.
func (m histMoments) histogram(x metrics.Column, bins int) histogram {
	n, mean := m.n, m.mean
	h := histogram{Lo: m.lo, Hi: m.hi}
	h.N, h.Mean, h.SD = int(n), mean, math.NaN()
	if n < 1 {
		return h
	}
	if n > 1 {
		h.SD = math.Sqrt(m.m2 / (n - 1))
		h.Lo = max(h.Lo, mean-sigmaRange*h.SD)
		h.Hi = min(h.Hi, mean+sigmaRange*h.SD)
	}
	h.fill(func(yield func(float64) bool) {
		for c := range x.Chunks() {
			for _, v := range c {
				if !math.IsNaN(v) && !math.IsInf(v, 0) && !yield(v) {
					return
				}
			}
		}
	}, bins)
	return h
}

// fill counts the values of x into bins bins over Lo..Hi.
func (h *histogram) fill(x iter.Seq[float64], bins int) {
	h.Counts = make([]int, bins)
	width := (h.Hi - h.Lo) / float64(bins)
	for v := range x {
		if v < h.Lo || v > h.Hi {
			h.Outside++
			continue
		}
		k := bins - 1
		if width > 0 {
			k = min(int((v-h.Lo)/width), bins-1)
		}
		h.Counts[k]++
	}
}

// tradeReturnHistogram bins the trade returns x over the robust range
// [Q1 - 3·IQR, Q3 + 3·IQR] (quartiles by linear interpolation), clipped
// to their extremes; with IQR = 0 the range is the extremes.
func tradeReturnHistogram(x []float64, bins int) histogram {
	h := histogram{N: len(x), Mean: math.NaN(), SD: math.NaN()}
	if len(x) == 0 {
		return h
	}
	s := slices.Clone(x)
	q1, q3 := quantile(s, 0.25), quantile(s, 0.75)
	iqr := q3 - q1
	h.Lo, h.Hi = slices.Min(x), slices.Max(x)
	if iqr > 0 {
		h.Lo, h.Hi = max(h.Lo, q1-3*iqr), min(h.Hi, q3+3*iqr)
	}
	h.fill(slices.Values(x), bins)
	return h
}

// quantile returns the q-quantile of s (no NaN) by linear interpolation
// between the closest ranks (numpy's default), the two values at those
// ranks found by selection, not by sorting; it reorders s.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i >= len(s)-1 {
		return slices.Max(s)
	}
	nth.Place(s, i)
	a := s[i]
	b := slices.Min(s[i+1:]) // Place left the values not less than a after i
	return a + (pos-float64(i))*(b-a)
}

// historicalVaR returns the 5 % historical value at risk of the returns
// x: their 5th percentile by linear interpolation, as
// ReturnMetrics.ValueAtRisk; NaN for none.
func historicalVaR(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return metrics.ValueAtRisk(metrics.Slice(x), 0.05)
}

// benchmarkReturns returns the column of the benchmark's simple returns
// from the benchmark column of c, initial × its wealth (see
// wealthReturns); nil when c has no benchmark.
func benchmarkReturns(c *chartData, initial float64) metrics.Column {
	if !c.hasBench {
		return nil
	}
	return wealthReturns(metrics.Map(c.benchmarkColumn(), func() func(float64) float64 {
		return func(x float64) float64 { return x / initial }
	}))
}

// benchmarkPeriods returns the benchmark's compounded monthly and annual
// returns, keyed by period as PeriodRow names them ("2006-01", "2006"),
// from the returns b at the times of c; periods that end before the
// benchmark's first value are left out.
func benchmarkPeriods(c *chartData, b metrics.Column) (monthly, annual map[string]float64) {
	cal := metrics.Calendar(b, chartTimes{c}, []metrics.Period{metrics.Month, metrics.Year}, nil)
	// The month and year of the first finite benchmark value.
	first := ""
	for t, v := range zipTimes(chartTimes{c}, b) {
		if !math.IsNaN(v) {
			first = t.Format("2006-01")
			break
		}
	}
	return periodMaps(cal, first)
}

// periodMaps keys the monthly and annual returns cal (Calendar's, of
// months and years) by period, leaving out the periods before the month
// first ("2006-01"); none when first is empty.
func periodMaps(cal [][]metrics.PeriodReturn, first string) (monthly, annual map[string]float64) {
	monthly, annual = map[string]float64{}, map[string]float64{}
	if first == "" {
		return monthly, annual
	}
	for _, m := range cal[0] {
		if name := monthName(m.Year, m.Index); name >= first {
			monthly[name] = m.Return
		}
	}
	for _, y := range cal[1] {
		if name := yearName(y.Year); name >= first[:4] {
			annual[name] = y.Return
		}
	}
	return monthly, annual
}

// weeklyReturns returns the compounded ISO-week returns of r at the times
// of c.
func weeklyReturns(c *chartData, r metrics.Column) []float64 {
	return returnsOf(metrics.Calendar(r, chartTimes{c}, []metrics.Period{metrics.Week}, nil)[0])
}

// returnsOf returns the returns of the periods ps, in order.
func returnsOf(ps []metrics.PeriodReturn) []float64 {
	var out []float64
	for _, p := range ps {
		out = append(out, p.Return)
	}
	return out
}

// zipTimes yields the times of t with the values of x side by side.
func zipTimes(t metrics.Times, x metrics.Column) iter.Seq2[time.Time, float64] {
	return func(yield func(time.Time, float64) bool) {
		next, stop := iter.Pull(x.Chunks())
		defer stop()
		for tc := range t.Chunks() {
			xc, _ := next()
			for i, tm := range tc {
				if !yield(tm, xc[i]) {
					return
				}
			}
		}
	}
}
