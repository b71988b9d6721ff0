package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/strategy"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, out, stats, err := runConfig(args, stdout, stderr)
	if err != nil {
		return err
	}
	if err := validateChoices(&cfg); err != nil {
		return badInput(err)
	}
	if err := cfg.Validate(); err != nil {
		return badInput(err)
	}
	if bf := cfg.BenchmarkFile(); bf != "" && !slices.Contains(cfg.Data, bf) {
		// A missing or unreadable benchmark file is found before the run;
		// a data file's problems are the run's to report.
		if _, err := report.BenchmarkWealth(cfg, nil); err != nil {
			return badInput(err)
		}
	}
	w, err := report.NewWriter(out, cfg)
	if errors.Is(err, report.ErrNotRunFolder) {
		return badInput(err)
	}
	if err != nil {
		return err
	}
	defer w.Abort() // on a panic; nothing after Finish
	defer onExit(ctx, w.Discard)()
	var res *backtest.Result
	if stats {
		start := time.Now()
		defer func() { printStats(stderr, start, res) }()
	}
	res, err = backtest.Options{Sink: w}.Run(ctx, cfg)
	if res != nil {
		defer res.Close()
	}
	if res == nil || (err != nil && res.Stats.Bars == 0 && !errors.Is(err, engine.ErrInterrupted)) {
		// Nothing ran: the configuration or the data's first rows are bad.
		w.Abort()
		return badInput(err)
	}
	if err == nil && res.Stats.Bars == 0 {
		// Header-only files, or files whose every row was skipped: there
		// is nothing to report, and an empty report would look complete.
		w.Abort()
		msg := "no bars in " + strings.Join(cfg.Data, ", ") + ": the data has a header but no rows"
		if res.SkippedRows > 0 {
			msg = fmt.Sprintf("no bars in %s: all %d rows were bad and skipped (first: %s)",
				strings.Join(cfg.Data, ", "), res.SkippedRows, res.SkippedErrors[0])
		}
		return badInput(errors.New(msg))
	}
	if werr := w.Err(); werr != nil {
		// Writing failed, or the benchmark file is bad: the outputs would
		// be incomplete.
		w.Abort()
		var de *data.Error
		if errors.As(werr, &de) {
			return badInput(werr)
		}
		return werr
	}
	if werr := w.Finish(res); werr != nil {
		return errors.Join(err, werr)
	}
	printSummary(stdout, res, w.Results().Analysis, out)
	if err != nil {
		return runError(ctx, err)
	}
	return nil
}

// runLists are the values of run's repeatable flags, gathered apart from
// the configuration so that a flag replaces (or, for params and columns,
// merges into) what a config file set instead of adding to it.
type runLists struct {
	data, params, columns, order, noShort, restricted []string
	config                                            string
	stats                                             bool
}

