package backtest

import (
	"slices"
	"time"

	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/metrics"
)

// PeriodsCache holds the periods per year a run inferred from its first
// bar times (see Options.Periods), for a later run over the same times
// to take instead of inferring them again: a sweep's worker hands one to
// each of its runs, whose bars are the same. The zero value is empty. It
// is not safe for concurrent use.
type PeriodsCache struct {
	nanos []int64 // the times the inference read, Unix nanoseconds
	loc   *time.Location
	p     float64
}

// inferPeriods returns metrics.InferPeriodsPerYear of the first n times
// of c, from cache when it holds the value for those times in the same
// location, and keeps it there for the next run. A nil cache infers.
func (cache *PeriodsCache) inferPeriods(c *Curve, n int) float64 {
	if cache == nil {
		return metrics.InferPeriodsPerYear(c.firstTimes(n))
	}
	nanos, loc := c.nanosSeries(), c.location()
	if cache.loc == loc && len(cache.nanos) == min(n, nanos.Len()) && cache.holds(nanos) {
		return cache.p
	}
	cache.p = metrics.InferPeriodsPerYear(c.firstTimes(n))
	cache.loc, cache.nanos = loc, cache.nanos[:0]
	for ch := range nanos.Chunks() {
		cache.nanos = append(cache.nanos, ch[:min(len(ch), n-len(cache.nanos))]...)
		if len(cache.nanos) == n {
			break
		}
	}
	return cache.p
}

// holds reports whether the first len(cache.nanos) values of nanos are
// cache.nanos.
func (cache *PeriodsCache) holds(nanos *spill.Series[int64]) bool {
	off := 0
	for ch := range nanos.Chunks() {
		k := min(len(ch), len(cache.nanos)-off)
		if !slices.Equal(ch[:k], cache.nanos[off:off+k]) {
			return false
		}
		if off += k; off == len(cache.nanos) {
			break
		}
	}
	return off == len(cache.nanos)
}
