// Package backtest wires the engine, a data feed, a strategy, the
// portfolio and the simulated broker into one run and collects its
// results. It is the library entry point:
//
//	res, err := backtest.Run(ctx, cfg)            // built-in strategy, CSV files
//	res, err := backtest.RunFeed(ctx, cfg, f, s)  // any feed, any Strategy
package backtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/quantloop/quantloop/broker"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/portfolio"
	"github.com/quantloop/quantloop/report/metrics"
	"github.com/quantloop/quantloop/strategy"
)

// Run opens cfg.Data, makes the built-in strategy cfg.Strategy and runs
// it. Errors in the configuration or the data's headers come back before
// anything runs, with a nil Result. An error met during the run (a bad row
// in a data file, an interrupt) comes back with the Result so far, marked
// Partial.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var strat strategy.Strategy
	if cfg.Orders != "" {
		r, err := openOrders(cfg)
		if err != nil {
			return nil, err
		}
		cfg.Strategy, cfg.Params = "orders", strategy.Params{}
		strat = r
	} else {
		s, err := strategy.New(cfg.Strategy, cfg.Params)
		if err != nil {
			return nil, err
		}
		strat = s
	}
	if len(cfg.Data) == 0 {
		return nil, errors.New("no data files given")
	}
	opts, err := cfg.dataOptions()
	if err != nil {
		return nil, err
	}
	feed, err := data.OpenAll(cfg.Data, opts)
	if err != nil {
		return nil, err
	}
	defer feed.Close()
	return RunFeed(ctx, cfg, feed, strat)
}

// RunFeed runs strat over feed with cfg's money, sizing and cost settings.
// cfg.Data and cfg.Strategy are recorded in the result but not used.
func RunFeed(ctx context.Context, cfg Config, feed engine.Feed, strat strategy.Strategy) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if p, ok := strat.(strategy.Parameterized); ok {
		cfg.Params = p.Params()
	}
	e := engine.New(feed)
	rec := newRecorder(e)
	pf := portfolio.New(e, portfolio.Options{Cash: cfg.Cash, Sizer: cfg.sizer(), CloseAtEnd: cfg.CloseAtEnd, BorrowRate: cfg.BorrowRate})
	bopts, err := cfg.brokerOptions()
	if err != nil {
		return nil, err
	}
	bopts.Account = pf
	bk := broker.New(e, bopts)
	if cfg.IntrabarPath == "" {
		cfg.IntrabarPath = bopts.Path.String()
	}
	name := cfg.Strategy
	if name == "" {
		name = "strategy"
	}
	strategy.NewRunner(e, name, strat, pf)
	rec.watchEquity(pf)

	stats, runErr := e.Run(ctx)
	pf.Finish()

	res := &Result{
		Config:       cfg,
		Stats:        stats,
		InitialCash:  pf.InitialCash(),
		FinalCash:    pf.Cash(),
		FinalEquity:  pf.EquityDecimal(),
		Equity:       rec.equity,
		Fills:        rec.fills,
		Errors:       rec.errors,
		Logs:         rec.logs,
		SameBarFills: bk.UsedMarketOnClose(),
		IntrabarPath: bopts.Path.String(),
		Fees:         pf.Fees(),
		FeeTotal:     pf.FeeTotal(),
		MarginCalls:  bk.MarginCalls(),
		Stopped:      bk.Stopped(),
		Partial:      runErr != nil,
		Err:          runErr,
	}
	if n := len(rec.equity); n > 0 {
		res.Start, res.End = rec.equity[0].Time, rec.equity[n-1].Time
	}
	for _, t := range pf.Trades() {
		res.Trades = append(res.Trades, *t)
	}
	res.Orders = rec.orderList()
	if r, ok := strat.(*strategy.Replay); ok {
		res.UnsubmittedRows = r.Pending()
	}
	res.Metrics = computeMetrics(cfg, res)
	return res, runErr
}

// openOrders reads cfg.Orders into a Replay.
func openOrders(cfg Config) (*strategy.Replay, error) {
	f, err := os.Open(cfg.Orders)
	if err != nil {
		return nil, fmt.Errorf("orders file: %w", err)
	}
	defer f.Close()
	loc := time.UTC
	if cfg.Timezone != "" {
		if loc, err = time.LoadLocation(cfg.Timezone); err != nil {
			return nil, fmt.Errorf("timezone %q: %w", cfg.Timezone, err)
		}
	}
	rows, err := strategy.ParseOrders(f, cfg.Orders, loc)
	if err != nil {
		return nil, err
	}
	return strategy.NewReplay(rows), nil
}

// brokerOptions turns the execution settings into broker options (without
// the account, which is the run's portfolio).
func (c *Config) brokerOptions() (broker.Options, error) {
	var o broker.Options
	var err error
	if o.Commission, err = c.commissionModel(); err != nil {
		return o, err
	}
	if o.Slippage, err = c.slippageModel(); err != nil {
		return o, err
	}
	if o.Path, err = broker.ParseIntrabarPath(c.IntrabarPath); err != nil {
		return o, err
	}
	if o.AccountType, err = broker.ParseAccountType(c.Account); err != nil {
		return o, err
	}
	o.MaxVolumeShare = c.MaxVolumeShare
	o.MaxLeverage = c.MarginLeverage
	o.MaintenanceMargin = c.MaintenanceMargin
	o.NoShort = c.NoShort
	return o, nil
}

// computeMetrics derives the performance figures from the equity curve
// and the trades.
func computeMetrics(cfg Config, res *Result) Metrics {
	eq := make([]float64, len(res.Equity))
	times := make([]time.Time, len(res.Equity))
	for i, p := range res.Equity {
		eq[i] = p.Value
		times[i] = p.Time
	}
	r := metrics.SimpleReturnsFrom(res.InitialCash.InexactFloat64(), eq)
	P := cfg.PeriodsPerYear
	if P == 0 {
		P = metrics.InferPeriodsPerYear(times)
		if math.IsNaN(P) || P <= 0 {
			P = metrics.Daily // too few bars to tell
		}
		res.Config.PeriodsPerYear = P // the effective value, so a re-run reproduces it
	}
	m := Metrics{
		PeriodsPerYear:   P,
		TotalReturn:      metrics.CumReturnsFinal(r, 0),
		AnnualReturn:     metrics.AnnualReturn(r, P),
		AnnualVolatility: metrics.AnnualVolatility(r, P),
		Sharpe:           metrics.Sharpe(r, 0, P),
		Sortino:          metrics.Sortino(r, 0, P),
		MaxDrawdown:      metrics.MaxDrawdown(r),
		Calmar:           metrics.Calmar(r, P),
	}
	for _, t := range res.Trades {
		if t.Open {
			m.OpenTrades++
			continue
		}
		m.ClosedTrades++
		switch t.PnLNet.Sign() {
		case 1:
			m.Wins++
		case -1:
			m.Losses++
		default:
			m.Even++
		}
	}
	m.WinRate = math.NaN()
	if m.ClosedTrades > 0 {
		m.WinRate = float64(m.Wins) / float64(m.ClosedTrades)
	}
	return m
}
