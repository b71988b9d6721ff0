package metrics

import (
	"math"
	"math/bits"
	"slices"

	"github.com/quantloop/quantloop/internal/nth"
)

// Percentile returns the q-th percentile (0 <= q <= 100) of v using numpy's
// default "linear" rule (Hyndman–Fan type 7), reproducing numpy.percentile
// bit for bit for finite input (METRICS.md §1.6): with the values sorted,
// pos = (m-1)·(q/100), lo = ⌊pos⌋ and t = pos-lo, the result is
// v[lo] + (v[lo+1]-v[lo])·t for t < 0.5 and v[lo+1] - (v[lo+1]-v[lo])·(1-t)
// for t >= 0.5. It returns NaN if v is empty, if v contains a NaN (numpy
// propagates NaN) or if q is outside [0, 100] or NaN.
//
// v is not sorted or copied. The one or two order statistics needed are
// found by selection over the order-preserving integer image of the values'
// bits. Up to 65536 values, the images are kept as v is read once and then
// sorted. Past that, each pass over v counts the values in 65536 buckets,
// narrowing the range that holds each wanted rank, until the rank is
// pinned to one value or its bucket holds few enough values to be
// collected and sorted in a last pass. This takes two to five passes
// (usually two) and about 1.5 MB of working memory per wanted rank at most. Values are ordered by their bits, so -0
// sorts before +0 (numpy's sort leaves ±0 in an unspecified order, so a
// zero result can only differ from numpy's in sign).
func Percentile(v Column, q float64) float64 {
	if v.Len() == 0 || !(q >= 0 && q <= 100) {
		return math.NaN()
	}
	p, ok := percentiles(v, false, q)
	if !ok {
		return math.NaN()
	}
	return p[0]
}

// percentiles returns the numpy-linear percentiles qs of the values of c,
// finding all the order statistics they need together. If skipNaN is true,
// NaN values are left out; otherwise a NaN makes ok false. ok is also false
// when no value is left. Each q must be in [0, 100].
func percentiles(c Column, skipNaN bool, qs ...float64) (p []float64, ok bool) {
	var sel selector
	m, hasNaN := sel.scan(c, skipNaN)
	if (hasNaN && !skipNaN) || m == 0 {
		return nil, false
	}
	var ranks []int
	for _, q := range qs {
		ranks = appendPercentileRanks(ranks, m, q)
	}
	return percentilesFrom(sel.find(c, ranks), m, qs), true
}

// appendPercentileRanks appends the ranks of the one or two order
// statistics that the q-th percentile of m values interpolates.
func appendPercentileRanks(ranks []int, m int, q float64) []int {
	i, _, last := percentilePos(m, q)
	if last {
		return append(ranks, m-1)
	}
	return append(ranks, i, i+1)
}

// percentilesFrom returns the percentiles qs of m values from the order
// statistics vals at the ranks of appendPercentileRanks, in the same order.
func percentilesFrom(vals []float64, m int, qs []float64) []float64 {
	p := make([]float64, len(qs))
	k := 0
	for j, q := range qs {
		_, t, last := percentilePos(m, q)
		if last {
			p[j] = vals[k]
			k++
			continue
		}
		p[j] = lerp(vals[k], vals[k+1], t)
		k += 2
	}
	return p
}

// percentilePos returns the index i of the lower order statistic of the q-th
// percentile of m sorted values and the weight t of the upper one, or last
// if the result is the largest value, as numpy's linear rule computes them.
func percentilePos(m int, q float64) (i int, t float64, last bool) {
	// numpy divides q by 100 first, then multiplies by (m-1). The explicit
	// conversion rounds pos before t = pos - lo is taken (no FMA).
	pos := float64(float64(m-1) * (q / 100))
	lo := math.Floor(pos)
	i = int(lo)
	if i >= m-1 {
		return m - 1, 0, true
	}
	return i, pos - lo, false
}

// lerp interpolates between the neighbouring order statistics a <= b.
func lerp(a, b, t float64) float64 {
	diff := b - a
	// numpy's _lerp switches to the upper form at t >= 0.5. The explicit
	// conversions round the products, preventing FMA fusion, as numpy does.
	if t >= 0.5 {
		return b - float64(diff*(1-t))
	}
	return a + float64(diff*t)
}

