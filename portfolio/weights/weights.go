package weights

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Errors returned by the weighting functions, wrapped with the asset or
// the figure that caused them.
var (
	// ErrZeroVolatility is returned by InverseVol for an asset whose
	// variance is zero: its inverse volatility is infinite.
	ErrZeroVolatility = errors.New("zero volatility")
	// ErrSingular is returned by MinVariance and RiskParity for a
	// covariance matrix that is not positive definite: its Cholesky
	// factorization fails or its condition number exceeds MaxCondition.
	ErrSingular = errors.New("covariance matrix is singular")
	// ErrNoConvergence is returned when a solver reaches its iteration
	// limit without meeting its tolerance.
	ErrNoConvergence = errors.New("solver did not converge")
)

// MaxCondition is the largest condition number (in the 2-norm) of a
// covariance matrix that MinVariance and RiskParity accept.
const MaxCondition = 1e12

// Constraints bound the weights. The zero value means long-only and no
// maximum weight.
//
// MaxWeight caps every weight (and, when Short is set, nothing caps a
// short). When MaxWeight × n < 1 no fully invested portfolio meets the
// cap: every method then returns MaxWeight for every asset, and the
// remaining 1 − n × MaxWeight is cash. When MaxWeight × n = 1 that is also
// the only feasible portfolio, and the same weights are returned.
type Constraints struct {
	// MaxWeight is the largest weight of any asset, in (0, 1]; zero
	// means no cap.
	MaxWeight float64
	// Short allows negative weights. Only MinVariance can produce them;
	// the other methods are long-only by construction.
	Short bool
}

// Validate reports a maximum weight outside [0, 1].
func (c Constraints) Validate() error {
	if !(c.MaxWeight >= 0 && c.MaxWeight <= 1) {
		return fmt.Errorf("max weight %v outside (0, 1] (0 for none)", c.MaxWeight)
	}
	return nil
}

// capped reports whether the cap leaves no room but MaxWeight for every
// one of n assets, and if so returns those weights.
func (c Constraints) capped(n int) ([]float64, bool) {
	if c.MaxWeight == 0 || c.MaxWeight*float64(n) > 1 {
		return nil, false
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = c.MaxWeight
	}
	return w, true
}

// Method names a weighting rule.
type Method uint8

// The weighting methods.
const (
	EqualWeight Method = iota
	InverseVolatility
	MinimumVariance
	EqualRiskContribution
)

// methodNames are the names ParseMethod reads and String writes, by Method.
var methodNames = [...]string{"equal", "inverse_vol", "min_variance", "risk_parity"}

// String returns the method's name: "equal", "inverse_vol",
// "min_variance" or "risk_parity".
func (m Method) String() string {
	if int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("method(%d)", uint8(m))
}

