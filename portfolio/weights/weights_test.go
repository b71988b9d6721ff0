package weights

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// sym returns the symmetric matrix of the rows, scaled by scale.
func sym(scale float64, rows ...[]float64) *mat.SymDense {
	s := mat.NewSymDense(len(rows), nil)
	for i, r := range rows {
		for j := i; j < len(r); j++ {
			s.SetSym(i, j, r[j]*scale)
		}
	}
	return s
}

// near fails the test unless got and want agree within tol, entry by entry.
func near(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Fatalf("%s: got %v, want %v (entry %d off by %g)", what, got, want, i, got[i]-want[i])
		}
	}
}

var (
	// twoUncorrelated has σ = 0.1 and 0.2 and no correlation.
	twoUncorrelated = sym(1, []float64{0.01, 0}, []float64{0, 0.04})
	// threeDiagonal has σ = 0.1, 0.2, 0.3 and no correlation.
	threeDiagonal = sym(1, []float64{0.01, 0, 0}, []float64{0, 0.04, 0}, []float64{0, 0, 0.09})
	// known3 × (15, 7, 9) = (83, 83, 83) × 1e-4, so its unconstrained
	// minimum-variance weights Σ⁻¹1/(1ᵀΣ⁻¹1) are (15, 7, 9)/31.
	known3 = sym(1e-4, []float64{4, 2, 1}, []float64{2, 5, 2}, []float64{1, 2, 6})
	// hedged pairs σ = 1 and 2 at correlation 0.9 with an uncorrelated
	// third asset of σ = 1. Unconstrained, Σ⁻¹1 = (2.2/0.76, −0.8/0.76, 1):
	// the second asset is shorted.
	hedged = sym(1, []float64{1, 1.8, 0}, []float64{1.8, 4, 0}, []float64{0, 0, 1})
)

func TestWeights(t *testing.T) {
	third := 1.0 / 3
	for _, tc := range []struct {
		name   string
		method Method
		cov    *mat.SymDense
		c      Constraints
		want   []float64
	}{
		{"equal", EqualWeight, threeDiagonal, Constraints{}, []float64{third, third, third}},
		{"equal capped below 1/n: the rest is cash", EqualWeight, threeDiagonal, Constraints{MaxWeight: 0.25}, []float64{0.25, 0.25, 0.25}},
		{"equal, cap above 1/n does not bind", EqualWeight, threeDiagonal, Constraints{MaxWeight: 0.4}, []float64{third, third, third}},
		// 1/σ = (10, 5): (2/3, 1/3).
		{"inverse vol, two uncorrelated", InverseVolatility, twoUncorrelated, Constraints{}, []float64{2.0 / 3, 1.0 / 3}},
		// 1/σ² = (100, 25): (0.8, 0.2).
		{"min variance, two uncorrelated", MinimumVariance, twoUncorrelated, Constraints{}, []float64{0.8, 0.2}},
		// Zero correlation: RC_i = w_i²σ_i² equal, so w ∝ 1/σ.
		{"risk parity, two uncorrelated", EqualRiskContribution, twoUncorrelated, Constraints{}, []float64{2.0 / 3, 1.0 / 3}},
		// For two assets w ∝ 1/σ at any correlation: RC_1 = w1²σ1² + w1w2ρσ1σ2
		// equals RC_2 = w2²σ2² + w1w2ρσ1σ2 when w1σ1 = w2σ2.
		{"risk parity, two correlated", EqualRiskContribution, sym(1, []float64{1, 1.8}, []float64{1.8, 4}), Constraints{}, []float64{2.0 / 3, 1.0 / 3}},
		// 1/σ = (10, 5, 10/3): (6, 3, 2)/11; capped at 0.5 the excess 1/22
		// goes 3:2 to the others: 3/11 + 3/110 = 0.3 and 2/11 + 2/110 = 0.2.
		{"inverse vol capped", InverseVolatility, threeDiagonal, Constraints{MaxWeight: 0.5}, []float64{0.5, 0.3, 0.2}},
		{"min variance, known 3×3, closed form", MinimumVariance, known3, Constraints{Short: true}, []float64{15.0 / 31, 7.0 / 31, 9.0 / 31}},
		{"min variance, known 3×3, long-only does not bind", MinimumVariance, known3, Constraints{}, []float64{15.0 / 31, 7.0 / 31, 9.0 / 31}},
		// Asset 0 at 0.4; the others share 0.6 with equal gradients:
		// 0.8 + 5w1 + 2w2 = 0.4 + 2w1 + 6w2 gives w2 = 11/35, w1 = 2/7.
		{"min variance, known 3×3, max weight binds", MinimumVariance, known3, Constraints{MaxWeight: 0.4}, []float64{0.4, 2.0 / 7, 11.0 / 35}},
		{"min variance, hedged, short allowed", MinimumVariance, hedged, Constraints{Short: true},
			[]float64{2.2 / 0.76 / (1.4/0.76 + 1), -0.8 / 0.76 / (1.4/0.76 + 1), 1 / (1.4/0.76 + 1)}},
		// Long-only holds the second asset at zero; the two uncorrelated
		// unit-variance assets left split evenly.
		{"min variance, hedged, long-only binds", MinimumVariance, hedged, Constraints{}, []float64{0.5, 0, 0.5}},
		// 1/σ² = (100, 25, 100/9); capped at 0.5, the other two share 0.5 in
		// proportion 25 : 100/9 = 9 : 4.
		{"min variance, diagonal, max weight binds", MinimumVariance, threeDiagonal, Constraints{MaxWeight: 0.5}, []float64{0.5, 9.0 / 26, 4.0 / 26}},
		{"min variance, the cap forces the shorted asset back in", MinimumVariance, hedged, Constraints{MaxWeight: 0.45}, []float64{0.45, 0.1, 0.45}},
		{"min variance, cap at exactly 1/n", MinimumVariance, known3, Constraints{MaxWeight: 0.5 / 1.5}, []float64{third, third, third}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.method.Weights(tc.cov, tc.c)
			if err != nil {
				t.Fatal(err)
			}
			near(t, tc.method.String(), got, tc.want, 1e-9)
		})
	}
}

