package strategy

import "github.com/quantloop/quantloop/indicator"

// SMA is the exact moving average of prices; see [indicator.PriceSMA].
type SMA = indicator.PriceSMA

// NewSMA returns a moving average over the last n prices. n must be
// positive; see [indicator.NewPriceSMA].
func NewSMA(n int) *SMA { return indicator.NewPriceSMA(n) }

// CompareSMA compares the averages of a and b exactly; see
// [indicator.ComparePriceSMA].
func CompareSMA(a, b *SMA) int { return indicator.ComparePriceSMA(a, b) }

// EMA is an exponential moving average seeded with the simple mean of its
// first n inputs; see [indicator.EMA].
type EMA = indicator.EMA

// NewEMA returns an exponential moving average of length n (n >= 1).
func NewEMA(n int) *EMA { return indicator.NewEMA(n) }

// MaxWindow is the longest indicator window a built-in strategy accepts
// from its params; see [indicator.MaxWindow].
const MaxWindow = indicator.MaxWindow
