package metrics

import "math"

// scipyZeroEps is 10·finfo(float64).resolution, scipy's relative threshold
// below which the second moment is treated as zero in skew and kurtosis.
const scipyZeroEps = 1e-14

// pandasZeroEps is the absolute threshold of pandas' _zero_out_fperr.
const pandasZeroEps = 1e-14

// centralMoments returns the count of non-NaN values of x, their mean and the
// sums of their 2nd, 3rd and 4th powers of deviations from the mean. The
// deviations are exactly 0 when all valid values are equal (§1.5). It reads
// x at most twice.
func centralMoments(x Column) (n int, mean, s2, s3, s4 float64) {
	mean, n, equal := meanShift(x, 0)
	if n == 0 || equal {
		return n, mean, 0, 0, 0
	}
	c := centralAcc{mean: mean}
	for ch := range x.Chunks() {
		for _, v := range ch {
			c.step(v)
		}
	}
	return n, mean, c.a2.value(), c.a3.value(), c.a4.value()
}

// centralAcc accumulates the central moment sums of centralMoments, one
// value at a time, around a known mean.
type centralAcc struct {
	mean       float64
	a2, a3, a4 sum
}

// step adds the powers of the deviation of v, unless v is NaN.
func (c *centralAcc) step(v float64) {
	if math.IsNaN(v) {
		return
	}
	d := v - c.mean
	d2 := d * d
	c.a2.add(d2)
	c.a3.add(d2 * d)
	c.a4.add(d2 * d2)
}

// Skew returns the biased sample skewness m₃/m₂^1.5 of the non-NaN values of
// x, with population central moments mₖ (scipy.stats.skew with its default
// bias=True, as shown in pyfolio tear sheets; METRICS.md §2.21). Label it
// "skew (scipy)". Like recent scipy it returns NaN for empty input and when
// m₂ <= (1e-14·mean)², which includes a constant series. NaN values are
// skipped (METRICS.md notation: moments skip NaN).
func Skew(x Column) float64 {
	n, mean, s2, s3, _ := centralMoments(x)
	return skewFrom(n, mean, s2, s3)
}

// skewFrom is Skew from the output of centralMoments.
func skewFrom(n int, mean, s2, s3 float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	fn := float64(n)
	m2, m3 := s2/fn, s3/fn
	if m2 <= (scipyZeroEps*mean)*(scipyZeroEps*mean) {
		return math.NaN()
	}
	return m3 / math.Pow(m2, 1.5)
}

// Kurtosis returns the biased excess kurtosis m₄/m₂² - 3 of the non-NaN
// values of x, with population central moments mₖ (scipy.stats.kurtosis with
// its defaults fisher=True, bias=True, as shown in pyfolio tear sheets;
// METRICS.md §2.21). Label it "excess kurtosis (scipy)". NaN rules are those
// of [Skew].
func Kurtosis(x Column) float64 {
	n, mean, s2, _, s4 := centralMoments(x)
	return kurtosisFrom(n, mean, s2, s4)
}

// kurtosisFrom is Kurtosis from the output of centralMoments.
func kurtosisFrom(n int, mean, s2, s4 float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	fn := float64(n)
	m2, m4 := s2/fn, s4/fn
	if m2 <= (scipyZeroEps*mean)*(scipyZeroEps*mean) {
		return math.NaN()
	}
	return m4/(m2*m2) - 3
}

// AdjustedSkew returns the bias-adjusted Fisher–Pearson skewness
// G₁ = g₁·√(n(n-1))/(n-2) of the non-NaN values of x, as pandas computes it
// for quantstats (pandas nanskew; METRICS.md §2.21). It is NaN if fewer than
// 3 values are valid and, like pandas, 0 when the sum of squared deviations
// is below 1e-14 (a constant series).
func AdjustedSkew(x Column) float64 {
	n, _, s2, s3, _ := centralMoments(x)
	return adjustedSkewFrom(n, s2, s3)
}

// adjustedSkewFrom is AdjustedSkew from the output of centralMoments.
func adjustedSkewFrom(n int, s2, s3 float64) float64 {
	if n < 3 {
		return math.NaN()
	}
	if math.Abs(s2) < pandasZeroEps {
		return 0
	}
	if math.Abs(s3) < pandasZeroEps {
		s3 = 0
	}
	fn := float64(n)
	return (fn * math.Sqrt(fn-1) / (fn - 2)) * (s3 / math.Pow(s2, 1.5))
}

// AdjustedKurtosis returns the bias-adjusted excess kurtosis
// G₂ = ((n+1)·g₂ + 6)·(n-1)/((n-2)(n-3)) of the non-NaN values of x, as
// pandas computes it for quantstats (pandas nankurt; METRICS.md §2.21). It
// is NaN if fewer than 4 values are valid and, like pandas, 0 when the
// denominator is below 1e-14 (a constant series).
func AdjustedKurtosis(x Column) float64 {
	n, _, s2, _, s4 := centralMoments(x)
	return adjustedKurtosisFrom(n, s2, s4)
}

