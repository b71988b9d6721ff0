package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/store"
	"github.com/quantloop/quantloop/sweep"
)

// sweepOptions are the sweep command's flags.
type sweepOptions struct {
	config, store, where, keep, shard string
	html, heatmap, objective          string
	sets, grids, values, ranges       []string
	random, jobs, shards              int
	seed                              uint64
}

// sweepCommand returns the sweep command.
func sweepCommand(stdout, stderr io.Writer) *cobra.Command {
	var o sweepOptions
	c := &cobra.Command{
		Use:   "sweep --config run.yaml --grid PATH=START:STOP:STEP... --store FILE [flags]",
		Short: "run many configurations of one config into a run store",
		Long: `Run many configurations of one config file into a run store, on every
core, and measure each run's deflated Sharpe ratio against the sweep's own
trials (see docs/sweeps.md).

Any config path varies: --grid PATH=START:STOP:STEP (stop included),
--values PATH=A,B,C, and --random N draws of --range PATH=LO:HI or
PATH=log:LO:HI (whole numbers when LO and HI are), seeded by --seed. The
grids and lists combine in every way, each with every draw. --where keeps
the configurations for which a condition over the varied settings holds
(a setting by its path or its last part): 'fast < slow'.

The data is read once and shared by all runs; runs write nothing but the
store. Re-running a sweep skips the runs the store holds, so a stopped
sweep resumes. --shard I/N runs the I-th of N shards (I from 1); without
it, --shards N takes I from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or
AWS_BATCH_JOB_ARRAY_INDEX. 'quantloop runs merge' joins the shards' stores.

The config file's sweep: section may hold all of these (grid, values,
ranges, random, seed, where, jobs, keep, store, shards, html, heatmap,
objective); flags add to it and override it. The sweep ends with its best
runs by --objective and writes sweep.html next to the store (--html).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdSweep(cmd, &o, stdout, stderr)
		},
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.config, "config", "", "the YAML config `file` every run starts from")
	fs.StringArrayVar(&o.sets, "set", nil, "set a config path of the base config, `PATH=VALUE` (repeatable)")
	fs.StringArrayVar(&o.grids, "grid", nil, "vary a path over a range, `PATH=START:STOP:STEP` (repeatable; stop included)")
	fs.StringArrayVar(&o.values, "values", nil, "vary a path over a list, `PATH=A,B,C` (repeatable)")
	fs.StringArrayVar(&o.ranges, "range", nil, "draw a path at random, `PATH=LO:HI` or PATH=log:LO:HI (repeatable; with --random)")
	fs.IntVar(&o.random, "random", 0, "the number of random draws of the --range paths")
	fs.Uint64Var(&o.seed, "seed", 0, "the seed of the random draws")
	fs.StringVar(&o.where, "where", "", "keep the configurations for which this `condition` holds, e.g. 'fast < slow'")
	fs.StringVar(&o.store, "store", "", "the run store `file` (created if missing)")
	fs.IntVar(&o.jobs, "jobs", 0, "runs at once (default GOMAXPROCS)")
	fs.StringVar(&o.keep, "keep", "thin", "what the store keeps of each run: thin (trades and a thinned equity curve) or full (also orders, fills and the whole curve)")
	fs.StringVar(&o.shard, "shard", "", "run only shard `I/N` of the sweep (I counts from 1)")
	fs.IntVar(&o.shards, "shards", 0, "the number of shards, the index coming from the batch scheduler's environment")
	fs.StringVar(&o.objective, "objective", "sharpe", "the metric that ranks the runs, highest first (`NAME`, or -NAME for lowest first)")
	fs.StringVar(&o.html, "html", "", "write the sweep's HTML report to this `file` (default sweep.html next to the store, none for a shard; - for none)")
	fs.StringVar(&o.heatmap, "heatmap", "", "the two varied paths of the report's heatmap, `X,Y` (default the first two)")
	return c
}

func cmdSweep(cmd *cobra.Command, o *sweepOptions, stdout, stderr io.Writer) error {
	hint := func(err error) error { return usageHint(cmd.CommandPath(), err) }
	if o.config == "" {
		return hint(errors.New("sweep: --config is required"))
	}
	b, err := readConfigFile(o.config)
	if err != nil {
		return badInput(err)
	}
	var plan sweep.Plan
	var out string
	var sec *sweep.Section
	sections := map[string]backtest.Section{"sweep": func(name string, n *yaml.Node) (err error) {
		sec, err = sweep.DecodeSection(name, n)
		return err
	}}
	if err := backtest.DecodeYAMLSections(o.config, b, &plan.Base, map[string]*string{"out": &out}, sections); err != nil {
		return badInput(err)
	}
	if sec != nil {
		o.fromSection(cmd.Flags().Changed, sec)
		plan.Space = sec.Space
	}
	for _, s := range o.sets {
		path, value, ok := strings.Cut(s, "=")
		if !ok {
			return hint(fmt.Errorf("--set %q: want PATH=VALUE", s))
		}
		if err := plan.Base.Set(path, value); err != nil {
			return badInput(fmt.Errorf("--set: %w", err))
		}
	}
	if o.store == "" {
		return hint(errors.New("sweep: --store is required (or store: in the config's sweep section)"))
	}
	if o.keep != string(store.KeepThin) && o.keep != string(store.KeepFull) {
		return hint(fmt.Errorf("--keep: %q: want thin or full", o.keep))
	}
	if o.jobs < 0 || o.random < 0 {
		return hint(errors.New("sweep: --jobs and --random take 0 or more"))
	}
	// The flags' dimensions follow the file's, replacing those of their paths.
	flags, err := o.space()
	if err != nil {
		return badInput(err)
	}
	sp := &plan.Space
	sp.Grid = append(slices.DeleteFunc(sp.Grid, func(x sweep.Dim) bool {
		return slices.ContainsFunc(flags.Grid, func(d sweep.Dim) bool { return d.Path == x.Path })
	}), flags.Grid...)
	sp.Ranges = append(slices.DeleteFunc(sp.Ranges, func(x sweep.Range) bool {
		return slices.ContainsFunc(flags.Ranges, func(r sweep.Range) bool { return r.Path == x.Path })
	}), flags.Ranges...)
	sp.Random, sp.Seed, sp.Where = flags.Random, flags.Seed, flags.Where
	if len(sp.Grid) == 0 && sp.Random == 0 {
		return hint(errors.New("sweep: give what varies: --grid, --values, or --random with --range"))
	}
	if plan.Shard, plan.Shards, err = shardOf(o.shard, o.shards, os.Getenv); err != nil {
		return hint(err)
	}
	var heat []string
	if o.heatmap != "" {
		heat = strings.Split(o.heatmap, ",")
	}
	if _, err := sweep.HeatmapAxes(plan.Space.Paths(), heat); err != nil {
		return hint(fmt.Errorf("--heatmap: %w", err))
	}
	if name, _ := strings.CutPrefix(o.objective, "-"); !store.IsMetric(name) {
		return badInput(fmt.Errorf("--objective %q: no run has a metric of this name (names as quantloop runs list --format csv gives them: sharpe, total_return, analysis.returns.omega)", o.objective))
	}
	htmlPath := o.html
	switch {
	case htmlPath == "-":
		htmlPath = ""
	case htmlPath == "" && plan.Shards == 0:
		htmlPath = filepath.Join(filepath.Dir(o.store), "sweep.html")
	}
	if os.Getenv("GOGC") == "" {
		// A sweep allocates much per run and keeps little of it: a
		// collection at 5x the live heap rather than 2x costs a sweep
		// about 15 % less CPU, for memory that stays small.
		defer debug.SetGCPercent(debug.SetGCPercent(sweepGCPercent))
	}
	// Every configuration is built and checked, and the data read, before
	// the store is opened: a plan that cannot run leaves no store. A store
	// that could not be opened, or a page that could not be written, is
	// found first.
	if err := checkStore(o.store); err != nil {
		return badInput(err)
	}
	if htmlPath != "" {
		if err := checkFileOut("--html", htmlPath); err != nil {
			return badInput(err)
		}
	}
	ctx := cmd.Context()
	// interrupted is the error of a sweep stopped through ctx after added
	// runs were stored.
	interrupted := func(added int) error {
		err := fmt.Errorf("sweep interrupted: %d runs stored, re-run the sweep to resume", added)
		var se signalError
		if errors.As(context.Cause(ctx), &se) {
			return exitError{signalStatus(se.sig), err}
		}
		return exitError{exitInternal, err}
	}
	prep, err := sweep.Prepare(ctx, plan, o.jobs)
	if err != nil {
		if errors.Is(err, engine.ErrInterrupted) {
			return interrupted(0)
		}
		return badInput(err)
	}
	st, err := openStore(o.store)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := prep.Run(ctx, st, sweep.Options{Jobs: o.jobs, Keep: store.Keep(o.keep), Progress: sweepProgress(stderr)})
	if err != nil {
		if sum == nil {
			return badInput(err)
		}
		if errors.Is(err, engine.ErrInterrupted) || ctx.Err() != nil {
			return interrupted(sum.Added)
		}
		return err
	}
	if err := printSweep(ctx, stdout, st, sum, o.store, o.objective); err != nil {
		return err
	}
	if htmlPath == "" {
		return nil
	}
	runs, err := st.Runs(ctx, sum.ID)
	if err != nil {
		return err
	}
	rep := sweep.Report{ID: sum.ID, Store: o.store, Runs: runs, Varied: plan.Space.Paths(), Objective: o.objective, Heatmap: heat, Stats: sum.Stats}
	if err := writeAtomic(ctx, htmlPath, func(w io.Writer) error { return sweep.WriteHTML(w, rep) }); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	fmt.Fprintf(stdout, "report: %s\n", htmlPath)
	return nil
}

// sweepGCPercent is the garbage collector's target of a sweep (GOGC)
// when the environment sets none.
const sweepGCPercent = 400

// fromSection takes into o the settings of a config file's sweep section
// that no flag gave (changed reports whether a flag was given).
func (o *sweepOptions) fromSection(changed func(string) bool, sec *sweep.Section) {
	str := func(flag string, dst *string, v string) {
		if !changed(flag) && v != "" {
			*dst = v
		}
	}
	num := func(flag string, dst *int, v int) {
		if !changed(flag) && v != 0 {
			*dst = v
		}
	}
	str("store", &o.store, sec.Store)
	str("keep", &o.keep, sec.Keep)
	str("where", &o.where, sec.Space.Where)
	str("html", &o.html, sec.HTML)
	str("heatmap", &o.heatmap, strings.Join(sec.Heatmap, ","))
	str("objective", &o.objective, sec.Objective)
	num("jobs", &o.jobs, sec.Jobs)
	num("shards", &o.shards, sec.Shards)
	num("random", &o.random, sec.Space.Random)
	if !changed("seed") {
		o.seed = sec.Space.Seed
	}
}

// space returns the space of o's --grid, --values, --range, --random,
// --seed and --where.
func (o *sweepOptions) space() (sweep.Space, error) {
	var sp sweep.Space
	for _, g := range o.grids {
		d, err := sweep.ParseGrid(g)
		if err != nil {
			return sp, err
		}
		sp.Grid = append(sp.Grid, d)
	}
	for _, v := range o.values {
		d, err := sweep.ParseValues(v)
		if err != nil {
			return sp, err
		}
		sp.Grid = append(sp.Grid, d)
	}
	for _, r := range o.ranges {
		rg, err := sweep.ParseRange(r)
		if err != nil {
			return sp, err
		}
		sp.Ranges = append(sp.Ranges, rg)
	}
	sp.Random, sp.Seed, sp.Where = o.random, o.seed, o.where
	return sp, nil
}

// shardOf returns the shard to run: from --shard I/N, or with --shards N
// from the batch scheduler's array index (SLURM_ARRAY_TASK_ID, counted
// from SLURM_ARRAY_TASK_MIN, JOB_COMPLETION_INDEX or
// AWS_BATCH_JOB_ARRAY_INDEX, all from 0); 0, 0 for the whole sweep.
func shardOf(flag string, shards int, getenv func(string) string) (int, int, error) {
	if flag != "" {
		is, ns, ok := strings.Cut(flag, "/")
		i, err1 := strconv.Atoi(is)
		n, err2 := strconv.Atoi(ns)
		if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
			return 0, 0, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N", flag)
		}
		if shards != 0 && shards != n {
			return 0, 0, fmt.Errorf("--shard %s and --shards %d disagree", flag, shards)
		}
		return i, n, nil
	}
	if shards == 0 {
		return 0, 0, nil
	}
	for _, v := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"} {
		s := getenv(v)
		if s == "" {
			continue
		}
		idx, err := strconv.Atoi(s)
		if err != nil {
			return 0, 0, fmt.Errorf("%s=%q is not a whole number", v, s)
		}
		if v == "SLURM_ARRAY_TASK_ID" {
			if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
				lo, err := strconv.Atoi(m)
				if err != nil {
					return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_MIN=%q is not a whole number", m)
				}
				idx -= lo
			}
		}
		if idx < 0 || idx >= shards {
			return 0, 0, fmt.Errorf("%s=%d: want 0 to %d for --shards %d", v, idx, shards-1, shards)
		}
		return idx + 1, shards, nil
	}
	return 0, 0, fmt.Errorf("--shards %d: no shard index: give --shard I/N, or set SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX", shards)
}

// printSweep writes what a sweep did and its ten best runs by the
// objective: a metric's name, highest first, or -name, lowest first.
func printSweep(ctx context.Context, w io.Writer, st *store.Store, sum *sweep.Summary, path, objective string) error {
	fmt.Fprintf(w, "quantloop sweep %s\n", sum.ID)
	fmt.Fprintf(w, "  %d configurations", sum.Runs)
	if sum.Selected != sum.Runs {
		fmt.Fprintf(w, ", %d in this shard", sum.Selected)
	}
	fmt.Fprintf(w, ": %d run, %d already in %s\n", sum.Added, sum.Skipped, path)
	if s := sum.Stats; s != nil {
		fmt.Fprintf(w, "  deflated Sharpe over %d trials: per-period Sharpe mean %s, variance %s, max %s\n",
			s.Trials, num(s.SharpeMean), fmtG(s.SharpeVariance), num(s.SharpeMax))
		if !math.IsNaN(s.PBO) {
			fmt.Fprintf(w, "  probability of backtest overfitting (CSCV, %d blocks, %d splits): %s, median logit %s\n",
				s.PBOBlocks, s.PBOSplits, num(s.PBO), num(s.LogitMedian))
		}
	}
	name, asc := strings.CutPrefix(objective, "-")
	// The table shows tableMetrics and ranks by the objective: only those
	// metrics are read.
	runs, err := st.RunsWith(ctx, sum.ID, append([]string{name}, tableMetrics...))
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		// A shard of a sweep of fewer runs than shards.
		fmt.Fprintln(w, "\nno run in this shard to rank")
		return nil
	}
	l := newListing(runs, true)
	if !slices.Contains(l.metrics, name) {
		return badInput(fmt.Errorf("--objective %q: no run has this metric (see quantloop runs list --format csv)", objective))
	}
	sortRuns(l, name, !asc)
	if len(l.runs) > 10 {
		l.runs = l.runs[:10]
	}
	fmt.Fprintf(w, "\nbest by %s:\n", objective)
	if err := writeListTable(w, l); err != nil {
		return err
	}
	sortFlag := "-" + name
	if asc {
		sortFlag = name
	}
	fmt.Fprintf(w, "\nall runs: quantloop runs list --store %s --sweep %s --sort %s\n", path, sum.ID, sortFlag)
	return nil
}

// fmtG formats x with 4 significant digits; non-finite values print as
// "-".
func fmtG(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}
