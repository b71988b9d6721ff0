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
	var a2, a3, a4 sum
	for ch := range x.Chunks() {
		for _, v := range ch {
			if math.IsNaN(v) {
				continue
			}
			d := v - mean
			d2 := d * d
			a2.add(d2)
			a3.add(d2 * d)
			a4.add(d2 * d2)
		}
	}
	return n, mean, a2.value(), a3.value(), a4.value()
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
