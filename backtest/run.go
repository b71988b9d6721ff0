// Package backtest wires the engine, a data feed, a strategy, the
// portfolio and the simulated broker into one run and collects its
// results. It is the library entry point:
//
//	res, err := backtest.Run(ctx, cfg)            // built-in strategy, CSV files
//	res, err := backtest.RunFeed(ctx, cfg, f, s)  // any feed, any Strategy
package backtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/metrics"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/risk"
	"github.com/quantloop/quantloop/strategy"
)

// Run opens cfg.Data.Files, makes the built-in strategy cfg.Strategy.Name
// (or replays cfg.Strategy.Orders) and runs it. Errors in the
// configuration or the data's headers come back before anything runs,
// with a nil Result. An error met during the run (a bad row
// in a data file, an interrupt) comes back with the Result so far, marked
// Partial.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	return Options{}.Run(ctx, cfg)
}

// RunFeed runs strat over feed with cfg's money, sizing and cost settings.
// cfg.Data and cfg.Strategy are recorded in the result; of them only
// cfg.Data.From and cfg.Data.To are used, to restrict the run to a range
// of dates.
// cfg is validated first (Config.Validate); its zero values are the
// defaults.
func RunFeed(ctx context.Context, cfg Config, feed engine.Feed, strat strategy.Strategy) (*Result, error) {
	return Options{}.RunFeed(ctx, cfg, feed, strat)
}

// Sink receives a run's records as they become final: each equity point
// as it is made, each fill with the label of its order ("" when the order
// has none), each trade when it closes (open ones at the end), each order
// when it is filled, rejected or canceled (those still working at the
// end, as unfilled, by ID). An argument is valid only during the call.
type Sink interface {
	WriteEquity(p *EquityPoint) error
	WriteFill(f *engine.FillEvent, label string) error
	WriteTrade(t *portfolio.Trade) error
	WriteOrder(o *OrderRecord) error
}

// A BarSink is a Sink that is also handed the bars of every timestamp, as
// the run sees them, before that timestamp's equity point. The bars are
// valid only during the call. report.Writer keeps their closes for the
// report's exposure, so that it need not read the data files again.
type BarSink interface {
	Sink
	WriteBars(bars []engine.Bar) error
}

// Options change how a run delivers its results. The zero value keeps
// everything in the Result.
type Options struct {
	// Sink, if set, receives every record, and the Result keeps none of
	// them (Streamed is true). The Result's Curve then keeps only its
	// last points in memory and the rest in a temporary file, so that
	// memory does not grow with the length of the data; call
	// Result.Close when done with it. A sink error ends the run.
	Sink Sink
	// Benchmark is the symbol of the run's benchmark when the benchmark
	// is one of the feed's symbols: each equity point then carries its
	// bar (EquityPoint.Benchmark). Run sets it from Config; a caller of
	// RunFeed whose feed holds the benchmark sets it.
	Benchmark string
	// Until, if not zero, ends the data at the last bar time at or before
	// it, as if the files ended there: the run's last timestamp is then
	// that time (see untilFeed). The look-ahead audit's truncated runs
	// use it.
	Until time.Time
	// Observe, if set, is called with the run's engine once every
	// component is wired and before the first bar, so that an observer
	// can subscribe to the bus (the look-ahead audit records the orders
	// sent).
	Observe func(*engine.Engine)
	// Times, if not zero, is how many bar times the feed delivers, when
	// the caller knows it (a sweep's bars are read before its runs): a
	// run without a Sink allocates the Result's equity points and curve
	// for them at once instead of growing them.
	Times int
	// Equity, if it has room, is the array the equity points of a run
	// without a Sink (Result.Equity) are put in, instead of one made for
	// them: an earlier run's Result.Equity that its caller has finished
	// with, cut to length 0, as a sweep's worker hands it from one run
	// to the next.
	Equity []EquityPoint
	// Curve, if set with Times, is an earlier run's Result.Curve that
	// its caller has finished with: a run without a Sink puts its curve
	// in that curve's memory, when it held all its points there, instead
	// of memory of its own, as a sweep's worker hands it from one run to
	// the next. The earlier curve must not be used afterwards.
	Curve *Curve
	// NoOrdersFills, if set, leaves Result.Orders and Result.Fills
	// empty in a run without a Sink: they are counted (Result.Counts)
	// but not kept, for a caller that uses only the other records (a
	// sweep whose store keeps neither).
	NoOrdersFills bool
	// Periods, if set, holds the periods per year that an earlier run
	// inferred from its first bar times: a run that infers its own
	// (Config.Analysis.PeriodsPerYear is 0) takes that value when its
	// first times are the same, in the same location, and otherwise
	// infers it and keeps it there. A sweep's worker hands one to each
	// of its runs.
	Periods *PeriodsCache
}

