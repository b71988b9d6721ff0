package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"go.yaml.in/yaml/v3"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/strategy"
)

// runCommand returns the run command: its flags come from runFlagTable.
func runCommand(stdout, stderr io.Writer) *cobra.Command {
	var o runOptions
	c := &cobra.Command{
		Use:   "run --data FILE[,FILE...] [flags] | --config FILE [flags]",
		Short: "run a backtest and write its results",
		Long: `Run a backtest and write its results.

Every setting has a path (see docs/config.md): a flag sets the path shown
after its help, --set sets any path, and a --config file holds them in
groups. Flags override the file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdRun(cmd.Context(), &o, stdout, stderr)
		},
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.config, "config", "", "YAML config `file` describing the run; flags given as well override it")
	addRunFlags(fs, &o.settings)
	fs.StringVar(&o.out, "out", "", "output `directory` (default runs/STRATEGY-HASH, HASH from the configuration as given)")
	fs.StringVar(&o.store, "store", "", "also record the run in this run store `file` (SQLite; see docs/sweeps.md)")
	fs.BoolVar(&o.stats, "stats", false, "print the run's resource use (wall time, allocations) to stderr as JSON, for benchmarks")
	return c
}

// refuseSweep is run's backtest.Section for a config file's sweep
// section: run does not read a sweep's plan, and says which command does.
func refuseSweep(name string, n *yaml.Node) error {
	return fmt.Errorf("%s:%d: sweep: the file plans a sweep; run it with quantloop sweep --config %s (quantloop run reads a file without a sweep section)", name, n.Line, name)
}

// runOptions are run's flags.
type runOptions struct {
	settings
	config, out, store string
	stats              bool
}

func cmdRun(ctx context.Context, o *runOptions, stdout, stderr io.Writer) error {
	cfg, out, err := runConfig(o)
	if err != nil {
		return err
	}
	if o.store != "" && cfg.Analysis.Outputs == backtest.OutputsMetrics {
		return badInput(errors.New("run: --store records the run's CSV files, which --outputs metrics does not write: use --outputs full or lean"))
	}
	if o.store != "" {
		if err := checkStore(o.store); err != nil {
			return badInput(err)
		}
	}
	return writeRun(ctx, cfg, out, o.store, o.stats, stdout, stderr, nil)
}

// writeRun runs cfg into the run folder out, records it in the store file
// storePath when not empty, and prints its summary; with stats, its
// resource use too. then, when not nil, is called with the finished run
// before the summary is printed.
func writeRun(ctx context.Context, cfg backtest.Config, out, storePath string, stats bool, stdout, stderr io.Writer, then func(*backtest.Result) error) error {
	started := time.Now()
	if bf := cfg.BenchmarkFile(); bf != "" && !slices.Contains(cfg.Data.Paths(), bf) {
		// A missing or unreadable benchmark file is found before the run;
		// a data file's problems are the run's to report.
		if _, err := report.BenchmarkWealth(cfg, nil); err != nil {
			return badInput(err)
		}
	}
	replacing := report.HoldsRun(out)
	release := holdExit(ctx)
	w, err := report.NewWriter(out, cfg)
	if err != nil {
		release()
		if errors.Is(err, report.ErrNotRunFolder) {
			return badInput(err)
		}
		return err
	}
	defer w.Abort() // on a panic; nothing after Finish
	defer onExit(ctx, w.Discard)()
	release()
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
		msg := "no bars in " + strings.Join(cfg.Data.Files, ", ") + ": the data has a header but no rows"
		if res.SkippedRows > 0 {
			msg = fmt.Sprintf("no bars in %s: all %d rows were bad and skipped (first: %s)",
				strings.Join(cfg.Data.Files, ", "), res.SkippedRows, res.SkippedErrors[0])
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
	if then != nil {
		if terr := then(res); terr != nil {
			return errors.Join(err, terr)
		}
	}
	printSummary(stdout, res, w.Results().Analysis, out)
	if replacing {
		fmt.Fprintf(stdout, "replaced the previous run in %s/\n", out)
	}
	if storePath != "" {
		if serr := recordRun(ctx, storePath, cfg, out, w.Results(), res, started); serr != nil {
			return errors.Join(err, serr)
		}
	}
	if err != nil {
		return runError(ctx, err)
	}
	return nil
}

// runConfig makes the effective configuration and the output folder
// from the config file, if any, and the flags in command-line order.
func runConfig(o *runOptions) (backtest.Config, string, error) {
	var cfg backtest.Config
	out := ""
	if o.config != "" {
		b, err := readConfigFile(o.config)
		if err != nil {
			return cfg, "", badInput(err)
		}
		if err := backtest.DecodeYAMLSections(o.config, b, &cfg, map[string]*string{"out": &out}, map[string]backtest.Section{"sweep": refuseSweep}); err != nil {
			return cfg, "", badInput(err)
		}
	}
	if err := o.settings.apply(&cfg); err != nil {
		return cfg, "", badInput(err)
	}
	if cfg.Strategy.Orders != "" && o.settings.gives("strategy.name", "strategy.params") {
		return cfg, "", badInput(errors.New("run: --orders replaces the strategy; do not give --strategy or --param with it"))
	}
	if o.out != "" {
		out = o.out
	}
	if err := cfg.UseCatalog(); err != nil {
		return cfg, "", badInput(err)
	}
	if len(cfg.Data.Files) == 0 {
		return cfg, "", usageHint("quantloop run", errors.New("run: --data is required (or data.files in the --config file)"))
	}
	if err := cfg.Validate(); err != nil {
		return cfg, "", badInput(err)
	}
	if out == "" {
		var err error
		if out, err = defaultOut(cfg); err != nil {
			return cfg, "", err
		}
	}
	return cfg, out, nil
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

// signalExit returns err, an error of work that ctx stopped, as the exit
// for the signal that stopped it; nil when err is not an interruption or
// no signal caused it.
func signalExit(ctx context.Context, err error) error {
	var se signalError
	if errors.Is(err, engine.ErrInterrupted) && errors.As(context.Cause(ctx), &se) {
		return exitError{signalStatus(se.sig), err}
	}
	return nil
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
	what := cfg.Strategy.Name + formatParams(cfg.Strategy.Params)
	if cfg.Strategy.Orders != "" {
		what = "orders from " + cfg.Strategy.Orders
	}
	fmt.Fprintf(w, "quantloop run%s: %s on %s\n", status, what, strings.Join(cfg.Data.Files, ", "))
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
	printPrices(w, res, dir)
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

// defaultOut returns the output folder of a run of cfg given no --out:
// runs/STRATEGY-HASH, STRATEGY the strategy's name ("orders" for an
// order file) with characters other than letters, digits, - and _ as _,
// and HASH the first 8 hex digits of the SHA-256 of the configuration as
// given, in canonical YAML. (The run's config.yaml adds what the run
// works out, such as the periods per year, so its hash may differ.) The
// same command gives the same folder, where a new run replaces the
// previous one.
func defaultOut(cfg backtest.Config) (string, error) {
	canon, err := cfg.CanonicalYAML()
	if err != nil {
		return "", err
	}
	name := cfg.Strategy.Name
	if cfg.Strategy.Orders != "" || name == "" {
		name = "orders"
	}
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return '_'
	}, name)
	sum := sha256.Sum256(canon)
	return filepath.Join("runs", name+"-"+hex.EncodeToString(sum[:4])), nil
}