// runFlags defines run's flags on a new flag set, writing into fl. Every
// flag's default is fl's current value, so that a flag not given leaves
// the config file's setting alone.
func runFlags(fl *fileConfig, l *runLists, stdout, stderr io.Writer) *flag.FlagSet {
	cfg := &fl.Config
	fs := newFlagSet("run", "--data FILE[,FILE...] [flags] | --config FILE [flags]", stdout, stderr)
	fs.StringVar(&l.config, "config", "", "YAML config `file` describing the run; flags given as well override it")
	fs.Var(listFlag{&l.data, true}, "data", "CSV `files`, comma-separated or repeated; one symbol per file (its name without extension)")
	fs.StringVar(&cfg.Symbol, "symbol", cfg.Symbol, "symbol of a single data file (default: the file name)")
	fs.StringVar(&cfg.TimeLayout, "time-layout", cfg.TimeLayout, "Go time `layout` of the time column (default: detected)")
	fs.StringVar(&cfg.Timezone, "timezone", cfg.Timezone, "IANA `zone` of times written without one (default UTC)")
	fs.StringVar(&cfg.Header, "header", cfg.Header, "does the first line name the columns: auto (the default), present, absent, or skip (a wrong header: map by position)")
	fs.Var(listFlag{&l.columns, true}, "columns", "header names for fields the usual spellings miss: `field=Name`[,...], fields time, date, clock, open, high, low, close, volume")
	fs.Var(listFlag{&l.order, true}, "order", "`fields` of the columns by position for files without a usable header, e.g. date,clock,open,high,low,close,volume (empty skips a column)")
	fs.StringVar(&cfg.Delimiter, "delimiter", cfg.Delimiter, "field `separator` (default ,)")
	fs.StringVar(&cfg.Strategy, "strategy", cfg.Strategy, "built-in strategy: "+strings.Join(strategy.Names(), ", "))
	fs.Var(listFlag{&l.params, false}, "param", "strategy parameter `key=value` (repeatable), e.g. fast=10, slow=30, mode=longshort")
	fs.Var(decimalFlag{&cfg.Cash}, "cash", "starting cash")
	fs.Var(decimalFlag{&cfg.Size}, "size", "fixed order `quantity` for long and short signals (default 1)")
	fs.Var(decimalFlag{&cfg.SizePct}, "size-pct", "size positions at this `percent` of equity instead of a fixed size")
	fs.Var(decimalFlag{&cfg.CommissionPct}, "commission-pct", "commission in `percent` of traded value (0.1 = 0.1 %)")
	fs.Var(decimalFlag{&cfg.CommissionPerShare}, "commission-per-share", "commission per unit traded")
	fs.Var(decimalFlag{&cfg.CommissionMin}, "commission-min", "minimum commission per order")
	fs.Var(decimalFlag{&cfg.SlippageBps}, "slippage-bps", "slippage in basis points against the trader")
	fs.Var(decimalFlag{&cfg.CommissionMax}, "commission-max", "maximum commission per order")
	fs.Var(decimalFlag{&cfg.CommissionFixed}, "commission-fixed", "fixed commission per order, charged on its first fill")
	fs.StringVar(&cfg.CommissionTiers, "commission-tiers", cfg.CommissionTiers, "per-unit commission tiered by units traded in the calendar month: `from:rate,...`, e.g. 0:0.005,300000:0.003")
	fs.StringVar(&cfg.SlippageModel, "slippage-model", cfg.SlippageModel, "slippage model: fixed (--slippage-bps) or volume (impact × share of bar volume squared)")
	fs.Var(decimalFlag{&cfg.VolumeImpact}, "volume-impact", "impact `factor` of the volume slippage model (default 0.1)")
	fs.StringVar(&cfg.Orders, "orders", cfg.Orders, "replay the orders of this CSV `file` instead of a strategy")
	fs.StringVar(&cfg.IntrabarPath, "intrabar-path", cfg.IntrabarPath, "order of each bar's high and low: nearest or pessimistic")
	fs.Var(decimalFlag{&cfg.MaxVolumeShare}, "max-volume-share", "largest `fraction` of a bar's volume that fills (0.025 = 2.5 %; default no limit)")
	fs.StringVar(&cfg.Account, "account", cfg.Account, "account type: margin or cash")
	fs.Var(decimalFlag{&cfg.MarginLeverage}, "margin-leverage", "margin account: maximum gross exposure as a `multiple` of equity (default unlimited)")
	fs.Var(decimalFlag{&cfg.MaintenanceMargin}, "maintenance-margin", "margin account: margin call when equity is below this `fraction` of gross exposure")
	fs.Var(decimalFlag{&cfg.BorrowRate}, "borrow-rate", "annual borrow fee on short market value, in `percent`")
	fs.Var(listFlag{&l.noShort, true}, "no-short", "`symbols` that cannot be sold short, comma-separated")
	fs.BoolVar(&cfg.CloseAtEnd, "close-at-end", cfg.CloseAtEnd, "close open positions at the last bar's close (same-bar execution)")
	fs.Float64Var(&cfg.PeriodsPerYear, "periods-per-year", cfg.PeriodsPerYear, "periods per year for annualized metrics (default: from the bar spacing, 252 for daily)")
	fs.StringVar(&cfg.Benchmark, "benchmark", cfg.Benchmark, "data `file` whose buy-and-hold is the benchmark (default: the first data file; none: no benchmark)")
	fs.Float64Var(&cfg.RiskFree, "risk-free", cfg.RiskFree, "annual risk-free `rate` (0.02 = 2 %) for Sharpe, Sortino, PSR and alpha")
	fs.IntVar(&cfg.Trials, "trials", cfg.Trials, "`number` of configurations tried, for the deflated Sharpe ratio (default 1)")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the run's randomness, recorded in the manifest")
	safetyFlags(fs, cfg, &l.restricted)
	fs.StringVar(&fl.Out, "out", fl.Out, "output `directory`")
	fs.BoolVar(&l.stats, "stats", false, "print the run's resource use (wall time, allocations) to stderr as JSON, for benchmarks")
	return fs
}