// Run is Run with o's options.
func (o Options) Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.UseCatalog(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var strat strategy.Strategy
	var orders *strategy.OrdersSummary
	if cfg.Strategy.Orders != "" {
		r, sum, closeOrders, err := openOrders(cfg)
		if err != nil {
			return nil, err
		}
		defer closeOrders()
		cfg.Strategy.Name, cfg.Strategy.Params = "orders", strategy.Params{}
		strat, orders = r, sum
	} else {
		if cfg.Strategy.Name == "" {
			cfg.Strategy.Name = DefaultStrategy
		}
		s, err := cfg.NewStrategy()
		if err != nil {
			return nil, err
		}
		strat = s
	}
	if len(cfg.Data.Files) == 0 {
		return nil, errors.New("data.files: no data files given")
	}
	feed, err := cfg.OpenData()
	if err != nil {
		return nil, err
	}
	defer feed.Close()
	if orders != nil {
		if err := ordersHaveData(cfg.Strategy.Orders, orders, feed.Symbols()); err != nil {
			return nil, err
		}
	}
	if i := slices.Index(cfg.Data.Paths(), cfg.BenchmarkFile()); i >= 0 {
		o.Benchmark = feed.Symbol(i)
	}
	src := readAhead(feed, cfg)
	pf, ahead := src.(*data.Prefetcher)
	if ahead {
		defer pf.Close() // before feed.Close, deferred earlier
	}
	res, err := o.RunFeed(ctx, cfg, src, strat)
	if ahead {
		pf.Close() // before the feed is asked what it read
	}
	if res != nil {
		res.SkippedRows, res.SkippedErrors = feed.Skipped(maxSkippedErrors)
		res.Inputs, _ = feed.Digests() // a file without a digest is missing; see Result.Inputs
	}
	return res, err
}

// readAhead returns the feed a run of cfg reads feed through: a
// data.Prefetcher, which merges on a goroutine of its own the sources
// that feed.ReadAhead decodes on a goroutine each, or feed itself when cfg
// skips bad rows, whose count must not depend on how far a read-ahead got
// when the run stopped.
func readAhead(feed *data.Merged, cfg Config) engine.Feed {
	if cfg.Data.OnBadRow == data.SkipBadRow {
		return feed
	}
	feed.ReadAhead()
	return data.Prefetch(feed)
}

// maxSkippedErrors is how many skipped rows a Result names.
const maxSkippedErrors = 5

