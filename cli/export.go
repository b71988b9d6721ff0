package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/store"
)

// exportCommand returns runs export.
func exportCommand(stdout, stderr io.Writer) *cobra.Command {
	var path, out, format string
	c := &cobra.Command{
		Use:   "export --store FILE ID (--out DIR | --format csv|json)",
		Short: "write a stored run's folder, re-run and checked against the store, or its row",
		Long: `Write a stored run.

With --out, the run folder: the stored config is run again into DIR, as
'quantloop run --config config.yaml' does, and the new run is checked
against the store (every metric, and every row the store kept). An input
file that changed or is gone since the run was stored is refused first
(exit status 2, nothing written); any other difference is an error (exit
status 1) and DIR is left as the new run made it. The folder is byte for
byte the one a run of the config writes.

With --format, the run's row: its id, every setting by config path and
every metric by name, as csv or json, on the standard output.`,
		Args: oneArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (out == "") == (format == "") {
				return usageHint(cmd.CommandPath(), errors.New("export: give --out DIR or --format csv|json"))
			}
			if format != "" && format != "csv" && format != "json" {
				return usageHint(cmd.CommandPath(), fmt.Errorf("--format: %q: want csv or json", format))
			}
			return cmdRunsExport(cmd.Context(), path, args[0], out, format, stdout, stderr)
		},
	}
	c.Flags().StringVar(&path, "store", "", "the run store `file`")
	c.Flags().StringVar(&out, "out", "", "write the run folder to this `directory`")
	c.Flags().StringVar(&format, "format", "", "write the run's row in this `format`: csv or json")
	return c
}

func cmdRunsExport(ctx context.Context, path, prefix, out, format string, stdout, stderr io.Writer) error {
	s, err := openExisting(path)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := getRun(ctx, s, prefix)
	if err != nil {
		return err
	}
	if format != "" {
		l := newListing([]*store.Summary{{ID: r.ID, Params: r.Params, Metrics: r.Metrics}}, false)
		l.params = slices.Sorted(maps.Keys(r.Params)) // every setting, not only those that vary
		if format == "csv" {
			return writeListCSV(stdout, l)
		}
		return writeListJSON(stdout, l)
	}
	return exportFolder(ctx, s, r, out, stderr)
}

// exportFolder runs the stored config of r again into dir and checks the
// new run against r.
func exportFolder(ctx context.Context, s *store.Store, r *store.Run, dir string, stderr io.Writer) error {
	// Input files that changed since the run was stored cannot give it
	// again: refused before anything is written.
	var stored struct {
		Inputs []manifest.FileHash `json:"inputs"`
	}
	if err := json.Unmarshal(r.Manifest, &stored); err != nil {
		return fmt.Errorf("export: the stored manifest: %w", err)
	}
	if d := changedInput(stored.Inputs); d != "" {
		return badInput(fmt.Errorf("export %s: the run cannot be made again: %s; nothing written", r.ID, d))
	}
	release := holdExit(ctx)
	tmp, err := os.MkdirTemp("", "quantloop-export-*")
	if err != nil {
		release()
		return err
	}
	defer os.RemoveAll(tmp)
	defer onExit(ctx, func() { os.RemoveAll(tmp) })()
	release()
	cfgFile := filepath.Join(tmp, report.ConfigFile)
	if err := os.WriteFile(cfgFile, r.Config, 0o600); err != nil {
		return err
	}
	o := &runOptions{config: cfgFile, out: dir}
	if err := cmdRun(ctx, o, io.Discard, stderr); err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(dir, report.ResultsFile))
	if err != nil {
		return err
	}
	var results report.Results
	if err := json.Unmarshal(b, &results); err != nil {
		return fmt.Errorf("export: %s: %w", report.ResultsFile, err)
	}
	if results.Manifest == nil {
		return fmt.Errorf("export: %s has no manifest", report.ResultsFile)
	}
	differ := func(what string) error {
		return exitError{exitInternal, fmt.Errorf("export %s: the run again differs from the stored run: %s (the new run is in %s)", r.ID, what, dir)}
	}
	// The inputs were checked before the run; a file changed during it.
	if !slices.Equal(results.Manifest.Inputs, stored.Inputs) {
		return differ("the input files changed since it was stored")
	}
	metrics, err := store.Scalars(&results)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(r.Metrics)) {
		if metrics[name].Text != r.Metrics[name].Text {
			return differ(fmt.Sprintf("metric %s is %s, stored %s", name, metrics[name].Text, r.Metrics[name].Text))
		}
	}
	// The rows are compared where the folder holds them in full: at
	// --outputs metrics it holds no CSV file, and at lean its equity.csv is
	// thinned by day, not as the store thins a curve.
	var cfg backtest.Config
	if err := backtest.DecodeYAML(report.ConfigFile, r.Config, &cfg, nil); err != nil {
		return fmt.Errorf("export: the stored config: %w", err)
	}
	level := cfg.Analysis.Outputs
	for _, t := range []struct {
		table store.Table
		file  string
	}{{store.Trades, report.TradesFile}, {store.Orders, report.OrdersFile}, {store.Fills, report.FillsFile}, {store.Equity, report.EquityFile}} {
		if level == backtest.OutputsMetrics || level == backtest.OutputsLean && t.table == store.Equity {
			continue
		}
		kept, err := s.Rows(ctx, r.ID, t.table)
		if err != nil {
			return err
		}
		if len(kept) == 0 {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, t.file))
		if err != nil {
			return err
		}
		rows, err := store.CSVRows(b)
		if err != nil {
			return err
		}
		if t.table == store.Equity && r.Keep == store.KeepThin {
			rows = store.Thin(rows, store.ThinPoints)
		}
		if !slices.Equal(rows, kept) {
			return differ(t.file + " differs from the rows stored")
		}
	}
	return nil
}
