package weights

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// ErrTooFewReturns is returned by Covariance for fewer than two returns.
var ErrTooFewReturns = errors.New("fewer than two returns")

// Returns turns price histories into simple returns. closes[j] is asset
// j's closes, oldest first; every history must have the same length
// T ≥ 2. The result has T−1 rows, one per period, and one column per
// asset:
//
//	r[t][j] = closes[j][t+1] / closes[j][t] − 1
//
// A close that is not positive and finite is an error naming the asset and
// the index.
func Returns(closes [][]float64) (*mat.Dense, error) {
	if len(closes) == 0 {
		return nil, errors.New("returns: no assets")
	}
	t := len(closes[0])
	if t < 2 {
		return nil, fmt.Errorf("returns: %d closes, need at least 2", t)
	}
	r := mat.NewDense(t-1, len(closes), nil)
	for j, c := range closes {
		if len(c) != t {
			return nil, fmt.Errorf("returns: asset %d has %d closes, asset 0 has %d", j, len(c), t)
		}
		for i, p := range c {
			if !(p > 0) || math.IsInf(p, 1) {
				return nil, fmt.Errorf("returns: asset %d close %d is %v, want a positive finite price", j, i, p)
			}
			if i > 0 {
				r.Set(i-1, j, p/c[i-1]-1)
			}
		}
	}
	return r, nil
}

// Covariance returns the sample covariance matrix of returns, whose rows
// are periods and whose columns are assets:
//
//	Σ[i][j] = Σ_t (r[t][i] − mean_i)(r[t][j] − mean_j) / (T − 1)
//
// with T the number of rows (ddof = 1, the unbiased estimator; computed by
// gonum's stat.CovarianceMatrix). It needs T ≥ 2. With T ≤ n (no more
// returns than assets) the estimate has rank at most T − 1 < n and is
// singular: MinVariance and RiskParity refuse it with ErrSingular, and
// ShrinkDiagonal makes it usable.
func Covariance(returns mat.Matrix) (*mat.SymDense, error) {
	t, n := returns.Dims()
	if t < 2 {
		return nil, fmt.Errorf("covariance of %d assets: %d returns: %w", n, t, ErrTooFewReturns)
	}
	for i := range t {
		for j := range n {
			if v := returns.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("covariance: return %d of asset %d is %v", i, j, v)
			}
		}
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, returns, nil)
	return &cov, nil
}

// ShrinkDiagonal returns (1 − lambda)·Σ + lambda·diag(Σ): the covariances
// shrunk toward zero by the factor 1 − lambda, the variances kept. For
// 0 < lambda ≤ 1 and positive variances the result is positive definite
// even when cov is singular (for instance with fewer returns than assets).
// lambda must lie in [0, 1].
func ShrinkDiagonal(cov mat.Symmetric, lambda float64) (*mat.SymDense, error) {
	if !(lambda >= 0 && lambda <= 1) {
		return nil, fmt.Errorf("shrink: lambda %v outside [0, 1]", lambda)
	}
	n := cov.SymmetricDim()
	out := mat.NewSymDense(n, nil)
	for i := range n {
		out.SetSym(i, i, cov.At(i, i))
		for j := i + 1; j < n; j++ {
			out.SetSym(i, j, (1-lambda)*cov.At(i, j))
		}
	}
	return out, nil
}