// RunFeed is RunFeed with o's options.
func (o Options) RunFeed(ctx context.Context, cfg Config, feed engine.Feed, strat strategy.Strategy) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Strategy.Params = strategy.ParamsOf(strat, cfg.Strategy.Params)
	if f, ok := feed.(interface{ Symbols() []string }); ok {
		if err := checkSymbols(cfg.Data.Symbols, f.Symbols()); err != nil {
			return nil, err
		}
		if len(cfg.Data.Files) == 0 {
			cfg.Data.Symbols = f.Symbols()
		}
	}
	cfg.fillDefaults(symbolCount(cfg))
	var rf *rangeFeed
	if !cfg.Data.From.IsZero() || !cfg.Data.To.IsZero() {
		loc, err := cfg.location()
		if err != nil {
			return nil, err
		}
		rf = &rangeFeed{feed: feed, loc: loc, from: cfg.Data.From.key(), to: cfg.Data.To.key()}
		feed = rf
	}
	if !o.Until.IsZero() {
		feed = &untilFeed{feed: feed, until: o.Until}
	}
	e := engine.New(feed)
	e.SetBreaker(cfg.breaker())
	e.SetStopOnError(cfg.Breaker.OnError == StopOnError)
	rec := newRecorder(e, o.Sink)
	rec.benchmark = o.Benchmark
	rec.noOrdersFills = o.NoOrdersFills && o.Sink == nil
	if o.Sink == nil && o.Times > 0 {
		rec.equity = o.Equity[:0]
		if cap(rec.equity) < o.Times {
			rec.equity = make([]EquityPoint, 0, o.Times)
		}
		if o.Curve != nil {
			rec.curve = o.Curve.reuse()
		}
		rec.curve.grow(o.Times)
	}
	pf := portfolio.New(e, portfolio.Options{Cash: cfg.InitialCash(), Sizer: cfg.sizer(), CloseAtEnd: cfg.Execution.CloseAtEnd,
		BorrowRate: cfg.Account.BorrowRate, OnClose: rec.trade, DropClosed: true, ReuseClosed: true})
	ks := risk.NewKillSwitch(e, pf, cfg.killOptions())
	guard := risk.NewGuard(e, pf, cfg.limits(), ks)
	bopts, err := cfg.brokerOptions()
	if err != nil {
		return nil, err
	}
	bopts.Account = pf
	bopts.Guard = guard
	bk := broker.New(e, bopts)
	name := cfg.Strategy.Name
	if name == "" {
		name = "strategy"
	}
	runner := strategy.NewRunner(e, name, strat, pf)
	runner.SetTrading(cfg.trading())
	if rf != nil {
		rf.warm = runner.Warm
	}
	if cfg.Breaker.OnError == StopOnStrategyError {
		e.StopOnErrorOf(name) // the component that calls the strategy (see strategy.NewRunner)
	}
	rec.watchEquity(pf)
	if o.Observe != nil {
		o.Observe(e)
	}
	actionsInput, actionSymbols, err := scheduleActions(e, cfg)
	if err != nil {
		return nil, err
	}

	stats, runErr := e.Run(ctx)
	if len(cfg.Data.Symbols) == 0 && len(cfg.Data.Files) == 0 {
		cfg.Data.Symbols = runner.Symbols() // a feed that does not name its symbols: those that had a bar
	}
	pf.Finish()

	res := &Result{
		Config:        cfg,
		Stats:         stats,
		InitialCash:   pf.InitialCash(),
		FinalCash:     pf.Cash(),
		FinalEquity:   pf.EquityDecimal(),
		Equity:        rec.equity,
		Curve:         rec.curve,
		Streamed:      o.Sink != nil,
		Fills:         rec.fills,
		Errors:        rec.errors,
		Logs:          rec.logs,
		KillSwitch:    rec.kills,
		BreakerEvents: rec.breakers,
		Markers:       rec.markers,
		Breakers:      e.Breakers(),
		RiskRefusals:  guard.Refusals(),
		SameBarFills:  bk.UsedMarketOnClose(),
		IntrabarPath:  bopts.Path.String(),
		Fees:          pf.Fees(),
		FeeTotal:      pf.FeeTotal(),
		Actions:       pf.Actions(),
		ActionsInput:  actionsInput,
		ActionsUnused: actionsWithoutData(actionSymbols, runner.Symbols()),
		MarginCalls:   bk.MarginCalls(),
		Stopped:       bk.Stopped(),
		Partial:       runErr != nil,
		Err:           runErr,
	}
	if n := rec.curve.Len(); n > 0 {
		res.Start, res.End = rec.curve.first, rec.curve.last
	}
	rec.finish(pf)
	res.AvgExposure = math.NaN()
	if rec.exposureN > 0 {
		res.AvgExposure = rec.exposureSum / float64(rec.exposureN)
	}
	res.Orders, res.Trades, res.Counts = rec.orders, rec.trades, rec.counts
	res.OrderAdjustments = bk.Adjustments()
	if r, ok := strat.(strategy.Backlogged); ok {
		res.UnsubmittedRows = r.Pending()
	}
	// A strategy that holds a resource (a Replay reading its file) is
	// closed here; its error (the file changed during the run) ends the
	// run as an error.
	if c, ok := strat.(io.Closer); ok {
		if err := c.Close(); err != nil && runErr == nil {
			runErr, res.Partial, res.Err = err, true, err
		}
	}
	res.Metrics = computeMetrics(cfg, res, o.Periods, o.Sink)
	if runErr == nil && rec.err != nil {
		runErr, res.Partial, res.Err = rec.err, true, rec.err
	}
	return res, runErr
}

