// Package metrics computes backtest performance metrics on plain return
// series, following the project specification in METRICS.md.
//
// Every summary metric takes simple (not log) per-period returns as a
// [Column] and, where annualization is needed, the number of periods per
// year P as a float64 (see [Daily], [Weekly], [Monthly], [Quarterly],
// [Yearly] and [InferPeriodsPerYear]). The package does not depend on any
// other quantloop package and holds no mutable global state; all functions
// are safe for concurrent use (on columns that are).
//
// # Columns and memory
//
// A [Column] is a series read in order, in chunks of [ChunkLen] values, any
// number of times; [Times] is the same for timestamps. [Slice] and
// [TimeSlice] wrap series held in memory, and a storage-backed
// implementation can serve series larger than memory. Every function that
// takes a Column reads it in a fixed, small number of ordered passes and
// allocates working memory independent of its length: at most a few MB
// for the order statistics of [Percentile], [ValueAtRisk],
// [ConditionalValueAtRisk], [TailRatio] and [BetaFragilityHeuristic] (found
// by selection, not sorting), O(number of calendar periods) for
// [AggregateReturns], O(top) for [TopDrawdowns], O(window) for [RollingAt]
// and [RollingSharpe], and [DrawdownPeriods] yields its periods one at a
// time.
// The selection orders -0 before +0, and CVaR is exactly rounded (see
// [ConditionalValueAtRisk]). Derived series, such as [Shift] (excess
// returns over a constant rate), are computed on the fly.
//
// Computing many metrics of one series, as a report does, takes fewer
// passes with [Summarize] (every single-series metric in three passes),
// [Calendar] (calendar aggregation and dated drawdown periods in one pass)
// and [Compare] (every benchmark metric in three passes), or with the
// smaller [ComputeMoments], [ComputeWealth], [ComputeTailStats] and
// [UpDownCapture]. They run the same per-value code as the single-metric
// functions, so their results are exactly equal.
//
// Functions returning one value per period ([SimpleReturns],
// [SimpleReturnsFrom], [CumReturns], [DrawdownSeries], [ExcessReturns],
// [Rolling], [RollingPair]) keep taking and returning slices, as do the
// trade statistics.
//
// # References
//
// The formulas follow the Python reference libraries named in METRICS.md:
// empyrical (quantopian/empyrical@40f61b4, empyrical/stats.py and
// empyrical/periods.py), empyrical-reloaded (stefan-jansen/empyrical-reloaded
// @efe6066, src/empyrical/stats.py), pyfolio (quantopian/pyfolio@4b901f6,
// pyfolio/timeseries.py), quantstats (ranaroussi/quantstats@fbd10da) and
// scipy.stats. Each function's doc comment names the reference function it
// follows and the METRICS.md section that specifies it.
//
// # Missing values and edge cases
//
// NaN entries are accepted everywhere and are handled per METRICS.md §1.3
// (empyrical semantics): compounding metrics treat NaN as a zero return,
// moment-based metrics skip NaN, and the minimum-length guards of §1.4 look at
// the total length, NaN rows included. Division follows IEEE-754 (§1.5): a
// ratio with a zero denominator is ±Inf, or NaN for 0/0, and is never clamped
// or replaced. When all valid values are equal the standard deviation is
// exactly 0 (the zero-volatility rule of §1.5), so for example the Sharpe
// ratio of three returns of 0.1 is +Inf rather than about 1e16.
//
// Functions that take two aligned series (a strategy and a benchmark, or a
// return and a per-period rate) panic if the lengths differ; aligning series
// by date is the caller's job. A storage-backed Column reports its read
// errors itself (see [Column]); check them after computing metrics.
//
// # Numerics
//
// Per METRICS.md §1.6, sums and means use Neumaier compensated summation in
// index order, standard deviations are two-pass, and percentiles reproduce
// numpy's default "linear" rule bit for bit. Products that feed a sum are
// explicitly rounded so that no platform fuses them into FMA instructions.
//
// The normal distribution of [ProbabilisticSharpe] and [DeflatedSharpe] is
// gonum's (gonum.org/v1/gonum/stat/distuv). The reductions are written here
// instead of taken from gonum's stat and floats packages: floats.Sum and
// stat.Mean add without compensation, and floats.Sum uses an unrolled
// assembly kernel whose order is not the index order; floats.SumCompensated
// is Neumaier summation but needs the values materialized in a slice (here
// NaN rows are skipped and rates subtracted on the fly, without allocating)
// and returns NaN for a sum holding a single ±Inf, where IEEE summation
// gives ±Inf (§1.5); and gonum/stat has no zero-volatility rule and uses
// bias-corrected higher moments, not scipy's.
package metrics