// ParseMethod returns the method named s, one of the names String returns.
func ParseMethod(s string) (Method, error) {
	for i, name := range methodNames {
		if s == name {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("weighting %q: want equal, inverse_vol, min_variance or risk_parity", s)
}

// Weights returns the method's weights for the assets of cov: Equal on
// its dimension, InverseVol, MinVariance or RiskParity.
func (m Method) Weights(cov mat.Symmetric, c Constraints) ([]float64, error) {
	switch m {
	case EqualWeight:
		return Equal(cov.SymmetricDim(), c)
	case InverseVolatility:
		return InverseVol(cov, c)
	case MinimumVariance:
		return MinVariance(cov, c)
	case EqualRiskContribution:
		return RiskParity(cov, c)
	}
	return nil, fmt.Errorf("weights: unknown method %d", uint8(m))
}

// FromCloses returns the method's weights for assets given by their
// closes over a lookback (closes[j] is asset j's, oldest first, all of one
// length): EqualWeight needs only their number; the others use the sample
// covariance (Covariance) of their simple returns (Returns), so they need
// at least three closes each, and more returns than assets for
// MinVariance and RiskParity.
func (m Method) FromCloses(closes [][]float64, c Constraints) ([]float64, error) {
	if m == EqualWeight {
		return Equal(len(closes), c)
	}
	r, err := Returns(closes)
	if err != nil {
		return nil, fmt.Errorf("%s weights: %w", m, err)
	}
	cov, err := Covariance(r)
	if err != nil {
		return nil, fmt.Errorf("%s weights: %w", m, err)
	}
	return m.Weights(cov, c)
}

// Equal returns n weights of 1/n each. Under a maximum weight below 1/n
// every weight is MaxWeight (see Constraints).
func Equal(n int, c Constraints) ([]float64, error) {
	if err := check(n, c); err != nil {
		return nil, err
	}
	if w, ok := c.capped(n); ok {
		return w, nil
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	return w, nil
}

// InverseVol returns weights proportional to the inverse of each asset's
// volatility σ_i = √Σ_ii:
//
//	w_i = (1/σ_i) / Σ_j (1/σ_j)
//
// Only the diagonal of cov is read. A zero variance is ErrZeroVolatility
// (a negative or non-finite one is an error too). Under a maximum weight
// the weights above it are set to it and the excess is spread over the
// others in proportion to their weights, repeatedly, until none exceeds
// it (see Cap).
func InverseVol(cov mat.Symmetric, c Constraints) ([]float64, error) {
	n := cov.SymmetricDim()
	if err := check(n, c); err != nil {
		return nil, err
	}
	w := make([]float64, n)
	sum := 0.0
	for i := range w {
		v := cov.At(i, i)
		switch {
		case v == 0:
			return nil, fmt.Errorf("inverse volatility: asset %d: %w", i, ErrZeroVolatility)
		case !(v > 0) || math.IsInf(v, 1):
			return nil, fmt.Errorf("inverse volatility: asset %d has variance %v", i, v)
		}
		w[i] = 1 / math.Sqrt(v)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return Cap(w, c.MaxWeight), nil
}

// Cap returns non-negative weights w with every weight above limit set
// to limit and the excess spread over the weights below limit in
// proportion to their size, repeated until no weight exceeds limit (at
// most len(w)+1 rounds). The sum is kept, except that when every positive
// weight ends at limit the excess has nowhere to go and is dropped (it
// stays cash). A limit of zero means no cap and returns w unchanged. Cap changes w in place
// and returns it.
func Cap(w []float64, limit float64) []float64 {
	if limit <= 0 {
		return w
	}
	for range len(w) + 1 {
		excess, free := 0.0, 0.0
		for i, v := range w {
			if v > limit {
				excess += v - limit
				w[i] = limit
			} else if v < limit {
				free += v
			}
		}
		if excess == 0 || free == 0 {
			return w
		}
		for i, v := range w {
			if v < limit {
				w[i] = v + excess*v/free
			}
		}
	}
	return w
}

// check validates the number of assets and the constraints.
func check(n int, c Constraints) error {
	if n < 1 {
		return errors.New("weights: no assets")
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	return nil
}

// normalized checks that cov is positive definite and well conditioned and
// returns it divided by its mean variance, which leaves every method's
// weights unchanged and puts the solvers' tolerances on a fixed scale.
func normalized(cov mat.Symmetric, what string) (*mat.SymDense, error) {
	n := cov.SymmetricDim()
	mean := 0.0
	for i := range n {
		v := cov.At(i, i)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: asset %d has variance %v", what, i, v)
		}
		mean += v / float64(n)
	}
	if !(mean > 0) {
		return nil, fmt.Errorf("%s: %w (mean variance %v)", what, ErrSingular, mean)
	}
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			v := cov.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s: covariance of assets %d and %d is %v", what, i, j, v)
			}
			s.SetSym(i, j, v/mean)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(s) {
		return nil, fmt.Errorf("%s: %w (not positive definite)", what, ErrSingular)
	}
	if k := chol.Cond(); k > MaxCondition {
		return nil, fmt.Errorf("%s: %w (condition number %.3g above %g)", what, ErrSingular, k, MaxCondition)
	}
	return s, nil
}