// scheduleActions reads cfg's corporate-actions file, if any, and
// schedules each action on e at the start of its ex-date, midnight in the
// data's zone, where it takes effect before any bar of that time (phase
// engine.PhaseAction); actions of one date follow the file's order. It
// returns the file's digest and the symbol of each action, in the file's
// order. Actions of symbols the run has no data for change nothing
// (Result.ActionsUnused counts them).
func scheduleActions(e *engine.Engine, cfg Config) (*data.Digest, []string, error) {
	if cfg.Data.Actions == "" {
		return nil, nil, nil
	}
	loc, err := cfg.location()
	if err != nil {
		return nil, nil, err
	}
	acts, digest, err := data.ReadActions(cfg.Data.Actions, loc)
	if err != nil {
		return nil, nil, err
	}
	symbols := make([]string, len(acts))
	for i, a := range acts {
		e.Schedule(a.Date, &engine.ActionEvent{Time: a.Date, Symbol: a.Symbol, Split: a.Split, Dividend: a.Dividend, Seq: i})
		symbols[i] = a.Symbol
	}
	return &digest, symbols, nil
}

// actionsWithoutData returns the distinct symbols of actions, sorted,
// that are not among traded, the sorted symbols that had a bar in the
// run, with how many actions name each.
func actionsWithoutData(actions, traded []string) map[string]int {
	var unused map[string]int
	for _, s := range actions {
		if _, ok := slices.BinarySearch(traded, s); ok {
			continue
		}
		if unused == nil {
			unused = map[string]int{}
		}
		unused[s]++
	}
	return unused
}

// inferSample is how many bar times, from the start, periods per year are
// inferred from.
const inferSample = 10_000

// openOrders opens cfg.Strategy.Orders as a Replay (see
// strategy.OpenReplay). The function it returns closes the file.
func openOrders(cfg Config) (*strategy.Replay, *strategy.OrdersSummary, func(), error) {
	loc, err := cfg.location()
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := os.Open(cfg.Strategy.Orders)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("orders file: %w", err)
	}
	r, sum, err := strategy.OpenReplay(f, cfg.Strategy.Orders, loc)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	return r, sum, func() { f.Close() }, nil
}

// ordersHaveData checks that every symbol of the orders file name, whose
// summary is sum, is one of the data's symbols: the orders of another
// symbol could never be submitted.
func ordersHaveData(name string, sum *strategy.OrdersSummary, symbols []string) error {
	var missing []string
	for s := range sum.Symbols {
		if !slices.Contains(symbols, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	// The first in the file is named.
	slices.SortFunc(missing, func(a, b string) int {
		pa, pb := sum.Symbols[a], sum.Symbols[b]
		return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Column, pb.Column))
	})
	p := sum.Symbols[missing[0]]
	have := strings.Join(symbols[:min(len(symbols), 10)], ", ")
	if len(symbols) > 10 {
		have += fmt.Sprintf(" and %d more", len(symbols)-10)
	}
	msg := fmt.Sprintf("no data for symbol %q: its orders could never be submitted (the data's symbols: %s)", missing[0], have)
	if len(missing) > 1 {
		msg += fmt.Sprintf("; %d other symbols of the file have no data either", len(missing)-1)
	}
	return &strategy.OrdersFileError{File: name, Line: p.Line, Column: p.Column, Field: "symbol", Err: errors.New(msg)}
}

