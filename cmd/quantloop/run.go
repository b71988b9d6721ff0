package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/strategy"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, out, err := runConfig(args, stdout, stderr)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return badInput(err)
	}
	if _, err := report.BenchmarkWealth(cfg, nil); err != nil {
		// A missing or unreadable benchmark is found before the run.
		return badInput(err)
	}
	res, err := backtest.Run(ctx, cfg)
	if res == nil || (err != nil && res.Stats.Bars == 0 && !errors.Is(err, engine.ErrInterrupted)) {
		// Nothing ran: the configuration or the data's first rows are bad.
		return badInput(err)
	}
	files, werr := report.Render(res)
	if werr == nil {
		werr = report.WriteFiles(out, files)
	}
	if werr != nil {
		return errors.Join(err, werr)
	}
	printSummary(stdout, res, analysisOf(files), out)
	if err != nil {
		return runError(ctx, err)
	}
	return nil
}

// runConfig parses run's flags and config file into the effective
// configuration and the output folder. Flags override the file: only the
// flags given on the command line (fs.Visit), so a flag's default never
// hides the file's value.
func runConfig(args []string, stdout, stderr io.Writer) (backtest.Config, string, error) {
	fl := fileConfig{Config: backtest.DefaultConfig(), Out: "out"}
	cfg := &fl.Config
	fs := newFlagSet("run", "--data FILE[,FILE...] [flags] | --config FILE [flags]", stdout, stderr)
	var dataPaths, params, columns []string
	var configPath string
	fs.StringVar(&configPath, "config", "", "YAML config `file` describing the run; flags given as well override it")
	fs.Var(listFlag{&dataPaths, true}, "data", "CSV `files`, comma-separated or repeated; one symbol per file (its name without extension)")
	fs.StringVar(&cfg.Symbol, "symbol", "", "symbol of a single data file (default: the file name)")
	fs.StringVar(&cfg.TimeLayout, "time-layout", "", "Go time `layout` of the time column (default: detected)")
	fs.StringVar(&cfg.Timezone, "timezone", "", "IANA `zone` of times written without one (default UTC)")
	fs.StringVar(&cfg.Header, "header", "", "does the first line name the columns: auto (the default), present, absent, or skip (a wrong header: map by position)")
	fs.Var(listFlag{&columns, true}, "columns", "header names for fields the usual spellings miss: `field=Name`[,...], fields time, date, clock, open, high, low, close, volume")
	fs.Var(listFlag{&cfg.Order, true}, "order", "`fields` of the columns by position for files without a usable header, e.g. date,clock,open,high,low,close,volume (empty skips a column)")
	fs.StringVar(&cfg.Delimiter, "delimiter", "", "field `separator` (default ,)")
	fs.StringVar(&cfg.Strategy, "strategy", cfg.Strategy, "built-in strategy: "+strings.Join(strategy.Names(), ", "))
	fs.Var(listFlag{&params, false}, "param", "strategy parameter `key=value` (repeatable), e.g. fast=10, slow=30, mode=longshort")
	fs.Var(decimalFlag{&cfg.Cash}, "cash", "starting cash")
	fs.Var(decimalFlag{&cfg.Size}, "size", "fixed order `quantity` for long and short signals (default 1)")
	fs.Var(decimalFlag{&cfg.SizePct}, "size-pct", "size positions at this `percent` of equity instead of a fixed size")
	fs.Var(decimalFlag{&cfg.CommissionPct}, "commission-pct", "commission in `percent` of traded value (0.1 = 0.1 %)")
	fs.Var(decimalFlag{&cfg.CommissionPerShare}, "commission-per-share", "commission per unit traded")
	fs.Var(decimalFlag{&cfg.CommissionMin}, "commission-min", "minimum commission per order")
	fs.Var(decimalFlag{&cfg.SlippageBps}, "slippage-bps", "slippage in basis points against the trader")
	fs.BoolVar(&cfg.CloseAtEnd, "close-at-end", false, "close open positions at the last bar's close (same-bar execution)")
	fs.Float64Var(&cfg.PeriodsPerYear, "periods-per-year", 0, "periods per year for annualized metrics (default: from the bar spacing, 252 for daily)")
	fs.StringVar(&cfg.Benchmark, "benchmark", "", "data `file` whose buy-and-hold is the benchmark (default: the first data file; none: no benchmark)")
	fs.Float64Var(&cfg.RiskFree, "risk-free", 0, "annual risk-free `rate` (0.02 = 2 %) for Sharpe, Sortino, PSR and alpha")
	fs.IntVar(&cfg.Trials, "trials", 0, "`number` of configurations tried, for the deflated Sharpe ratio (default 1)")
	fs.Int64Var(&cfg.Seed, "seed", 0, "seed of the run's randomness, recorded in the manifest")
	fs.StringVar(&fl.Out, "out", fl.Out, "output `directory`")
	if err := parseFlags(fs, args, stdout); err != nil {
		return backtest.Config{}, "", err
	}
	cfg.Data = dataPaths
	if len(columns) > 0 {
		cfg.Columns = make(map[string]string, len(columns))
		for _, kv := range columns {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return backtest.Config{}, "", badInput(fmt.Errorf("--columns %q: want field=Name", kv))
			}
			cfg.Columns[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	p, err := strategy.ParseParams(params)
	if err != nil {
		return backtest.Config{}, "", badInput(err)
	}
	cfg.Params = p
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	eff := fl
	sizeGiven := given["size"]
	if configPath != "" {
		eff = fileConfig{Config: backtest.DefaultConfig(), Out: "out"}
		keys, err := loadConfigFile(configPath, &eff)
		if err != nil {
			return backtest.Config{}, "", badInput(err)
		}
		for _, k := range keys {
			sizeGiven = sizeGiven || k.name == "size"
		}
		for name := range given {
			overrideFromFlag(name, &eff, &fl)
		}
		if !eff.SizePct.IsZero() && !sizeGiven {
			eff.Size = decimal.Zero
		}
		if err := eff.Config.Validate(); err != nil {
			return backtest.Config{}, "", badInput(attribute(configPath, keys, given, err))
		}
	}
	if len(eff.Data) == 0 {
		fs.Usage()
		return backtest.Config{}, "", badInput(errors.New("run: --data is required (or data: in the --config file)"))
	}
	if !eff.SizePct.IsZero() && !sizeGiven {
		eff.Size = decimal.Zero // a percent size replaces the default size
	}
	return eff.Config, eff.Out, nil
}

// overrideFromFlag copies the setting of the flag name from the flags'
// values fl into the file's values dst. Parameters and column names are
// merged key by key; other flags replace the file's value.
func overrideFromFlag(name string, dst, fl *fileConfig) {
	d, s := &dst.Config, &fl.Config
	switch name {
	case "data":
		d.Data = s.Data
	case "symbol":
		d.Symbol = s.Symbol
	case "time-layout":
		d.TimeLayout = s.TimeLayout
	case "timezone":
		d.Timezone = s.Timezone
	case "header":
		d.Header = s.Header
	case "columns":
		if d.Columns == nil {
			d.Columns = map[string]string{}
		}
		for k, v := range s.Columns {
			d.Columns[k] = v
		}
	case "order":
		d.Order = s.Order
	case "delimiter":
		d.Delimiter = s.Delimiter
	case "strategy":
		d.Strategy = s.Strategy
	case "param":
		if d.Params == nil {
			d.Params = strategy.Params{}
		}
		for k, v := range s.Params {
			d.Params[k] = v
		}
	case "cash":
		d.Cash = s.Cash
	case "size":
		d.Size = s.Size
	case "size-pct":
		d.SizePct = s.SizePct
	case "commission-pct":
		d.CommissionPct = s.CommissionPct
	case "commission-per-share":
		d.CommissionPerShare = s.CommissionPerShare
	case "commission-min":
		d.CommissionMin = s.CommissionMin
	case "slippage-bps":
		d.SlippageBps = s.SlippageBps
	case "close-at-end":
		d.CloseAtEnd = s.CloseAtEnd
	case "periods-per-year":
		d.PeriodsPerYear = s.PeriodsPerYear
	case "benchmark":
		d.Benchmark = s.Benchmark
	case "risk-free":
		d.RiskFree = s.RiskFree
	case "trials":
		d.Trials = s.Trials
	case "seed":
		d.Seed = s.Seed
	case "out":
		dst.Out = fl.Out
	}
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
	var de *data.Error
	if errors.As(err, &de) {
		return badInput(fmt.Errorf("%w (partial results written)", err))
	}
	return err
}

// analysisOf returns the analysis in the rendered results.json, or nil.
func analysisOf(files []report.File) *report.Analysis {
	for _, f := range files {
		if f.Name == report.ResultsFile {
			var r report.Results
			if json.Unmarshal(f.Data, &r) == nil {
				return r.Analysis
			}
		}
	}
	return nil
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
	fmt.Fprintf(w, "quantloop run%s: %s%s on %s\n", status, cfg.Strategy, formatParams(cfg.Params), strings.Join(cfg.Data, ", "))
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
	row("trades", "%d closed (%d won, %d lost, %d even), %d open", m.ClosedTrades, m.Wins, m.Losses, m.Even, m.OpenTrades)
	row("win rate", "%s", pct(m.WinRate))
	unfilled := 0
	for _, o := range res.Orders {
		if o.Status == backtest.StatusUnfilled {
			unfilled++
		}
	}
	row("orders", "%d, %d fills, %d unfilled", len(res.Orders), len(res.Fills), unfilled)
	if len(res.Errors) > 0 {
		row("handler errors", "%d (see results.json)", len(res.Errors))
	}
	if res.SameBarFills {
		row("same-bar fills", "yes: close-at-end filled at the last close")
	}
	tw.Flush()
	fmt.Fprintf(w, "results in %s/: %s, %s, %s, %s, %s, %s, %s, %s\n", strings.TrimSuffix(dir, "/"), report.ResultsFile,
		report.ReportFile, report.TradesFile, report.FillsFile, report.OrdersFile, report.EquityFile, report.ConfigFile,
		report.ManifestFile)
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
