package cli

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/catalog"
)

// ingestPaths are the config paths whose run flags ingest takes: the
// data files and how to read them.
var ingestPaths = []string{"data.files", "data.symbol", "data.time_layout", "data.timezone", "data.header",
	"data.columns.KEY", "data.order", "data.delimiter"}

// ingestCommand returns the ingest command.
func ingestCommand(stdout io.Writer) *cobra.Command {
	var o ingestOptions
	c := &cobra.Command{
		Use:   "ingest --data FILE[,FILE...] --catalog DIR [flags]",
		Short: "check CSV files once and write them to a Parquet catalog",
		Long: `Check CSV files once and write them to a Parquet catalog.

Each file's bars are read and checked as 'quantloop run' reads them (a bad
row stops the ingest, naming its line and column) and written to
DIR/SYMBOL.parquet: exact prices at the engine's scale, the zone of the
times, and the SHA-256 of the CSV file in the file's metadata. The same
CSV gives the same Parquet bytes. 'quantloop run --catalog DIR' reads the
catalog.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdIngest(cmd, &o, stdout)
		},
	}
	fs := c.Flags()
	fs.SortFlags = false
	var rows []flagRow
	for _, r := range runFlagTable {
		if slices.Contains(ingestPaths, r.path) {
			rows = append(rows, r)
		}
	}
	addFlagRows(fs, &o.settings, rows)
	fs.StringVar(&o.dir, "catalog", "", "the catalog folder `DIR` to write (created if missing)")
	return c
}

// ingestOptions are ingest's flags.
type ingestOptions struct {
	settings
	dir string
}

func cmdIngest(cmd *cobra.Command, o *ingestOptions, stdout io.Writer) error {
	var cfg backtest.Config
	if err := o.settings.apply(&cfg); err != nil {
		return badInput(err)
	}
	if len(cfg.Data.Files) == 0 {
		return usageHint(cmd.CommandPath(), errors.New("ingest: --data is required"))
	}
	if o.dir == "" {
		return usageHint(cmd.CommandPath(), errors.New("ingest: --catalog is required"))
	}
	if err := cfg.Validate(); err != nil {
		return badInput(err)
	}
	opts, err := cfg.DataOptions()
	if err != nil {
		return badInput(err)
	}
	files := cfg.Data.DataFiles()
	srcs := make([]catalog.Source, len(files))
	for i, f := range files {
		srcs[i] = catalog.Source{Symbol: f.Symbol, Path: f.Path}
		if f.Symbol == "" && len(files) == 1 {
			srcs[i].Symbol = cfg.Data.Symbol
		}
	}
	done, err := catalog.Ingest(o.dir, srcs, opts)
	for _, in := range done {
		fmt.Fprintf(stdout, "%s: %d bars from %s (sha256 %s) -> %s\n", in.Symbol, in.Bars, in.Source.Path,
			hex.EncodeToString(in.Source.SHA256[:]), in.Path)
	}
	if err != nil {
		return badInput(err)
	}
	return nil
}
