// Package indicator provides streaming technical indicators: each one is
// updated with one input at a time, in O(1) time (amortized O(1) for
// Highest and Lowest, O(log n) for CCI, whose mean deviation needs order
// statistics), and allocates nothing after it is made.
//
// # Conventions
//
// Every indicator has Ready, which reports whether it has a value, and
// WarmUp, the number of inputs it consumes before its first value (the
// TA-Lib "lookback"): an indicator with WarmUp() == w is Ready after w+1
// inputs. Value returns 0 before Ready. Where libraries differ, the
// indicators follow TA-Lib: an EMA is seeded with the simple mean of its
// first n inputs, Wilder smoothing is seeded with the simple mean of its
// first n terms, and standard deviations are population deviations
// (divided by n). Where TA-Lib writes 0 for a ratio whose denominator is
// zero and 0 is not the neutral value (RSI, Stochastic, Williams %R,
// %B), the indicators write the neutral value instead; each doc comment
// says which.
//
// Update ignores a NaN input: the indicator's state and value are those
// before the call, so a series with NaN gaps gives the values of the
// series with the gaps removed. A bar indicator (UpdateBar) is fed whole
// bars, whose prices are never NaN.
//
// # Composition
//
// An [Indicator] takes float64 inputs; a [BarIndicator] takes bars. [On]
// feeds an Indicator from a bar [Field] (open, high, low, close, volume,
// typical or median price), [Of] feeds it from another BarIndicator's
// value, and [Pipe] from another Indicator's value, so that RSI of an SMA
// or an SMA of ATR are one value each:
//
//	rsiOfSMA := indicator.Of(indicator.NewRSI(14), indicator.On(indicator.NewSMA(10), indicator.Close))
//	smaOfATR := indicator.Of(indicator.NewSMA(20), indicator.NewATR(14))
//
// A composite's warm-up is the sum of its parts'. An indicator with
// several outputs (MACD, Bollinger bands, ...) passes on its first one,
// named in its doc comment.
//
// [ParseSpec] turns a text such as "macd:12:26:9" into a [Computed] with
// named output columns, and [WriteCSV] writes every bar's values of a list
// of them.
package indicator
