package metrics

// Reference oracles: slice-based implementations that sort or store what
// the column API finds by selection or streams, so that the streaming
// versions can be checked against them bit for bit.

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// sortPercentile is Percentile by sorting a copy, then interpolating.
func sortPercentile(v []float64, q float64) float64 {
	if len(v) == 0 || !(q >= 0 && q <= 100) || sliceHasNaN(v) {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return percentileOfSorted(s, q)
}

// percentileOfSorted is the numpy-linear percentile q of the sorted s.
func percentileOfSorted(s []float64, q float64) float64 {
	m := len(s)
	pos := float64(float64(m-1) * (q / 100))
	lo := math.Floor(pos)
	i := int(lo)
	if i >= m-1 {
		return s[m-1]
	}
	t := pos - lo
	a, b := s[i], s[i+1]
	diff := b - a
	if t >= 0.5 {
		return b - float64(diff*(1-t))
	}
	return a + float64(diff*t)
}

func sliceHasNaN(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}

func sliceDropNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// sortTailRatio is TailRatio by sorting.
func sortTailRatio(r []float64) float64 {
	s := sliceDropNaN(r)
	if len(s) == 0 {
		return math.NaN()
	}
	slices.Sort(s)
	return math.Abs(percentileOfSorted(s, 95)) / math.Abs(percentileOfSorted(s, 5))
}

// sortCVaR is ConditionalValueAtRisk by sorting: the Neumaier mean of the
// k+1 smallest values in sorted order.
func sortCVaR(r []float64, cutoff float64) float64 {
	if len(r) == 0 || !(cutoff >= 0 && cutoff <= 1) || sliceHasNaN(r) {
		return math.NaN()
	}
	s := slices.Clone(r)
	slices.Sort(s)
	k := int(math.Floor(float64(len(s)-1) * cutoff))
	mean, _, _ := meanShift(Slice(s[:k+1]), 0)
	return mean
}

// storedStability is Stability on the stored cumulative series.
func storedStability(r []float64) float64 {
	if len(r) < 2 {
		return math.NaN()
	}
	c := sliceDropNaN(r)
	m := len(c)
	if m == 0 {
		return math.NaN()
	}
	var run sum
	for i, v := range c {
		run.add(math.Log1p(v))
		c[i] = run.value()
	}
	xMean := float64(float64(m-1) / 2)
	cMean, _, cEqual := meanShift(Slice(c), 0)
	var sxx, scc, sxc sum
	for k, v := range c {
		dx := float64(k) - xMean
		dc := v - cMean
		sxx.add(dx * dx)
		scc.add(dc * dc)
		sxc.add(dx * dc)
	}
	fm := float64(m)
	vx, vc, cov := sxx.value()/fm, scc.value()/fm, sxc.value()/fm
	if cEqual {
		vc = 0
	}
	var rho float64
	if vx != 0 && vc != 0 {
		rho = max(-1, min(1, cov/math.Sqrt(vx*vc)))
	}
	return rho * rho
}

// sliceDrawdownPeriods is DrawdownPeriods on the stored drawdown series.
func sliceDrawdownPeriods(r []float64) []DrawdownPeriod {
	dd := DrawdownSeries(r)
	var out []DrawdownPeriod
	for i := 0; i < len(dd); {
		if !(dd[i] < 0) {
			i++
			continue
		}
		p := DrawdownPeriod{Start: i, Valley: i, Depth: dd[i]}
		for ; i < len(dd) && dd[i] < 0; i++ {
			if dd[i] < p.Depth {
				p.Valley, p.Depth = i, dd[i]
			}
		}
		p.End = i - 1
		p.Recovered = i < len(dd)
		out = append(out, p)
	}
	return out
}

// sliceTopDrawdowns is TopDrawdowns with an index array of the bars left.
func sliceTopDrawdowns(r []float64, top int) []Drawdown {
	if len(r) == 0 || top < 1 {
		return nil
	}
	dd := DrawdownSeries(r)
	at := func(i int) float64 {
		if i < 0 {
			return 0
		}
		return dd[i]
	}
	alive := make([]int, len(r)+1)
	for k := range alive {
		alive[k] = k - 1
	}
	var out []Drawdown
	for range top {
		v := 0
		for k, i := range alive {
			if at(i) < at(alive[v]) {
				v = k
			}
		}
		p := v
		for at(alive[p]) != 0 {
			p--
		}
		d := Drawdown{Peak: alive[p], Valley: alive[v], Recovery: -1, Depth: at(alive[v])}
		rec := -1
		for k := v; k < len(alive); k++ {
			if at(alive[k]) == 0 {
				rec = k
				break
			}
		}
		if rec >= 0 {
			d.Recovery, d.Recovered = alive[rec], true
			if rec > p+1 {
				alive = slices.Delete(alive, p+1, rec)
			}
		} else {
			alive = alive[:p+1]
		}
		out = append(out, d)
		low := 0.0
		for _, i := range alive {
			low = min(low, at(i))
		}
		if low == 0 {
			break
		}
	}
	return out
}

// sortAggregateReturns is AggregateReturns by sorting one row per return.
func sortAggregateReturns(r []float64, times []time.Time, p Period) []PeriodReturn {
	if len(r) != len(times) {
		panic("metrics: slice length mismatch")
	}
	if p < Week || p > Year {
		panic("metrics: invalid aggregation period")
	}
	type row struct {
		year, index, pos int
	}
	rows := make([]row, len(r))
	for i, t := range times {
		rows[i] = row{year: t.Year(), pos: i}
		switch p {
		case Week:
			_, rows[i].index = t.ISOWeek()
		case Month:
			rows[i].index = int(t.Month())
		case Quarter:
			rows[i].index = (int(t.Month()) + 2) / 3
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.index, b.index), cmp.Compare(a.pos, b.pos))
	})
	out := []PeriodReturn{}
	for i := 0; i < len(rows); {
		j := i
		w := 1.0
		for ; j < len(rows) && rows[j].year == rows[i].year && rows[j].index == rows[i].index; j++ {
			if v := r[rows[j].pos]; !math.IsNaN(v) {
				w *= 1 + v
			}
		}
		out = append(out, PeriodReturn{Year: rows[i].year, Index: rows[i].index, Return: w - 1})
		i = j
	}
	return out
}