// TestRiskParityContributions recomputes RC_i = w_i (Σw)_i for correlated
// assets, where no closed form exists, and checks that they are equal.
func TestRiskParityContributions(t *testing.T) {
	for _, tc := range []struct {
		name string
		cov  *mat.SymDense
	}{
		{"known 3×3", known3},
		{"negative correlation", sym(1e-4, []float64{4, -3, 1}, []float64{-3, 9, 2}, []float64{1, 2, 16})},
		{"hedged", hedged},
		{"five assets", sym(1e-4,
			[]float64{4, 1.2, 0.5, -0.4, 1},
			[]float64{1.2, 9, 2, 0.3, 1.5},
			[]float64{0.5, 2, 16, 1, -2},
			[]float64{-0.4, 0.3, 1, 2.25, 0.2},
			[]float64{1, 1.5, -2, 0.2, 6.25})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := RiskParity(tc.cov, Constraints{})
			if err != nil {
				t.Fatal(err)
			}
			n := len(w)
			var sw mat.VecDense
			sw.MulVec(tc.cov, mat.NewVecDense(n, w))
			total, sum := mat.Dot(mat.NewVecDense(n, w), &sw), 0.0
			for i := range w {
				sum += w[i]
				if w[i] <= 0 {
					t.Fatalf("weight %d is %v, want positive", i, w[i])
				}
				rc := w[i] * sw.AtVec(i)
				if math.Abs(rc-total/float64(n)) > 1e-9*total {
					t.Errorf("RC_%d = %v, want %v (variance / n); weights %v", i, rc, total/float64(n), w)
				}
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("weights sum to %v", sum)
			}
		})
	}
}

func TestRiskParityCapped(t *testing.T) {
	// Uncorrelated σ = 0.1, 0.2, 0.3: ERC is ∝ 1/σ = (6, 3, 2)/11, capped
	// as in the inverse-volatility case.
	w, err := RiskParity(threeDiagonal, Constraints{MaxWeight: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "risk parity capped", w, []float64{0.5, 0.3, 0.2}, 1e-9)
}

func TestWeightErrors(t *testing.T) {
	// Two returns of three assets: the sample covariance has rank 1.
	short, err := Covariance(mat.NewDense(2, 3, []float64{0.01, 0.02, -0.01, 0.03, -0.01, 0.02}))
	if err != nil {
		t.Fatal(err)
	}
	zeroVol := sym(1, []float64{0.01, 0}, []float64{0, 0})
	for _, tc := range []struct {
		name string
		run  func() ([]float64, error)
		want error
	}{
		{"inverse vol, zero variance", func() ([]float64, error) { return InverseVol(zeroVol, Constraints{}) }, ErrZeroVolatility},
		{"min variance, zero variance", func() ([]float64, error) { return MinVariance(zeroVol, Constraints{}) }, ErrSingular},
		{"min variance, fewer returns than assets", func() ([]float64, error) { return MinVariance(short, Constraints{}) }, ErrSingular},
		{"risk parity, fewer returns than assets", func() ([]float64, error) { return RiskParity(short, Constraints{}) }, ErrSingular},
		{"perfectly correlated", func() ([]float64, error) {
			return MinVariance(sym(1, []float64{1, 2}, []float64{2, 4}), Constraints{})
		}, ErrSingular},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := tc.run()
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, %v; want error %v", w, err, tc.want)
			}
		})
	}
	for _, c := range []Constraints{{MaxWeight: -0.1}, {MaxWeight: 1.5}, {MaxWeight: math.NaN()}} {
		if _, err := Equal(2, c); err == nil {
			t.Errorf("Equal with %+v: no error", c)
		}
	}
	if _, err := Equal(0, Constraints{}); err == nil {
		t.Error("Equal(0): no error")
	}
	// Shrinking makes the rank-1 estimate usable; with the covariances
	// gone entirely, minimum variance is ∝ 1/σ².
	diag, err := ShrinkDiagonal(short, 1)
	if err != nil {
		t.Fatal(err)
	}
	w, err := MinVariance(diag, Constraints{})
	if err != nil {
		t.Fatal(err)
	}
	inv := []float64{1 / short.At(0, 0), 1 / short.At(1, 1), 1 / short.At(2, 2)}
	s := inv[0] + inv[1] + inv[2]
	near(t, "min variance of the shrunk estimate", w, []float64{inv[0] / s, inv[1] / s, inv[2] / s}, 1e-12)
}