// adjustedKurtosisFrom is AdjustedKurtosis from the output of
// centralMoments.
func adjustedKurtosisFrom(n int, s2, s4 float64) float64 {
	if n < 4 {
		return math.NaN()
	}
	fn := float64(n)
	adj := 3 * (fn - 1) * (fn - 1) / ((fn - 2) * (fn - 3))
	num := fn * (fn + 1) * (fn - 1) * s4
	den := (fn - 2) * (fn - 3) * s2 * s2
	if math.Abs(num) < pandasZeroEps {
		num = 0
	}
	if math.Abs(den) < pandasZeroEps {
		return 0
	}
	return num/den - adj
}

// Moments are the count, mean and central moment sums of the non-NaN values
// of a column, from which [AnnualVolatility], [Sharpe], [Skew],
// [Kurtosis], [AdjustedSkew], [AdjustedKurtosis], [ProbabilisticSharpe] and
// [DeflatedSharpe] can all be derived without reading the column again: each
// method returns exactly what the function of the same name returns for the
// column (with a zero rate where the function takes one; pass
// [Shift](r, rf) to ComputeMoments for the excess returns over a constant
// per-period rate rf).
type Moments struct {
	// Len is the length of the column, NaN rows included.
	Len int
	// N is the number of non-NaN values and Mean their mean (Neumaier sum,
	// NaN for none).
	N    int
	Mean float64
	// S2, S3 and S4 are the compensated sums of the 2nd, 3rd and 4th powers
	// of the deviations from Mean, exactly 0 when all values are equal.
	S2, S3, S4 float64
}

// ComputeMoments returns the Moments of x, reading it twice.
func ComputeMoments(x Column) Moments {
	n, mean, s2, s3, s4 := centralMoments(x)
	return Moments{Len: x.Len(), N: n, Mean: mean, S2: s2, S3: s3, S4: s4}
}

// std returns the standard deviation with ddof degrees of freedom, as
// meanStdShift computes it.
func (m Moments) std(ddof int) float64 {
	if m.N-ddof <= 0 {
		return math.NaN()
	}
	return math.Sqrt(m.S2 / float64(m.N-ddof))
}

// AnnualVolatility returns [AnnualVolatility] of the column.
func (m Moments) AnnualVolatility(P float64) float64 {
	if m.Len < 2 {
		return math.NaN()
	}
	return m.std(1) * math.Sqrt(P)
}

// Sharpe returns [Sharpe] of the column with a zero rate.
func (m Moments) Sharpe(P float64) float64 {
	if m.Len < 2 {
		return math.NaN()
	}
	return m.Mean / m.std(1) * math.Sqrt(P)
}

// Sortino returns [Sortino] of the column with a zero rate, given its
// downside risk DownsideRisk(column, 0, P) (or, equally, DownsideRisk(r,
// mar, P) for the moments of Shift(r, mar)).
func (m Moments) Sortino(P, downsideRisk float64) float64 {
	if m.Len < 2 {
		return math.NaN()
	}
	return m.Mean * P / downsideRisk
}

// Skew returns [Skew] of the column.
func (m Moments) Skew() float64 { return skewFrom(m.N, m.Mean, m.S2, m.S3) }

// Kurtosis returns [Kurtosis] of the column.
func (m Moments) Kurtosis() float64 { return kurtosisFrom(m.N, m.Mean, m.S2, m.S4) }

// AdjustedSkew returns [AdjustedSkew] of the column.
func (m Moments) AdjustedSkew() float64 { return adjustedSkewFrom(m.N, m.S2, m.S3) }

// AdjustedKurtosis returns [AdjustedKurtosis] of the column.
func (m Moments) AdjustedKurtosis() float64 { return adjustedKurtosisFrom(m.N, m.S2, m.S4) }

// sharpeFactor returns the per-period Sharpe ratio, the count and the
// variance factor of the Sharpe estimator (see sharpeMoments).
func (m Moments) sharpeFactor() (sr float64, n int, factor float64) {
	sr = m.Sharpe(1)
	g3, g4 := m.Skew(), m.Kurtosis()+3
	return sr, m.N, 1 - g3*sr + (g4-1)/4*sr*sr
}

// ProbabilisticSharpe returns [ProbabilisticSharpe] of the column.
func (m Moments) ProbabilisticSharpe(benchmark float64) float64 {
	sr, n, f := m.sharpeFactor()
	return psr(sr, n, f, benchmark)
}

// DeflatedSharpe returns [DeflatedSharpe] of the column.
func (m Moments) DeflatedSharpe(trials int, variance float64) float64 {
	sr, n, f := m.sharpeFactor()
	return deflated(sr, n, f, trials, variance)
}
