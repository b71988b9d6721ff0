package weights

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomCov returns a random positive definite n×n covariance matrix:
// AᵀA/k plus a small ridge, for a k×n matrix A of normal draws, column j
// scaled by 0.5 + j/4.
func randomCov(rng *rand.Rand, n int) *mat.SymDense {
	return randomCovScaled(rng, n, func(j int) float64 { return 0.5 + 0.25*float64(j) }, 0.05)
}

// randomCovScaled is randomCov with column j of A scaled by scale(j) and
// ridge added to the diagonal.
func randomCovScaled(rng *rand.Rand, n int, scale func(j int) float64, ridge float64) *mat.SymDense {
	k := n + 3
	a := mat.NewDense(k, n, nil)
	for i := range k {
		for j := range n {
			a.Set(i, j, rng.NormFloat64()*scale(j))
		}
	}
	var s mat.SymDense
	s.SymOuterK(1/float64(k), a.T())
	for i := range n {
		s.SetSym(i, i, s.At(i, i)+ridge)
	}
	return &s
}

// projectedGradient minimizes wᵀΣw over Σw_i = 1, lo ≤ w_i ≤ hi by
// projected gradient descent: an independent, slow check of MinVariance.
func projectedGradient(s *mat.SymDense, lo, hi float64) []float64 {
	n := s.SymmetricDim()
	var eig mat.EigenSym
	eig.Factorize(s, false)
	vals := eig.Values(nil)
	step := 1 / (2 * vals[len(vals)-1])
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	g := mat.NewVecDense(n, nil)
	wv := mat.NewVecDense(n, w)
	for range 20000 {
		g.MulVec(s, wv)
		for i := range w {
			w[i] -= step * 2 * g.AtVec(i)
		}
		project(w, lo, hi)
	}
	return w
}

// project replaces v by its Euclidean projection on Σw_i = 1,
// lo ≤ w_i ≤ hi: w_i = clip(v_i − τ) with τ found by bisection.
func project(v []float64, lo, hi float64) {
	sum := func(tau float64) float64 {
		s := 0.0
		for _, x := range v {
			s += math.Min(hi, math.Max(lo, x-tau))
		}
		return s
	}
	a, b := -10.0, 10.0
	for range 60 {
		m := (a + b) / 2
		if sum(m) > 1 {
			a = m
		} else {
			b = m
		}
	}
	tau := (a + b) / 2
	for i, x := range v {
		v[i] = math.Min(hi, math.Max(lo, x-tau))
	}
}

func TestMinVarianceAgainstProjectedGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 12 {
		n := 3 + trial%4
		cov := randomCov(rng, n)
		maxW := []float64{0, 0.4, 0.3}[trial%3]
		c := Constraints{MaxWeight: maxW}
		hi := 10.0
		if maxW > 0 {
			hi = maxW
		}
		got, err := MinVariance(cov, c)
		if err != nil {
			t.Fatal(err)
		}
		s, err := normalized(cov, "test")
		if err != nil {
			t.Fatal(err)
		}
		want := projectedGradient(s, 0, hi)
		near(t, "min variance vs projected gradient", got, want, 1e-6)
	}
}

func TestRiskParityRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		n := 2 + rng.IntN(20)
		cov := randomCov(rng, n)
		w, err := RiskParity(cov, Constraints{})
		if err != nil {
			t.Fatal(err)
		}
		var sw mat.VecDense
		sw.MulVec(cov, mat.NewVecDense(n, w))
		variance := mat.Dot(mat.NewVecDense(n, w), &sw)
		for i := range w {
			if rc := w[i] * sw.AtVec(i); math.Abs(rc-variance/float64(n)) > 1e-9*variance {
				t.Fatalf("%d assets: RC_%d = %v, want %v; weights %v", n, i, rc, variance/float64(n), w)
			}
		}
	}
}
