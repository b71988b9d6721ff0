package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/montecarlo"
	"github.com/quantloop/quantloop/report"
)

// Files the montecarlo command writes.
const (
	montecarloDir  = "montecarlo"
	montecarloJSON = "montecarlo.json"
	montecarloHTML = "montecarlo.html"
)

// montecarloOptions are the montecarlo command's flags.
type montecarloOptions struct {
	opts   montecarlo.Options
	seed   int64
	out    string
	levels []float64
}

// montecarloCommand returns the montecarlo command.
func montecarloCommand(stdout io.Writer) *cobra.Command {
	var o montecarloOptions
	c := &cobra.Command{
		Use:   "montecarlo DIR [flags]",
		Short: "resample a finished run's trades and returns into many paths: quantiles, drawdowns, ruin",
		Args:  oneArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdMontecarlo(cmd.Context(), args[0], &o, cmd.Flags().Changed("seed"), stdout)
		},
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.IntVar(&o.opts.Paths, "paths", montecarlo.DefaultPaths, "paths per method")
	fs.Int64Var(&o.seed, "seed", 0, "random seed (default the run's seed)")
	fs.IntVar(&o.opts.Jobs, "jobs", 0, "paths made at once (default all cores); changes no number")
	fs.StringVar(&o.out, "out", "", "output `directory` (default DIR/montecarlo)")
	fs.Float64Var(&o.opts.RuinFloor, "ruin", montecarlo.DefaultRuinFloor, "ruin floor, a `fraction` of the initial equity")
	fs.Float64Var(&o.opts.BlockMean, "block", 0, "mean block `length` of the block bootstrap, in periods (default the cube root of the number of returns, rounded)")
	fs.Float64SliceVar(&o.levels, "levels", montecarlo.DefaultLevels, "drawdown `fractions` whose probability of being exceeded is reported")
	return c
}

// cmdMontecarlo runs the montecarlo command on the run folder dir.
func cmdMontecarlo(ctx context.Context, dir string, o *montecarloOptions, seedSet bool, stdout io.Writer) error {
	in, run, err := readRunForMontecarlo(dir)
	if err != nil {
		return badInput(err)
	}
	opts := o.opts
	opts.Levels = o.levels
	opts.Seed = uint64(run.seed)
	if seedSet {
		opts.Seed = uint64(o.seed)
	}
	// Zero means "the default" to the library; on the command line it is
	// a value given, and a bad one.
	switch {
	case opts.Paths < 1 || opts.Paths > montecarlo.MaxPaths:
		return badInput(fmt.Errorf("montecarlo: --paths %d: want 1 to %d", opts.Paths, montecarlo.MaxPaths))
	case opts.Jobs < 0:
		return badInput(fmt.Errorf("montecarlo: --jobs %d: want 0 (all cores) or more", opts.Jobs))
	case opts.RuinFloor == 0:
		return badInput(errors.New("montecarlo: --ruin 0: want a fraction of the initial equity between 0 and 1"))
	}
	rep, err := montecarlo.Run(ctx, in, opts)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return badInput(err)
	}
	if len(rep.Results) == 0 {
		return badInput(fmt.Errorf("montecarlo %s: nothing to resample: the run has no closed trades and no equity points", dir))
	}
	out := o.out
	if out == "" {
		out = filepath.Join(dir, montecarloDir)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("montecarlo: %w", err)
	}
	doc := montecarloFile{Run: run.source, Report: rep}
	if err := writeAtomic(ctx, filepath.Join(out, montecarloJSON), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}); err != nil {
		return fmt.Errorf("montecarlo: %w", err)
	}
	title := "Monte Carlo of " + filepath.Base(filepath.Clean(dir))
	if err := writeAtomic(ctx, filepath.Join(out, montecarloHTML), func(w io.Writer) error {
		return montecarlo.WriteHTML(w, title, rep)
	}); err != nil {
		return fmt.Errorf("montecarlo: %w", err)
	}
	for _, r := range rep.Results {
		fmt.Fprintf(stdout, "%-8s final equity 5/50/95 %%: %s / %s / %s; max drawdown 50/95 %%: %.2f%% / %.2f%%; ruin %.2f%%\n",
			r.Method, fmtQ(r.FinalEquity.P5), fmtQ(r.FinalEquity.P50), fmtQ(r.FinalEquity.P95),
			100*r.MaxDrawdown.P50, 100*r.MaxDrawdown.P95, 100*r.Ruin)
	}
	fmt.Fprintf(stdout, "wrote %s and %s\n", filepath.Join(out, montecarloJSON), filepath.Join(out, montecarloHTML))
	return nil
}