// runConfig parses run's flags and config file into the effective
// configuration and the output folder. Flags override the file: the file
// is read first, and only the flags given on the command line change it.
func runConfig(args []string, stdout, stderr io.Writer) (backtest.Config, string, bool, error) {
	// A first pass finds the config file and which flags were given.
	var probe runLists
	fs := runFlags(&fileConfig{Config: backtest.DefaultConfig(), Out: "out"}, &probe, stdout, stderr)
	if err := parseFlags(fs, args, stdout); err != nil {
		return backtest.Config{}, "", false, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	fl := fileConfig{Config: backtest.DefaultConfig(), Out: "out"}
	var keys []configKey
	sizeGiven := given["size"]
	if probe.config != "" {
		var err error
		if keys, err = loadConfigFile(probe.config, &fl); err != nil {
			return backtest.Config{}, "", false, badInput(err)
		}
		for _, k := range keys {
			sizeGiven = sizeGiven || k.name == "size"
		}
	}
	var l runLists
	fs = runFlags(&fl, &l, stdout, stderr)
	if err := parseFlags(fs, args, stdout); err != nil {
		return backtest.Config{}, "", false, err
	}
	cfg := &fl.Config
	if cfg.Orders != "" && (given["strategy"] || given["param"]) {
		return backtest.Config{}, "", false, badInput(errors.New("run: --orders replaces the strategy; do not give --strategy or --param with it"))
	}
	for _, r := range []struct {
		flag string
		dst  *[]string
		src  []string
	}{{"data", &cfg.Data, l.data}, {"order", &cfg.Order, l.order}, {"no-short", &cfg.NoShort, l.noShort},
		{"restricted", &cfg.Restricted, l.restricted}} {
		if given[r.flag] {
			*r.dst = r.src
		}
	}
	for _, kv := range l.columns {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return backtest.Config{}, "", false, badInput(fmt.Errorf("--columns %q: want field=Name", kv))
		}
		if cfg.Columns == nil {
			cfg.Columns = map[string]string{}
		}
		cfg.Columns[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	p, err := strategy.ParseParams(l.params)
	if err != nil {
		return backtest.Config{}, "", false, badInput(err)
	}
	if cfg.Params == nil {
		cfg.Params = strategy.Params{}
	}
	for k, v := range p {
		cfg.Params[k] = v
	}
	if !cfg.SizePct.IsZero() && !sizeGiven {
		cfg.Size = decimal.Zero // a percent size replaces the default size
	}
	if probe.config != "" {
		if err := cfg.Validate(); err != nil {
			return backtest.Config{}, "", false, badInput(attribute(probe.config, keys, given, err))
		}
	}
	if len(cfg.Data) == 0 {
		fs.Usage()
		return backtest.Config{}, "", false, badInput(errors.New("run: --data is required (or data: in the --config file)"))
	}
	return fl.Config, fl.Out, l.stats, nil
}

// printStats writes "stats: " and a JSON object with the wall time since
// start and the process's allocation count. Wall time is measured only
// here, for benchmarks; it affects no result.
func printStats(w io.Writer, start time.Time, res *backtest.Result) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	bars := 0
	if res != nil {
		bars = res.Stats.Bars
	}
	b, _ := json.Marshal(map[string]any{
		"seconds": time.Since(start).Seconds(),
		"mallocs": ms.Mallocs,
		"bars":    bars,
	})
	fmt.Fprintf(w, "stats: %s\n", b)
}

// runError classifies an error that ended a run early, after the partial
// results were written.
func runError(ctx context.Context, err error) error {
	if errors.Is(err, engine.ErrInterrupted) {
		var se signalError
		if errors.As(context.Cause(ctx), &se) {
			return exitError{signalStatus(se.sig), fmt.Errorf("%w; partial results written", err)}
		}
		return exitError{exitInternal, err}
	}
	if errors.Is(err, engine.ErrHandlerFailed) {
		return exitError{exitInternal, fmt.Errorf("%w (--on-error stop; partial results written)", err)}
	}
	var de *data.Error
	if errors.As(err, &de) {
		return badInput(fmt.Errorf("%w (partial results written)", err))
	}
	return err
}

// printSummary writes a short human-readable table of res and its
// analysis a (nil to leave out the benchmark and PSR rows).
func printSummary(w io.Writer, res *backtest.Result, a *report.Analysis, dir string) {
	cfg := res.Config
	m := res.Metrics
	status := ""
	if res.Partial {
		status = " [PARTIAL]"
	}
	what := cfg.Strategy + formatParams(cfg.Params)
	if cfg.Orders != "" {
		what = "orders from " + cfg.Orders
	}
	fmt.Fprintf(w, "quantloop run%s: %s on %s\n", status, what, strings.Join(cfg.Data, ", "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, format string, args ...any) {
		fmt.Fprintf(tw, "  %s\t"+format+"\n", append([]any{k}, args...)...)
	}
	row("period", "%s .. %s (%d bars, %d bar times, %g periods/year)", report.FormatTime(res.Start),
		report.FormatTime(res.End), res.Stats.Bars, res.Stats.Timestamps, m.PeriodsPerYear)
	row("initial cash", "%s", res.InitialCash)
	row("final cash", "%s", res.FinalCash)
	row("final equity", "%s", res.FinalEquity.StringFixed(2))
	row("total return", "%s", pct(m.TotalReturn))
	row("annual return", "%s", pct(m.AnnualReturn))
	row("annual volatility", "%s", pct(m.AnnualVolatility))
	row("sharpe", "%s", num(m.Sharpe))
	row("sortino", "%s", num(m.Sortino))
	row("max drawdown", "%s", pct(m.MaxDrawdown))
	if a != nil {
		row("PSR / DSR", "%s / %s (%d trial(s))", pct(float64(a.Returns.ProbabilisticSharpe)), pct(float64(a.Returns.DeflatedSharpe)), a.Trials)
		if b := a.Benchmark; b != nil {
			row("benchmark", "%s: total return %s, alpha %s, beta %s", b.Name, pct(float64(b.TotalReturn)), pct(float64(b.Alpha)), num(float64(b.Beta)))
		}
	}
	c := res.Counts
	row("trades", "%d closed (%d won, %d lost, %d even), %d open", c.ClosedTrades, c.Wins, c.Losses, c.Even, c.OpenTrades)
	row("win rate", "%s", pct(m.WinRate))
	row("orders", "%d, %d fills, %d unfilled", c.Orders, c.Fills, c.Unfilled)
	if len(res.Errors) > 0 {
		row("handler errors", "%d (see results.json)", len(res.Errors))
	}
	if res.SameBarFills {
		row("same-bar fills", "yes: market-on-close orders filled at the close of the bar that made them")
	}
	if res.IntrabarPath != "" && res.IntrabarPath != "nearest" {
		row("intrabar path", "%s", res.IntrabarPath)
	}
	if res.FeeTotal.IsPositive() {
		row("borrow fees", "%s (see %s)", res.FeeTotal, report.FeesFile)
	}
	if res.MarginCalls > 0 {
		row("margin calls", "%d", res.MarginCalls)
	}
	if res.Stopped {
		row("trading stopped", "equity reached zero")
	}
	if res.UnsubmittedRows > 0 {
		row("orders file", "%d rows after their symbol's last bar were not submitted", res.UnsubmittedRows)
	}
	printSafety(row, res)
	for _, w := range res.Warnings() {
		row("WARNING", "%s: %s", w.Code, w.Message)
	}
	tw.Flush()
	fmt.Fprintf(w, "results in %s/: %s, %s, %s, %s, %s, %s, %s, %s, %s\n", strings.TrimSuffix(dir, "/"), report.ResultsFile,
		report.ReportFile, report.TradesFile, report.FillsFile, report.OrdersFile, report.EquityFile, report.FeesFile,
		report.ConfigFile, report.ManifestFile)
}

func formatParams(p strategy.Params) string {
	if len(p) == 0 {
		return ""
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p[k]
	}
	return " (" + strings.Join(parts, " ") + ")"
}

// pct formats a ratio as a percentage; non-finite values print as "-".
func pct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return fmt.Sprintf("%.2f %%", 100*x)
}

// num formats a ratio with 3 decimals; non-finite values print as "-".
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return fmt.Sprintf("%.3f", x)
}