// orderKey maps a non-NaN float64 to a uint64 with the same order (with
// -0 < +0): negative values have all bits flipped, others the sign bit set.
func orderKey(v float64) uint64 {
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// keyValue is the inverse of orderKey.
func keyValue(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

const (
	// histBits is the number of key bits a selection pass resolves.
	histBits = 16
	// histLen is the number of buckets of a selection histogram.
	histLen = 1 << histBits
	// collectMax is the largest number of candidates collected and sorted.
	collectMax = 1 << 16
)

// selector finds order statistics of a Column in passes with bounded
// memory. The zero value is ready to use; scan (or add for every value)
// must come first. The keys of up to collectMax values are kept as they
// are read, and start sorts them and finds every rank with no further
// pass; a column of more values is searched by histograms.
type selector struct {
	keys   []uint64 // the keys read, while there are at most collectMax
	top    []int    // histogram of the top histBits of the keys, past collectMax
	m      int      // number of non-NaN values
	hasNaN bool
	ts     []target
	spare  [][]int // histograms to reuse
}

// scan reads c once, counting its non-NaN values and histogramming the top
// bits of their keys. It returns that count and whether c holds a NaN; if
// it does and skipNaN is false, it stops there and the histogram is not
// usable.
func (s *selector) scan(c Column, skipNaN bool) (m int, hasNaN bool) {
	s.expect(c.Len())
	for ch := range c.Chunks() {
		for _, v := range ch {
			s.add(v)
			if s.hasNaN && !skipNaN {
				return 0, true
			}
		}
	}
	return s.m, s.hasNaN
}

// expect makes room for the keys of n values to add.
func (s *selector) expect(n int) {
	if s.top == nil {
		s.keys = slices.Grow(s.keys, max(min(n, collectMax)-len(s.keys), 0))
	}
}

// add is scan for one value.
func (s *selector) add(v float64) {
	if v != v {
		s.hasNaN = true
		return
	}
	k := orderKey(v)
	s.m++
	if s.top == nil {
		if len(s.keys) < collectMax {
			s.keys = append(s.keys, k)
			return
		}
		s.top = make([]int, histLen)
		for _, k := range s.keys {
			s.top[k>>(64-histBits)]++
		}
		s.keys = nil
	}
	s.top[k>>(64-histBits)]++
}

// target is the search state of one wanted rank: the rank lies in the keys
// [lo, hi], of which count values are present, and below values have a key
// under lo.
type target struct {
	rank, below, count int
	lo, hi             uint64
	done               bool
	value              float64
}

// group is a key range searched in one pass, shared by the targets whose
// range it is: with a histogram of the keys (counts, bucket width 1<<shift),
// or, once few values remain, by collecting them (keys).
type group struct {
	lo, hi  uint64
	shift   uint
	counts  []int
	keys    []uint64
	collect bool
}

// find returns the values of the given ranks (0-based, in ascending key
// order, among the non-NaN values) of c, which scan has read. Every rank
// must be in [0, m).
func (s *selector) find(c Column, ranks []int) []float64 {
	s.start(ranks)
	return s.resume(c)
}

// resume continues the search begun by start, in passes over c, until
// every rank is found, and returns their values.
func (s *selector) resume(c Column) []float64 {
	for {
		gs := s.groups()
		if len(gs) == 0 {
			return s.values()
		}
		for ch := range c.Chunks() {
			for _, v := range ch {
				step(gs, v)
			}
		}
		s.finish(gs)
	}
}

// start begins the search for ranks, from the histogram of scan.
func (s *selector) start(ranks []int) {
	s.ts = make([]target, len(ranks))
	if s.top == nil {
		// Every key is at hand: the ranks are found, with no pass.
		sorted := slices.Clone(ranks)
		slices.Sort(sorted)
		nth.Place(s.keys, slices.Compact(sorted)...)
		for j, r := range ranks {
			s.ts[j] = target{rank: r, done: true, value: keyValue(s.keys[r])}
		}
		s.keys = nil
		return
	}
	for j, r := range ranks {
		s.ts[j] = target{rank: r, hi: math.MaxUint64}
		narrow(&s.ts[j], s.top, 64-histBits)
	}
	s.top = nil
}

// groups returns the key ranges to search in the next pass, none when
// every rank is found.
func (s *selector) groups() []*group {
	var gs []*group
	for j := range s.ts {
		t := &s.ts[j]
		if t.done {
			continue
		}
		if t.lo == t.hi {
			t.done, t.value = true, keyValue(t.lo)
			continue
		}
		var g *group
		for _, h := range gs {
			if h.lo == t.lo && h.hi == t.hi {
				g = h
			}
		}
		if g == nil {
			g = &group{lo: t.lo, hi: t.hi}
			if t.count <= collectMax {
				g.collect = true
				g.keys = make([]uint64, 0, t.count)
			} else {
				if w := bits.Len64(t.hi - t.lo); w > histBits {
					g.shift = uint(w - histBits)
				}
				if n := len(s.spare); n > 0 {
					g.counts, s.spare = s.spare[n-1], s.spare[:n-1]
					clear(g.counts)
				} else {
					g.counts = make([]int, histLen)
				}
			}
			gs = append(gs, g)
		}
	}
	return gs
}

// step is one value of a pass over the groups gs.
func step(gs []*group, v float64) {
	if v != v {
		return
	}
	k := orderKey(v)
	for _, g := range gs {
		if k < g.lo || k > g.hi {
			continue
		}
		if g.collect {
			g.keys = append(g.keys, k)
		} else {
			g.counts[(k-g.lo)>>g.shift]++
		}
	}
}

// finish narrows or resolves the targets after a pass over gs.
func (s *selector) finish(gs []*group) {
	for _, g := range gs {
		if g.collect {
			slices.Sort(g.keys)
		}
		for j := range s.ts {
			t := &s.ts[j]
			if t.done || t.lo != g.lo || t.hi != g.hi {
				continue
			}
			if g.collect {
				t.done, t.value = true, keyValue(g.keys[t.rank-t.below])
			} else {
				narrow(t, g.counts, g.shift)
			}
		}
		if g.counts != nil {
			s.spare = append(s.spare, g.counts)
		}
	}
}

// values returns the values of the ranks, once all are found.
func (s *selector) values() []float64 {
	out := make([]float64, len(s.ts))
	for j, t := range s.ts {
		out[j] = t.value
	}
	return out
}

// narrow moves t into the bucket of counts (a histogram of its range with
// buckets of width 1<<shift) that holds its rank.
func narrow(t *target, counts []int, shift uint) {
	cum := t.below
	for b, n := range counts {
		if t.rank < cum+n {
			lo := t.lo + uint64(b)<<shift
			hi := lo + (1<<shift - 1)
			if hi < lo || hi > t.hi { // past the range's end
				hi = t.hi
			}
			t.lo, t.hi, t.below, t.count = lo, hi, cum, n
			return
		}
		cum += n
	}
	panic("metrics: rank out of range")
}

// exactSum is an exactly rounded floating-point sum, independent of the
// order of its terms: Shewchuk's non-overlapping expansion ("Adaptive
// precision floating-point arithmetic", 1997), finished with the correctly
// rounded conversion of Python's math.fsum. The zero value is an empty sum.
// Its memory is bounded (at most about 40 partials for float64).
type exactSum struct {
	partials []float64
	special  float64 // IEEE sum of the infinite and NaN terms
	overflow float64 // ±Inf once a finite partial sum overflowed
}

// add adds x to the sum.
func (s *exactSum) add(x float64) {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		s.special += x
		return
	}
	i := 0
	for _, y := range s.partials {
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		lo := y - (hi - x)
		if lo != 0 {
			s.partials[i] = lo
			i++
		}
		x = hi
	}
	if math.IsInf(x, 0) {
		s.overflow = x
	}
	s.partials = append(s.partials[:i], x)
}

// addTimes adds q copies of x to the sum, as the exact product x·q split
// into its rounded value and its error.
func (s *exactSum) addTimes(x float64, q int) {
	if q <= 0 {
		return
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		s.add(x)
		return
	}
	fq := float64(q)
	p := x * fq
	if math.IsInf(p, 0) {
		s.overflow = p
		return
	}
	s.add(p)
	s.add(math.FMA(x, fq, -p))
}

// value returns the sum of the terms, correctly rounded.
func (s *exactSum) value() float64 {
	if s.special != 0 || math.IsNaN(s.special) {
		return s.special + s.overflow
	}
	if s.overflow != 0 {
		return s.overflow
	}
	p := s.partials
	n := len(p)
	if n == 0 {
		return 0
	}
	n--
	hi := p[n]
	var lo float64
	for n > 0 {
		x := hi
		n--
		y := p[n]
		hi = x + y
		yr := hi - x
		lo = y - yr
		if lo != 0 {
			break
		}
	}
	// Round half to even correctly: if the remainder below lo has the same
	// sign as lo, hi+2·lo decides the rounding.
	if n > 0 && ((lo < 0 && p[n-1] < 0) || (lo > 0 && p[n-1] > 0)) {
		y := lo * 2
		x := hi + y
		if yr := x - hi; y == yr {
			hi = x
		}
	}
	return hi
}
