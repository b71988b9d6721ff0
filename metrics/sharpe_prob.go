package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// EulerGamma is the Euler–Mascheroni constant used by [ExpectedMaxSharpe].
const EulerGamma = 0.5772156649015329

// sharpeMoments returns the per-period Sharpe ratio SR = mean/std₁ of the
// non-NaN values of r, their count, and the variance factor
// 1 - γ₃·SR + (γ₄-1)/4·SR² of the Sharpe estimator, where γ₃ is the biased
// skewness and γ₄ the biased (non-excess) kurtosis. It reads r twice: the
// sum of squared deviations of [ComputeMoments] is the one [Sharpe] takes
// its standard deviation from, so the results are those of calling Sharpe,
// Skew and Kurtosis.
func sharpeMoments(r Column) (sr float64, n int, factor float64) {
	return ComputeMoments(r).sharpeFactor()
}

// ProbabilisticSharpe returns the probabilistic Sharpe ratio of Bailey and
// López de Prado ("The Sharpe Ratio Efficient Frontier", 2012): the
// probability that the true per-period Sharpe ratio exceeds benchmark,
//
//	PSR = Φ( (SR - SR*)·√(n-1) / √(1 - γ₃·SR + (γ₄-1)/4·SR²) )
//
// where SR = mean(r)/std₁(r) is the per-period (not annualized) Sharpe
// ratio of the non-NaN returns, n their count, γ₃ their skewness and γ₄
// their kurtosis (biased, non-excess: [Kurtosis]+3), and SR* the per-period
// benchmark Sharpe ratio (divide an annual figure by √P). Φ is the standard
// normal distribution function of gonum's distuv.UnitNormal,
// 0.5·erfc(-x/√2). It is NaN when n < 3, when SR is not finite (zero
// volatility), when the moments are undefined, or when the variance factor
// is not positive.
func ProbabilisticSharpe(r Column, benchmark float64) float64 {
	sr, n, f := sharpeMoments(r)
	return psr(sr, n, f, benchmark)
}

func psr(sr float64, n int, factor, benchmark float64) float64 {
	if n < 3 || math.IsNaN(sr) || math.IsInf(sr, 0) || math.IsNaN(factor) || factor <= 0 || math.IsNaN(benchmark) {
		return math.NaN()
	}
	return distuv.UnitNormal.CDF((sr - benchmark) * math.Sqrt(float64(n-1)) / math.Sqrt(factor))
}

// ExpectedMaxSharpe returns SR₀, the expected maximum of trials independent
// Sharpe ratio estimates whose true value is 0 and whose variance across
// trials is variance (Bailey and López de Prado, "The Deflated Sharpe
// Ratio", 2014, eq. 2, with the false strategy theorem):
//
//	SR₀ = √variance · ((1-γ)·Φ⁻¹(1-1/N) + γ·Φ⁻¹(1-1/(N·e)))
//
// with γ the Euler–Mascheroni constant, N = trials and Φ⁻¹ the standard
// normal quantile of gonum's distuv.UnitNormal (Wichura's algorithm AS 241,
// accurate to about 1e-16). One trial gives 0; fewer, or a negative or NaN
// variance, give NaN.
func ExpectedMaxSharpe(trials int, variance float64) float64 {
	switch {
	case trials < 1 || math.IsNaN(variance) || variance < 0:
		return math.NaN()
	case trials == 1:
		return 0
	}
	n := float64(trials)
	z := distuv.UnitNormal
	return math.Sqrt(variance) * ((1-EulerGamma)*z.Quantile(1-1/n) + EulerGamma*z.Quantile(1-1/(n*math.E)))
}

// DeflatedSharpe returns the deflated Sharpe ratio: [ProbabilisticSharpe]
// with the benchmark SR* = [ExpectedMaxSharpe](trials, variance), the Sharpe
// ratio that the best of trials strategies without skill would be expected
// to show. It is the probability that the per-period Sharpe ratio of r is
// not a fluke of trying trials configurations.
//
// variance is the variance of the per-period Sharpe ratios across the
// trials. When it is not known (variance <= 0 or NaN), the variance of the
// Sharpe estimator itself is used, (1 - γ₃·SR + (γ₄-1)/4·SR²)/(n-1): the
// spread that trials on the same data with no skill would show. With one
// trial the result equals ProbabilisticSharpe(r, 0).
func DeflatedSharpe(r Column, trials int, variance float64) float64 {
	sr, n, f := sharpeMoments(r)
	return deflated(sr, n, f, trials, variance)
}

// deflated is DeflatedSharpe from the output of sharpeMoments.
func deflated(sr float64, n int, f float64, trials int, variance float64) float64 {
	if math.IsNaN(variance) || variance <= 0 {
		variance = f / float64(n-1)
	}
	return psr(sr, n, f, ExpectedMaxSharpe(trials, variance))
}