// brokerOptions turns the execution settings into broker options (without
// the account, which is the run's portfolio).
func (c *Config) brokerOptions() (broker.Options, error) {
	var o broker.Options
	var err error
	if o.Commission, err = c.commissionModel(); err != nil {
		return o, err
	}
	o.Slippage = c.slippageModel()
	o.Path = c.Execution.IntrabarPath
	o.AccountType = c.Account.Type
	o.MaxVolumeShare = c.Execution.MaxVolumeShare
	// risk.max_leverage is the risk guard's rule and, unless a margin
	// leverage of its own is given, the margin account's limit too.
	o.MaxLeverage = c.Account.MarginLeverage
	if o.MaxLeverage.IsZero() {
		o.MaxLeverage = c.Risk.MaxLeverage
	}
	o.MaintenanceMargin = c.Account.MaintenanceMargin
	o.NoShort = c.Account.NoShort
	return o, nil
}

// checkSymbols returns an error when want, the symbols a config gives,
// is not empty and differs from have, the data's.
func checkSymbols(want, have []string) error {
	if len(want) == 0 || slices.Equal(want, have) {
		return nil
	}
	return fmt.Errorf("data.symbols: the config names %s, the data's symbols are %s",
		strings.Join(want, ", "), strings.Join(have, ", "))
}

// trading returns the account rules a strategy's Context.Rebalance sizes
// its orders by: the account type, the quantities' decimal places, and the
// commission of the percent, per-share, minimum and fixed settings (tiers,
// which depend on the month's volume, are not reserved).
func (c *Config) trading() strategy.Trading {
	pct, fixed := c.commission(), c.Costs.Commission.Fixed
	return strategy.Trading{
		CashAccount: c.Account.Type == broker.CashAccount,
		Places:      int32(c.Sizing.Places),
		Commission: func(q, p decimal.Decimal) decimal.Decimal {
			return pct.For(q, p).Add(fixed)
		},
	}
}

// computeMetrics derives the performance figures from the equity curve
// and the trades, reading the curve in two passes for the basic figures,
// unless sink, the run's Sink (nil for none), gives them (see
// basicsSink); periods, if not nil, holds the periods per year inferred
// by an earlier run (see Options.Periods).
func computeMetrics(cfg Config, res *Result, periods *PeriodsCache, sink Sink) Metrics {
	start := res.InitialCash.InexactFloat64()
	r := res.Curve.Returns(start)
	P := cfg.Analysis.PeriodsPerYear
	if P == 0 {
		P = periods.inferPeriods(&res.Curve, inferSample)
		if math.IsNaN(P) || P <= 0 {
			P = metrics.Daily // too few bars to tell
		}
		res.Config.Analysis.PeriodsPerYear = P // the effective value, so a re-run reproduces it
	}
	w, mo, downside, ok := metrics.Wealth{}, metrics.Moments{}, 0.0, false
	if b, is := sink.(basicsSink); is {
		w, mo, downside, ok = b.Basics(start, r, P)
	}
	if !ok {
		w, mo, downside = metrics.ComputeBasics(r, P)
	}
	m := Metrics{
		PeriodsPerYear:   P,
		TotalReturn:      w.CumReturnsFinal(0),
		AnnualReturn:     w.AnnualReturn(P),
		AnnualVolatility: mo.AnnualVolatility(P),
		Sharpe:           mo.Sharpe(P),
		Sortino:          mo.Sortino(P, downside),
		MaxDrawdown:      w.MaxDrawdown,
		Calmar:           w.Calmar(P),
	}
	if rf := metrics.PeriodRate(cfg.Analysis.RiskFree, P); rf != 0 {
		// Excess of the per-period risk-free rate, as the report's.
		m.Sharpe, m.Sortino = metrics.Sharpe(r, rf, P), metrics.Sortino(r, rf, P)
	}
	m.WinRate = math.NaN()
	if c := res.Counts; c.ClosedTrades > 0 {
		m.WinRate = float64(c.Wins) / float64(c.ClosedTrades)
	}
	return m
}

// symbolCount returns the number of the run's symbols as cfg knows them
// before the run: its data files, else the symbols it records, else 1.
func symbolCount(cfg Config) int {
	switch {
	case len(cfg.Data.Files) > 0:
		return len(cfg.Data.Files)
	case len(cfg.Data.Symbols) > 0:
		return len(cfg.Data.Symbols)
	}
	return 1
}
