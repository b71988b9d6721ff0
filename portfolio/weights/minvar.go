package weights

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Tolerances of MinVariance's active-set solver, on the covariance matrix
// scaled to a mean variance of one.
const (
	// stepTol is the largest step, in weight, that counts as none.
	stepTol = 1e-12
	// multTol is how far a bound's Lagrange multiplier may be on the
	// wrong side of zero before the bound is released.
	multTol = 1e-10
)

// MinVariance returns the fully invested weights of least variance:
//
//	minimize wᵀΣw  subject to  Σ_i w_i = 1,  lo ≤ w_i ≤ hi
//
// with lo = 0 (long-only; −∞ when c.Short is set) and hi = c.MaxWeight
// (+∞ when zero). Without binding bounds the solution is the closed form
//
//	w = Σ⁻¹1 / (1ᵀΣ⁻¹1)
//
// and with them it is found exactly, up to rounding, by a primal
// active-set method (Nocedal and Wright, Numerical Optimization, 2nd ed.,
// algorithm 16.3): from w = 1/n, each iteration solves the equality
// constrained problem on the assets not held at a bound, steps toward it
// as far as the bounds allow and holds the asset that blocks the step at
// its bound, or, at that problem's solution, releases the bound whose
// Lagrange multiplier has the wrong sign. It stops when none has, and
// returns ErrNoConvergence after 20n + 100 iterations.
//
// Σ must be positive definite: a singular or near-singular matrix (the
// Cholesky factorization fails, or the condition number exceeds
// MaxCondition), as the sample covariance of fewer returns than assets
// is, returns ErrSingular. A maximum weight below 1/n gives MaxWeight for
// every asset (see Constraints).
func MinVariance(cov mat.Symmetric, c Constraints) ([]float64, error) {
	n := cov.SymmetricDim()
	if err := check(n, c); err != nil {
		return nil, err
	}
	if w, ok := c.capped(n); ok {
		return w, nil
	}
	s, err := normalized(cov, "minimum variance")
	if err != nil {
		return nil, err
	}
	lo, hi := 0.0, math.Inf(1)
	if c.Short {
		lo = math.Inf(-1)
	}
	if c.MaxWeight > 0 {
		hi = c.MaxWeight
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	// state[i] is 0 for a free asset, -1 for one held at lo, +1 at hi.
	state := make([]int8, n)
	g := make([]float64, n)
	gv := mat.NewVecDense(n, g)
	atSolution := false // w solves the equality-constrained problem of the current free set
	free := make([]int, 0, n)
	for range 20*n + 100 {
		gv.MulVec(s, mat.NewVecDense(n, w))
		free = free[:0]
		for i, st := range state {
			if st == 0 {
				free = append(free, i)
			}
		}
		var p []float64
		if !atSolution && len(free) > 0 {
			if p, err = eqpStep(s, g, free); err != nil {
				return nil, fmt.Errorf("minimum variance: %w", err)
			}
		}
		if maxAbs(p) <= stepTol {
			worst := releasable(state, g, gradientLevel(state, g, free))
			if worst < 0 {
				return w, nil
			}
			state[worst] = 0
			atSolution = false
			continue
		}
		alpha, block := 1.0, -1
		for k, i := range free {
			var a float64
			switch {
			case p[k] < 0 && !math.IsInf(lo, -1):
				a = (lo - w[i]) / p[k]
			case p[k] > 0 && !math.IsInf(hi, 1):
				a = (hi - w[i]) / p[k]
			default:
				continue
			}
			if a < alpha {
				alpha, block = a, i
			}
		}
		for k, i := range free {
			w[i] += alpha * p[k]
		}
		atSolution = block < 0
		if block >= 0 {
			if p[indexOf(free, block)] < 0 {
				w[block], state[block] = lo, -1
			} else {
				w[block], state[block] = hi, 1
			}
		}
	}
	return nil, fmt.Errorf("minimum variance of %d assets: %w after %d iterations", n, ErrNoConvergence, 20*n+100)
}

// eqpStep solves the equality-constrained step of the active-set method:
// the p on the free assets (zero elsewhere) that minimizes
// ½pᵀΣp + gᵀp subject to Σ_i p_i = 0, from its KKT system
//
//	[Σ_FF 1] [p_F]   [−g_F]
//	[1ᵀ   0] [ ν ] = [  0 ]
func eqpStep(s *mat.SymDense, g []float64, free []int) ([]float64, error) {
	m := len(free)
	a := mat.NewDense(m+1, m+1, nil)
	b := mat.NewVecDense(m+1, nil)
	for r, i := range free {
		for c, j := range free {
			a.Set(r, c, s.At(i, j))
		}
		a.Set(r, m, 1)
		a.Set(m, r, 1)
		b.SetVec(r, -g[i])
	}
	var x mat.VecDense
	if err := x.SolveVec(a, b); err != nil {
		return nil, fmt.Errorf("KKT system of %d free assets: %w", m, err)
	}
	return x.RawVector().Data[:m], nil
}

// gradientLevel returns λ, the common value of the gradient Σw over the
// free assets at the solution of the equality-constrained problem (their
// mean, which rounding aside they all equal). With no free asset any λ
// between the largest gradient of the assets at hi and the smallest of
// those at lo would do; it returns that smallest (or that largest when
// none is at lo), so that a violation shows at an asset at hi.
func gradientLevel(state []int8, g []float64, free []int) float64 {
	if len(free) > 0 {
		sum := 0.0
		for _, i := range free {
			sum += g[i]
		}
		return sum / float64(len(free))
	}
	lowest, highest := math.Inf(1), math.Inf(-1)
	for i, st := range state {
		if st < 0 {
			lowest = math.Min(lowest, g[i])
		} else {
			highest = math.Max(highest, g[i])
		}
	}
	if !math.IsInf(lowest, 1) {
		return lowest
	}
	return highest
}

// releasable returns the bound asset whose multiplier is most on the
// wrong side, or -1 when every multiplier has the right sign. An asset at
// lo must have a gradient of at least λ (raising it would cost more than
// the free assets), and one at hi a gradient of at most λ.
func releasable(state []int8, g []float64, lambda float64) int {
	worst, most := -1, multTol
	for i, st := range state {
		var v float64
		switch st {
		case -1:
			v = lambda - g[i]
		case 1:
			v = g[i] - lambda
		default:
			continue
		}
		if v > most {
			worst, most = i, v
		}
	}
	return worst
}

// maxAbs returns the largest absolute value in v, zero for none.
func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// indexOf returns the position of x in s, which must hold it.
func indexOf(s []int, x int) int {
	for k, v := range s {
		if v == x {
			return k
		}
	}
	return -1
}
