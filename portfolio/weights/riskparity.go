package weights

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Settings of RiskParity's solver, on the covariance matrix scaled to a
// mean variance of one.
const (
	// rpSearchTol is the gradient, in the largest entry of
	// y_i(Σy)_i − 1, at which optimize.Newton hands over to full Newton
	// steps: far smaller, its line search can no longer tell function
	// values apart.
	rpSearchTol = 1e-4
	// rpIterations caps optimize.Newton's iterations.
	rpIterations = 200
	// rpGradTol is the largest gradient entry accepted at the solution.
	rpGradTol = 1e-10
	// rpPolish caps the full Newton steps after optimize.Newton.
	rpPolish = 10
)

// RiskParity returns the long-only equal risk contribution weights: those
// whose risk contributions
//
//	RC_i = w_i (Σw)_i
//
// are equal for every asset (the RC_i sum to the variance wᵀΣw). With
// zero correlations they are the inverse-volatility weights,
// w_i ∝ 1/σ_i. The weights are w = y / Σ_i y_i for the unique y > 0 with
// y_i (Σy)_i = 1, the minimizer of the strictly convex
//
//	f(y) = ½ yᵀΣy − Σ_i ln y_i
//
// (Maillard, Roncalli and Teïletche, 2010; Spinu, 2013). It is found over
// x = ln y, which keeps y positive, starting from the inverse-volatility
// weights: gonum's optimize.Newton with a backtracking line search runs
// until every gradient entry y_i(Σy)_i − 1 is within 1e-4, for at most
// 200 iterations, then at most 10 full Newton steps must bring it within
// 1e-10; otherwise the result is ErrNoConvergence.
//
// Σ must be positive definite (else ErrSingular; see MinVariance). Under
// a maximum weight the weights are capped as by Cap: the capped assets
// then contribute less risk than the others, whose weights keep their
// ratios. A maximum weight below 1/n gives MaxWeight for every asset (see
// Constraints).
func RiskParity(cov mat.Symmetric, c Constraints) ([]float64, error) {
	n := cov.SymmetricDim()
	if err := check(n, c); err != nil {
		return nil, err
	}
	if w, ok := c.capped(n); ok {
		return w, nil
	}
	s, err := normalized(cov, "risk parity")
	if err != nil {
		return nil, err
	}
	y := make([]float64, n)
	sy := mat.NewVecDense(n, nil)
	// eval sets y = exp(x) and sy = Σy.
	eval := func(x []float64) {
		for i, v := range x {
			y[i] = math.Exp(v)
		}
		sy.MulVec(s, mat.NewVecDense(n, y))
	}
	// grad sets g = ∇f(x): g_i = y_i (Σy)_i − 1.
	grad := func(g, x []float64) {
		eval(x)
		for i := range x {
			g[i] = y[i]*sy.AtVec(i) - 1
		}
	}
	// hess sets h = ∇²f(x): h_ij = y_i Σ_ij y_j + [i = j] y_i (Σy)_i.
	hess := func(h *mat.SymDense, x []float64) {
		eval(x)
		for i := range n {
			for j := i; j < n; j++ {
				v := y[i] * s.At(i, j) * y[j]
				if i == j {
					v += y[i] * sy.AtVec(i)
				}
				h.SetSym(i, j, v)
			}
		}
	}
	problem := optimize.Problem{
		Func: func(x []float64) float64 {
			eval(x)
			f := 0.0
			for i, v := range x {
				f += 0.5*y[i]*sy.AtVec(i) - v
			}
			return f
		},
		Grad: grad,
		Hess: hess,
	}
	// Start from the inverse-volatility weights, scaled so that
	// Σ_i y_i(Σy)_i = n, the value at the solution.
	x0 := make([]float64, n)
	for i := range x0 {
		x0[i] = 1 / math.Sqrt(s.At(i, i))
	}
	v := mat.Inner(mat.NewVecDense(n, x0), s, mat.NewVecDense(n, x0))
	for i := range x0 {
		x0[i] = math.Log(x0[i] * math.Sqrt(float64(n)/v))
	}
	settings := &optimize.Settings{
		GradientThreshold: rpSearchTol,
		MajorIterations:   rpIterations,
		Converger:         optimize.NeverTerminate{},
	}
	res, err := optimize.Minimize(problem, x0, settings, &optimize.Newton{Linesearcher: &optimize.Backtracking{}})
	if res == nil {
		return nil, fmt.Errorf("risk parity: %w", err)
	}
	// Polish with full Newton steps, x ← x − H⁻¹∇f, which need no line
	// search and converge quadratically close to the solution. They start
	// from where optimize.Newton stopped, also when its line search failed
	// first (on a badly conditioned Σ); a start too far away fails the
	// gradient test below.
	x, g := res.X, make([]float64, n)
	h := mat.NewSymDense(n, nil)
	for step := 0; ; step++ {
		grad(g, x)
		if maxAbs(g) < rpGradTol {
			break
		}
		var chol mat.Cholesky
		hess(h, x)
		if step == rpPolish || !chol.Factorize(h) {
			return nil, fmt.Errorf("risk parity of %d assets: %w (gradient %.3g after %d Newton steps)", n, ErrNoConvergence, maxAbs(g), step)
		}
		var d mat.VecDense
		if err := chol.SolveVecTo(&d, mat.NewVecDense(n, g)); err != nil {
			return nil, fmt.Errorf("risk parity of %d assets: Newton step: %w", n, err)
		}
		for i := range x {
			x[i] -= d.AtVec(i)
		}
	}
	w := make([]float64, n)
	sum := 0.0
	for i, v := range x {
		w[i] = math.Exp(v)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return Cap(w, c.MaxWeight), nil
}
