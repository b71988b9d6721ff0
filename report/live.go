package report

import (
	"math"
	"time"

	"github.com/quantloop/quantloop/metrics"
)

// liveAnalysis is the part of Analyze that can be computed while a run
// goes, one equity point at a time: the first pass of metrics.Summarize
// (a metrics.Summarizer), the calendar periods and the drawdown periods
// (a metrics.Aggregator), and the first pass of metrics.Compare (a
// metrics.Comparer). The rows' goroutine feeds it every point, so that
// when the run ends the analysis has only the passes left that need the
// whole series (the central moments, the selection of the tail's order
// statistics, beta's sums and alpha), and the result is the same, bit
// for bit, as Analyze's over the run's columns (analyzeLive checks that
// it was fed the series Analyze reads, and falls back to the columns when
// not).
type liveAnalysis struct {
	start float64 // the initial cash the returns are measured from
	rf    float64 // the per-period risk-free rate of sum and cmp
	n     int
	loc   *time.Location // the zone of the first time, which the curve's times are read in
	sum   *metrics.Summarizer
	cal   *metrics.Aggregator
	dd    drawdownDays
	cmp   *metrics.Comparer // nil without a benchmark
	bench wealthReturn      // the benchmark's returns
	done  *metrics.Summary  // sum's Summary, once asked for (see summary)
	doneP float64           // the periods per year of done
}

// summary returns the Summary of r, the series sum was given, for P
// periods per year. Summary spends sum, so the first call's result is
// kept and given again for the same P; for another P, ok is false.
func (a *liveAnalysis) summary(r metrics.Column, P float64) (sm metrics.Summary, ok bool) {
	if a.done == nil {
		s := a.sum.Summary(r, P)
		a.done, a.doneP = &s, P
	}
	if math.Float64bits(a.doneP) != math.Float64bits(P) {
		return metrics.Summary{}, false
	}
	return *a.done, true
}

// newLiveAnalysis returns a liveAnalysis of returns measured from the
// initial cash start. rf is the per-period risk-free rate, known is false
// when it is not known before the run ends (the periods per year are
// inferred from the bars and the annual rate is not 0): then only the
// calendar is computed live. bench says whether each point has a
// benchmark value.
func newLiveAnalysis(start, rf float64, known, bench bool) *liveAnalysis {
	a := &liveAnalysis{start: start, rf: rf, bench: newWealthReturn()}
	a.cal = metrics.NewAggregator([]metrics.Period{metrics.Month, metrics.Year}, a.dd.add)
	if known {
		a.sum = metrics.NewSummarizer(rf, tailCutoff, topDrawdowns)
		if bench {
			a.cmp = metrics.NewComparer(rf)
		}
	}
	return a
}

// add adds the return r of the point at time t and, with a benchmark, the
// benchmark's wealth at t (NaN before it starts).
func (a *liveAnalysis) add(r float64, t time.Time, wealth float64) {
	if a.n == 0 {
		a.loc = t.Location()
	}
	a.n++
	if a.sum != nil {
		a.sum.Add(r)
	}
	a.cal.Add(r, curveTime(t, a.loc))
	if a.cmp != nil {
		a.cmp.Add(r, a.bench.next(wealth))
	}
}

// Batches of points handed to a liveFeed's goroutine: how many can be
// queued, and how many points fill one.
const (
	liveBatches   = 4
	liveBatchSize = 1024
)

// liveFeed hands the points to a liveAnalysis on a goroutine of its own,
// in batches through a bounded channel, so that the analysis overlaps the
// writing of the rows instead of adding to it; the goroutine takes the
// batches in order, so the analysis sees the points as add gave them.
type liveFeed struct {
	a          *liveAnalysis
	batch      *liveBatch // being filled
	full, free chan *liveBatch
	done       chan struct{}
}

// liveBatch holds points for liveAnalysis.add, in order.
type liveBatch struct {
	r, wealth []float64
	t         []time.Time
}

// newLiveFeed starts the goroutine that feeds a; call close to end it.
func newLiveFeed(a *liveAnalysis) *liveFeed {
	f := &liveFeed{a: a, batch: &liveBatch{}, full: make(chan *liveBatch, liveBatches),
		free: make(chan *liveBatch, liveBatches+1), done: make(chan struct{})}
	for range liveBatches {
		f.free <- &liveBatch{}
	}
	go func() {
		defer close(f.done)
		for b := range f.full {
			for i, r := range b.r {
				f.a.add(r, b.t[i], b.wealth[i])
			}
			b.r, b.t, b.wealth = b.r[:0], b.t[:0], b.wealth[:0]
			f.free <- b // never blocks: there is room for every batch
		}
	}()
	return f
}

// add queues the point for liveAnalysis.add.
func (f *liveFeed) add(r float64, t time.Time, wealth float64) {
	b := f.batch
	b.r, b.t, b.wealth = append(b.r, r), append(b.t, t), append(b.wealth, wealth)
	if len(b.r) == liveBatchSize {
		f.full <- b
		f.batch = <-f.free
	}
}

// close hands over the last points and waits until the analysis has
// taken them all.
func (f *liveFeed) close() {
	if len(f.batch.r) > 0 {
		f.full <- f.batch
	}
	close(f.full)
	<-f.done
}

// curveTime returns t as backtest.Curve's Times reads it back: the same
// instant, from its Unix nanoseconds, in the zone loc of the curve's
// first time.
func curveTime(t time.Time, loc *time.Location) time.Time {
	// Within these seconds UnixNano is exact and time.Unix(0, ns) gives
	// back the instant; in the zone loc itself, t is already that time.
	if s := t.Unix(); t.Location() == loc && s > math.MinInt64/1_000_000_000+1 && s < math.MaxInt64/1_000_000_000-1 {
		return t
	}
	return time.Unix(0, t.UnixNano()).In(loc)
}

// drawdownDays sums up the drawdown periods for the report: the longest
// in calendar days, and the sum and number of their depths for the
// average.
type drawdownDays struct {
	longest int
	depth   float64
	count   int
}

// add adds the period p, the next in time order.
func (d *drawdownDays) add(p metrics.DatedDrawdownPeriod) {
	d.longest = max(d.longest, p.Days())
	d.depth += p.Depth
	d.count++
}

// average returns the mean depth, NaN for no period.
func (d *drawdownDays) average() float64 {
	if d.count == 0 {
		return math.NaN()
	}
	return d.depth / float64(d.count)
}
