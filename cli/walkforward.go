package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/store"
	"github.com/quantloop/quantloop/sweep"
	"github.com/quantloop/quantloop/walkforward"
)

// The files a walk-forward writes beside its out-of-sample run.
const (
	WindowsFile     = "windows.csv"
	WalkforwardFile = "walkforward.json"
	CVFile          = "cv.csv"
	CVSummaryFile   = "cv.json"
)

// walkforwardOptions are the walkforward command's flags.
type walkforwardOptions struct {
	sweepOptions
	settings
	out, train, test, step, objective, cv, optimizer string
	anchored                                         bool
	purge, evals                                     int
	embargo                                          float64
}

// walkforwardCommand returns the walkforward command.
func walkforwardCommand(stdout, stderr io.Writer) *cobra.Command {
	var o walkforwardOptions
	c := &cobra.Command{
		Use:   "walkforward --config run.yaml --grid PATH=START:STOP:STEP... --train SPAN --test SPAN --out DIR [flags]",
		Short: "optimize on rolling training spans and trade each test span with the winner, in one run",
		Long: `Walk-forward optimization (see docs/walkforward.md). The data's bar
times are cut into windows: a training span (--train) then a test span
(--test), the next window's test starting --step later (default --test);
spans are calendar (30d, 6w, 18mo, 3y) or bar counts (1000b). With
--anchored every training span starts at the first bar.

In each window the strategy params given by --grid, --values or --random
with --range (strategy.params.* only) are swept over the training span, as
quantloop sweep does, and the best by --objective is kept. The test spans
are then traded in ONE run whose params change at each test start, cash,
positions and working orders carrying over: a normal run folder in --out
(verify re-runs it from its recorded strategy.schedule), with windows.csv
and walkforward.json beside it.

The base config comes from --config and the run flags (but --from, --to,
--orders and --seed: --seed seeds the random draws; --set seed=N sets the
config's).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdWalkforward(cmd, &o, stdout, stderr)
		},
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.config, "config", "", "the YAML config `file` every run starts from")
	fs.StringVar(&o.train, "train", "", "the training span of each window: `SPAN` such as 3y, 18mo, 6w, 30d or 1000b")
	fs.StringVar(&o.test, "test", "", "the test span of each window (`SPAN`)")
	fs.StringVar(&o.step, "step", "", "how far apart the windows' test starts are (`SPAN`, default --test; at most --test)")
	fs.BoolVar(&o.anchored, "anchored", false, "every training span starts at the first bar")
	fs.StringVar(&o.objective, "objective", walkforward.DefaultObjective, "the metric maximized in each window: "+strings.Join(walkforward.Objectives, ", "))
	fs.StringVar(&o.optimizer, "optimize", "", "optimize each window with `nelder-mead` over the --range paths instead of the sweep's grid or random search")
	fs.IntVar(&o.evals, "evals", walkforward.DefaultEvals, "with --optimize nelder-mead: the most training runs in one window")
	fs.StringVar(&o.cv, "cv", "", "cross-validate instead: `kfold:K` (purged k-fold) or cpcv:N:K (combinatorial purged, N groups, K tested)")
	fs.IntVar(&o.purge, "purge", 0, "with --cv: `bars` purged from the training set before each test group")
	fs.Float64Var(&o.embargo, "embargo", 0, "with --cv: the `fraction` of the bars embargoed from the training set after each test group")
	fs.StringArrayVar(&o.grids, "grid", nil, "vary a param over a range, `PATH=START:STOP:STEP` (repeatable; stop included)")
	fs.StringArrayVar(&o.values, "values", nil, "vary a param over a list, `PATH=A,B,C` (repeatable)")
	fs.StringArrayVar(&o.ranges, "range", nil, "draw a param at random, `PATH=LO:HI` or PATH=log:LO:HI (repeatable; with --random)")
	fs.IntVar(&o.random, "random", 0, "the number of random draws of the --range paths")
	fs.Uint64Var(&o.seed, "seed", 0, "the seed of the random draws")
	fs.StringVar(&o.where, "where", "", "keep the configurations for which this `condition` holds, e.g. 'fast < slow'")
	fs.StringVar(&o.out, "out", "", "the `directory` of the out-of-sample run (default out)")
	fs.StringVar(&o.store, "store", "", "record the training runs, one sweep per window, and the out-of-sample run in this run store `file`")
	fs.IntVar(&o.jobs, "jobs", 0, "training runs at once (default GOMAXPROCS)")
	run := pflag.NewFlagSet("run", pflag.ContinueOnError)
	addRunFlags(run, &o.settings)
	run.VisitAll(func(f *pflag.Flag) {
		switch f.Name {
		case "seed", "from", "to", "orders":
		default:
			fs.AddFlag(f)
		}
	})
	return c
}

func cmdWalkforward(cmd *cobra.Command, o *walkforwardOptions, stdout, stderr io.Writer) error {
	hint := func(err error) error { return usageHint(cmd.CommandPath(), err) }
	var plan walkforward.Plan
	out := ""
	if o.config != "" {
		b, err := readConfigFile(o.config)
		if err != nil {
			return badInput(err)
		}
		if err := backtest.DecodeYAML(o.config, b, &plan.Base, map[string]*string{"out": &out}); err != nil {
			return badInput(err)
		}
	}
	if err := o.settings.apply(&plan.Base); err != nil {
		return badInput(err)
	}
	out = cmp.Or(o.out, out, "out")
	if len(plan.Base.Data.Files) == 0 {
		return hint(errors.New("walkforward: --data is required (or data.files in the --config file)"))
	}
	if plan.Base.Strategy.Orders != "" {
		return badInput(errors.New("walkforward: strategy.orders: a walk-forward optimizes a strategy; it cannot replay an orders file"))
	}
	var err error
	if plan.Space, err = o.space(); err != nil {
		return badInput(err)
	}
	if o.jobs < 0 || o.random < 0 || o.purge < 0 || o.evals < 0 {
		return hint(errors.New("walkforward: --jobs, --random, --purge and --evals take 0 or more"))
	}
	if cmd.Flags().Changed("evals") && o.optimizer != walkforward.NelderMead {
		return hint(errors.New("walkforward: --evals goes with --optimize nelder-mead"))
	}
	if o.cv != "" {
		return cmdCrossValidate(cmd, o, plan.Base, plan.Space, out, stdout)
	}
	if o.purge != 0 || o.embargo != 0 {
		return hint(errors.New("walkforward: --purge and --embargo go with --cv"))
	}
	if o.train == "" || o.test == "" {
		return hint(errors.New("walkforward: --train and --test are required (or --cv)"))
	}
	if plan.Spec.Train, err = walkforward.ParseSpan(o.train); err != nil {
		return badInput(fmt.Errorf("--train: %w", err))
	}
	if plan.Spec.Test, err = walkforward.ParseSpan(o.test); err != nil {
		return badInput(fmt.Errorf("--test: %w", err))
	}
	if o.step != "" {
		if plan.Spec.Step, err = walkforward.ParseSpan(o.step); err != nil {
			return badInput(fmt.Errorf("--step: %w", err))
		}
	}
	plan.Spec.Anchored, plan.Objective, plan.Optimizer, plan.Evals = o.anchored, o.objective, o.optimizer, o.evals
	if len(plan.Space.Grid) == 0 && plan.Space.Random == 0 && plan.Optimizer == "" {
		return hint(errors.New("walkforward: give what is optimized: --grid, --values, or --random with --range"))
	}
	ctx := cmd.Context()
	// The plan is checked and its data read before the store is opened:
	// a plan that cannot run leaves no store.
	prep, err := walkforward.Prepare(ctx, plan)
	if serr := signalExit(ctx, err); serr != nil {
		return serr
	} else if err != nil {
		return badInput(err)
	}
	st, done, err := trainingStore(ctx, o.store)
	if err != nil {
		return err
	}
	defer done()
	res, err := prep.Run(ctx, st, walkforward.Options{Jobs: o.jobs, Progress: windowProgress(stderr)})
	if err != nil {
		if ctx.Err() != nil {
			return runError(ctx, err)
		}
		return badInput(err)
	}
	if err := st.Close(); err != nil {
		return err
	}
	var sum walkforward.Summary
	then := func(oos *backtest.Result) error {
		if err := walkforward.Evaluate(res, oos); err != nil {
			return err
		}
		sum = walkforward.Summarize(res)
		if err := writeAtomic(ctx, filepath.Join(out, WindowsFile), func(w io.Writer) error { return walkforward.WriteWindows(w, res) }); err != nil {
			return fmt.Errorf("walkforward: %w", err)
		}
		return writeAtomic(ctx, filepath.Join(out, WalkforwardFile), func(w io.Writer) error { return walkforward.WriteJSON(w, sum) })
	}
	if err := writeRun(ctx, res.Config, out, o.store, false, stdout, stderr, then); err != nil {
		return err
	}
	printWalkforward(stdout, res, sum, out)
	return nil
}

// trainingStore opens the store file path or, when path is empty, a new
// store in a temporary folder, which an exit on a second interrupt
// removes too. done closes the store and removes the folder.
func trainingStore(ctx context.Context, path string) (st *store.Store, done func(), err error) {
	tmp, unregister := "", func() {}
	if path == "" {
		release := holdExit(ctx)
		defer release()
		if tmp, err = os.MkdirTemp("", "quantloop-walkforward-*"); err != nil {
			return nil, nil, fmt.Errorf("walkforward: %w", err)
		}
		unregister = onExit(ctx, func() { os.RemoveAll(tmp) })
		path = filepath.Join(tmp, "train.db")
	}
	if st, err = openStore(path); err != nil {
		unregister()
		os.RemoveAll(tmp)
		return nil, nil, err
	}
	return st, func() {
		st.Close()
		unregister()
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}, nil
}

// cmdCrossValidate is walkforward --cv: the configurations of space over
// base, cross-validated into cv.csv and cv.json in out.
func cmdCrossValidate(cmd *cobra.Command, o *walkforwardOptions, base backtest.Config, space sweep.Space, out string, stdout io.Writer) error {
	if o.train != "" || o.test != "" || o.step != "" || o.anchored || o.optimizer != "" {
		return usageHint(cmd.CommandPath(), errors.New("walkforward: --cv splits the bars itself and runs every configuration; do not give --train, --test, --step, --anchored or --optimize with it"))
	}
	scheme, err := walkforward.ParseCV(o.cv)
	if err != nil {
		return badInput(err)
	}
	ctx := cmd.Context()
	plan := walkforward.CVPlan{Base: base, Space: space, CV: scheme, Purge: o.purge, Embargo: o.embargo, Objective: o.objective}
	prep, err := walkforward.PrepareCV(ctx, plan, o.jobs)
	if serr := signalExit(ctx, err); serr != nil {
		return serr
	} else if err != nil {
		return badInput(err)
	}
	st, done, err := trainingStore(ctx, o.store)
	if err != nil {
		return err
	}
	defer done()
	res, err := prep.Run(ctx, st, walkforward.Options{Jobs: o.jobs})
	if err != nil {
		if ctx.Err() != nil {
			return runError(ctx, err)
		}
		return badInput(err)
	}
	sum := walkforward.SummarizeCV(res, scheme)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("walkforward: %w", err)
	}
	if err := writeAtomic(ctx, filepath.Join(out, CVFile), func(w io.Writer) error { return walkforward.WriteCV(w, res) }); err != nil {
		return fmt.Errorf("walkforward: %w", err)
	}
	if err := writeAtomic(ctx, filepath.Join(out, CVSummaryFile), func(w io.Writer) error { return walkforward.WriteJSON(w, sum) }); err != nil {
		return fmt.Errorf("walkforward: %w", err)
	}
	fmt.Fprintf(stdout, "quantloop walkforward --cv %s: %d bars, %d splits, purge %d bars, embargo %d bars, %d configurations, objective %s\n",
		o.cv, res.Bars, len(res.Splits), res.Purge, res.EmbargoBars, res.Trials, res.Objective)
	fmt.Fprintf(stdout, "  mean in-sample %s, mean out-of-sample %s, efficiency %s\n", num(float64(sum.MeanIS)), num(float64(sum.MeanOOS)), num(float64(sum.Efficiency)))
	if len(res.PathOutcomes) > 0 {
		sorted := slices.Sorted(slices.Values(res.PathOutcomes))
		fmt.Fprintf(stdout, "  %d backtest paths: %s from %s to %s, median %s\n", len(sorted), res.Objective, num(sorted[0]), num(sorted[len(sorted)-1]), num(sorted[len(sorted)/2]))
	}
	fmt.Fprintf(stdout, "splits in %s, summary in %s\n", filepath.Join(out, CVFile), filepath.Join(out, CVSummaryFile))
	return nil
}

// windowProgress returns a callback that names each window as its
// optimization starts, on w when w is a terminal; nil otherwise.
func windowProgress(w io.Writer) func(int, int) {
	if !isTerminal(w) {
		return nil
	}
	return func(i, n int) { fmt.Fprintf(w, "walkforward: optimizing window %d of %d\n", i+1, n) }
}

// printWalkforward writes the windows of a walk-forward and its summary.
func printWalkforward(w io.Writer, res *walkforward.Result, sum walkforward.Summary, dir string) {
	fmt.Fprintf(w, "\nwalk-forward: %d windows, %d training runs, objective %s\n", len(res.Windows), res.Trials, res.Objective)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  test start\ttest end\tparams\tin-sample\tout-of-sample")
	for _, win := range res.Windows {
		var params []string
		for _, s := range win.Params {
			params = append(params, strings.TrimPrefix(s.Path, "strategy.params.")+"="+s.Value)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", report.FormatTime(win.TestStart), report.FormatTime(win.TestEnd),
			strings.Join(params, " "), num(win.IS), num(win.OOS))
	}
	tw.Flush()
	fmt.Fprintf(w, "  walk-forward efficiency (mean out-of-sample / mean in-sample %s): %s\n", res.Objective, num(float64(sum.Efficiency)))
	for _, s := range sum.Stability {
		fmt.Fprintf(w, "  %s: %d distinct values, unchanged between %s of consecutive windows\n", s.Param, s.Distinct, pct(float64(s.Unchanged)))
	}
	fmt.Fprintf(w, "windows in %s, summary in %s\n", filepath.Join(dir, WindowsFile), filepath.Join(dir, WalkforwardFile))
}

// scheduleNote returns the line verify adds for a run whose config holds
// a parameter schedule (a walk-forward's out-of-sample run), "" for any
// other run.
func scheduleNote(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, report.ConfigFile))
	if err != nil {
		return ""
	}
	var cfg backtest.Config
	if backtest.DecodeYAML(report.ConfigFile, b, &cfg, nil) != nil || len(cfg.Strategy.Schedule) == 0 {
		return ""
	}
	return fmt.Sprintf("  re-run from the recorded parameter schedule (strategy.schedule, %d steps); the optimization that chose it was not repeated\n", len(cfg.Strategy.Schedule))
}