func TestReturnsAndCovariance(t *testing.T) {
	r, err := Returns([][]float64{{100, 110, 99}, {50, 50, 55}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "returns", r.RawMatrix().Data, []float64{0.1, 0, -0.1, 0.1}, 1e-15)

	// Means 0.01 and 0.01; deviations (0, .02, -.02) and (.01, -.03, .02);
	// divided by T − 1 = 2: var 0.0008/2, 0.0014/2, cov -0.001/2.
	cov, err := Covariance(mat.NewDense(3, 2, []float64{0.01, 0.02, 0.03, -0.02, -0.01, 0.03}))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "covariance", []float64{cov.At(0, 0), cov.At(0, 1), cov.At(1, 1)}, []float64{0.0004, -0.0005, 0.0007}, 1e-15)

	for _, bad := range [][][]float64{nil, {{1}}, {{1, 2}, {1}}, {{1, 0}}, {{1, math.Inf(1)}}, {{1, math.NaN()}}} {
		if _, err := Returns(bad); err == nil {
			t.Errorf("Returns(%v): no error", bad)
		}
	}
	if _, err := Covariance(mat.NewDense(1, 2, nil)); !errors.Is(err, ErrTooFewReturns) {
		t.Errorf("one return: %v, want ErrTooFewReturns", err)
	}
	if _, err := ShrinkDiagonal(cov, 1.5); err == nil {
		t.Error("lambda 1.5: no error")
	}
}

func TestTop(t *testing.T) {
	scores := []float64{0.1, math.NaN(), 0.3, 0.1, -0.2}
	for _, tc := range []struct {
		k    int
		want []int
	}{{2, []int{2, 0}}, {3, []int{2, 0, 3}}, {9, []int{2, 0, 3, 4}}, {0, []int{}}, {-1, []int{}}} {
		got := Top(scores, tc.k)
		if len(got) != len(tc.want) {
			t.Fatalf("Top(%d) = %v, want %v", tc.k, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("Top(%d) = %v, want %v", tc.k, got, tc.want)
			}
		}
	}
}

func TestParseMethod(t *testing.T) {
	for m := EqualWeight; m <= EqualRiskContribution; m++ {
		got, err := ParseMethod(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseMethod("momentum"); err == nil {
		t.Error("ParseMethod(momentum): no error")
	}
}

func TestFromCloses(t *testing.T) {
	// Asset 0 alternates +10 % and −10 %, asset 1 +5 % and −5 %, in step:
	// perfectly correlated, so only the diagonal methods work.
	closes := [][]float64{{100, 110, 99, 108.9}, {100, 105, 99.75, 104.7375}}
	w, err := InverseVolatility.FromCloses(closes, Constraints{})
	if err != nil {
		t.Fatal(err)
	}
	// σ ∝ (10, 5): w ∝ (1/10, 1/5) = (1/3, 2/3).
	near(t, "inverse vol", w, []float64{1.0 / 3, 2.0 / 3}, 1e-9)
	if _, err := MinimumVariance.FromCloses(closes, Constraints{}); !errors.Is(err, ErrSingular) {
		t.Errorf("min variance of perfectly correlated assets: %v, want ErrSingular", err)
	}
	// Equal weight needs no history.
	w, err = EqualWeight.FromCloses([][]float64{{1}, {2}, {3}, {4}}, Constraints{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "equal", w, []float64{0.25, 0.25, 0.25, 0.25}, 0)
	if _, err := RiskParity(mat.NewSymDense(1, []float64{1}), Constraints{}); err != nil {
		t.Errorf("one asset: %v", err)
	}
	if _, err := InverseVolatility.FromCloses([][]float64{{1, 2}}, Constraints{}); !errors.Is(err, ErrTooFewReturns) {
		t.Errorf("two closes: %v, want ErrTooFewReturns", err)
	}
}
