// Package weights builds portfolio weights from a set of assets and the
// covariance of their returns: equal weight, inverse volatility, minimum
// variance and equal risk contribution (risk parity), under a long-only
// and a maximum-weight constraint.
//
// Weights are float64 fractions of equity, in the order of the assets of
// the covariance matrix; a positive weight is a long holding and a
// negative one a short. They sum to one unless a maximum weight below
// 1/n makes that impossible, in which case the rest is cash (see
// Constraints). Every function is deterministic: it reads its inputs in
// index order and its iterative solvers run under fixed tolerances and
// iteration limits.
//
// A typical use at a rebalance: rank the assets by a score and keep the
// best with Top, then pass the chosen assets' closes over a lookback to a
// Method's FromCloses, which turns them into returns (Returns), estimates
// their covariance (Covariance) and calls the method. To shrink the
// estimate first (ShrinkDiagonal), make those steps by hand and call the
// Method's Weights.
package weights
