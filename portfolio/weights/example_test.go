package weights_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/quantloop/quantloop/portfolio/weights"
)

// Two uncorrelated assets with volatilities 10 % and 20 %: inverse
// volatility and risk parity weight them ∝ 1/σ, minimum variance ∝ 1/σ².
func Example() {
	cov := mat.NewSymDense(2, []float64{
		0.01, 0,
		0, 0.04,
	})
	for _, m := range []weights.Method{weights.EqualWeight, weights.InverseVolatility, weights.MinimumVariance, weights.EqualRiskContribution} {
		w, err := m.Weights(cov, weights.Constraints{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-12s %.4f\n", m, w)
	}
	// Output:
	// equal        [0.5000 0.5000]
	// inverse_vol  [0.6667 0.3333]
	// min_variance [0.8000 0.2000]
	// risk_parity  [0.6667 0.3333]
}

// From closes to weights: returns over the lookback, their sample
// covariance, then minimum variance, long-only with at most 60 % in one
// asset.
func ExampleMinVariance() {
	closes := [][]float64{
		{100, 101, 99, 102, 103, 101},
		{50, 52, 49, 53, 55, 52},
		{20, 20.1, 20.3, 20.2, 20.4, 20.5},
	}
	r, err := weights.Returns(closes)
	if err != nil {
		fmt.Println(err)
		return
	}
	cov, err := weights.Covariance(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, err := weights.MinVariance(cov, weights.Constraints{MaxWeight: 0.6})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", w)
	// Output: [0.4000 0.0000 0.6000]
}

// Rank by score and keep the best two; ties go to the lower index.
func ExampleTop() {
	momentum := []float64{0.12, 0.30, 0.12, -0.05}
	fmt.Println(weights.Top(momentum, 2))
	// Output: [1 0]
}

// A cap below 1/n leaves the rest in cash.
func ExampleEqual() {
	w, _ := weights.Equal(4, weights.Constraints{MaxWeight: 0.2})
	fmt.Println(w)
	// Output: [0.2 0.2 0.2 0.2]
}