// fmtQ formats a quantile of equity for the summary lines.
func fmtQ(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// montecarloFile is montecarlo.json: the run it was made from, then the
// report.
type montecarloFile struct {
	Run montecarloSource `json:"run"`
	*montecarlo.Report
}

// montecarloSource names the run a montecarlo.json was made from: the
// SHA-256 of its manifest.json, which changes with any of its outputs.
type montecarloSource struct {
	Dir            string `json:"dir"`
	ManifestSHA256 string `json:"manifest_sha256"`
}

// savedRun is what the montecarlo command reads from a run folder
// besides the resampling input.
type savedRun struct {
	seed   int64
	source montecarloSource
}

// readRunForMontecarlo reads the run folder dir: it must hold one
// complete run (report.CheckDir) that was not stopped early. It returns
// the closed trades' net P&L in trades.csv's order, the returns of
// equity.csv's equity from the initial cash, and the run's seed.
func readRunForMontecarlo(dir string) (montecarlo.Input, savedRun, error) {
	var in montecarlo.Input
	var run savedRun
	if err := report.CheckDir(dir); err != nil {
		return in, run, fmt.Errorf("montecarlo %s: not a complete run folder that verifies: %w", dir, err)
	}
	mpath := filepath.Join(dir, report.ManifestFile)
	mh, err := manifest.HashFile(mpath)
	if err != nil {
		return in, run, fmt.Errorf("montecarlo: %w", err)
	}
	run.source = montecarloSource{Dir: dir, ManifestSHA256: mh.SHA256}
	rpath := filepath.Join(dir, report.ResultsFile)
	b, err := os.ReadFile(rpath)
	if err != nil {
		return in, run, fmt.Errorf("montecarlo: %w", err)
	}
	var res struct {
		Partial        bool            `json:"partial"`
		Error          string          `json:"error"`
		InitialCash    decimal.Decimal `json:"initial_cash"`
		PeriodsPerYear report.Float    `json:"periods_per_year"`
		Config         struct {
			Seed int64 `json:"seed"`
		} `json:"config"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return in, run, fmt.Errorf("montecarlo: %s: %w", rpath, err)
	}
	if res.Partial {
		return in, run, fmt.Errorf("montecarlo: %s: the run is partial (%s): resampling a run that stopped early would describe the part it ran, not the strategy", rpath, res.Error)
	}
	run.seed = res.Config.Seed
	in.Initial, in.PeriodsPerYear = res.InitialCash, float64(res.PeriodsPerYear)
	if in.Trades, err = readClosedPnL(filepath.Join(dir, report.TradesFile)); err != nil {
		return in, run, err
	}
	if in.Returns, err = readEquityReturns(filepath.Join(dir, report.EquityFile), in.Initial.InexactFloat64()); err != nil {
		return in, run, err
	}
	return in, run, nil
}

// readCSVColumns opens the CSV file path and returns a reader positioned
// after its header and the index of each named column, or an error
// naming the file and the missing column.
func readCSVColumns(path string, names ...string) (*csv.Reader, func() error, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("montecarlo: %w", err)
	}
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("montecarlo: %s: line 1: header: %w", path, err)
	}
	idx := make([]int, len(names))
	for i, n := range names {
		if idx[i] = slices.Index(head, n); idx[i] < 0 {
			f.Close()
			return nil, nil, nil, fmt.Errorf("montecarlo: %s: line 1: no column %q", path, n)
		}
	}
	return r, f.Close, idx, nil
}

// readClosedPnL returns the pnl_net of the rows of trades.csv at path
// whose status is closed, in the file's order.
func readClosedPnL(path string) ([]decimal.Decimal, error) {
	r, closeFile, idx, err := readCSVColumns(path, "pnl_net", "status")
	if err != nil {
		return nil, err
	}
	defer closeFile()
	var pnl []decimal.Decimal
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return pnl, nil
		}
		if err != nil {
			return nil, fmt.Errorf("montecarlo: %s: %w", path, err)
		}
		if rec[idx[1]] != "closed" {
			continue
		}
		d, err := decimal.NewFromString(rec[idx[0]])
		if err != nil {
			return nil, fmt.Errorf("montecarlo: %s: line %d: field pnl_net: %q is not a number", path, line, rec[idx[0]])
		}
		pnl = append(pnl, d)
	}
}

// readEquityReturns returns the simple returns of the equity column of
// equity.csv at path, the first from initial.
func readEquityReturns(path string, initial float64) ([]float64, error) {
	r, closeFile, idx, err := readCSVColumns(path, "equity")
	if err != nil {
		return nil, err
	}
	defer closeFile()
	var ret []float64
	prev := initial
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return ret, nil
		}
		if err != nil {
			return nil, fmt.Errorf("montecarlo: %s: %w", path, err)
		}
		e, err := strconv.ParseFloat(rec[idx[0]], 64)
		if err != nil {
			return nil, fmt.Errorf("montecarlo: %s: line %d: field equity: %q is not a number", path, line, rec[idx[0]])
		}
		ret = append(ret, e/prev-1)
		prev = e
	}
}
