package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/audit"
)

// errLookAhead marks an audit that found a decision depending on later
// data (exit status 1).
var errLookAhead = errors.New("look-ahead")

// auditOptions are the audit command's flags.
type auditOptions struct {
	settings
	config     string
	cuts, jobs int
}

// auditCommand returns the audit command: run's settings flags, the cut
// count and the workers.
func auditCommand(stdout io.Writer) *cobra.Command {
	var o auditOptions
	c := &cobra.Command{
		Use:   "audit --config FILE | --data FILE[,FILE...] [flags]",
		Short: "look for look-ahead: re-run on data cut at seeded bar times and compare every order decision",
		Long: `Look for look-ahead: decisions that depend on data after the bar that made them.

The run is made once on all its data, then again on the data cut at bar
times drawn with the run's seed (--seed); every order submitted, modified or
canceled at or before a cut must be the same in both. Exit status 0 when
clean, 1 when a decision depends on later data, 2 on bad input.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmdAudit(cmd.Context(), &o, stdout) },
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.config, "config", "", "YAML config `file` describing the run; flags given as well override it")
	addRunFlags(fs, &o.settings)
	fs.IntVar(&o.cuts, "cuts", audit.DefaultCuts, "number of cut points drawn from the run's bar times")
	fs.IntVar(&o.jobs, "jobs", 0, "truncated runs made at once (default all cores); changes no result")
	return c
}

// cmdAudit runs the audit command.
func cmdAudit(ctx context.Context, o *auditOptions, stdout io.Writer) error {
	if o.config == "" && !o.settings.gives("data.files") {
		return usageHint("quantloop audit", errors.New("audit: --data is required (or data.files in the --config file)"))
	}
	cfg, _, err := runConfig(&runOptions{settings: o.settings, config: o.config})
	if err != nil {
		return err
	}
	if o.cuts < 1 || o.jobs < 0 {
		return badInput(fmt.Errorf("audit: --cuts %d, --jobs %d: want at least 1 cut and 0 or more jobs", o.cuts, o.jobs))
	}
	rep, err := audit.Run(ctx, cfg, audit.Options{Cuts: o.cuts, Seed: uint64(cfg.Seed), Jobs: o.jobs})
	if serr := signalExit(ctx, err); serr != nil {
		return serr
	}
	if err != nil {
		return badInput(err)
	}
	found := 0
	for _, c := range rep.Cuts {
		if c.Finding != nil {
			found++
		}
	}
	fmt.Fprintf(stdout, "audit: %d bar times, %d decisions; %d cuts (seed %d), %d with a difference\n",
		rep.Timestamps, rep.Decisions, len(rep.Cuts), cfg.Seed, found)
	if rep.Clean() {
		fmt.Fprintln(stdout, "audit: clean: every decision at or before each cut is the same on the cut data")
		return nil
	}
	f := rep.First
	symbol := ""
	if f.Symbol != "" {
		symbol = ", symbol " + f.Symbol
	}
	return exitError{exitInternal, fmt.Errorf("audit: %w: the decision at %s%s depends on data after it (the run cut at %s differs, decision %d)\n  full run:      %s\n  cut at %s: %s",
		errLookAhead, f.Bar.Format(time.RFC3339), symbol, f.Cut.Format(time.RFC3339), f.Index+1, f.Full, f.Cut.Format(time.RFC3339), f.Truncated)}
}
