package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/data"
)

// genCommand returns the gen command.
func genCommand(stdout io.Writer) *cobra.Command {
	var g genOptions
	c := &cobra.Command{
		Use:   "gen --out DIR [flags]",
		Short: "write deterministic synthetic OHLCV CSV files",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmdGen(&g, stdout) },
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&g.out, "out", "", "output `directory` (one SYMBOL.csv per symbol)")
	fs.StringSliceVar(&g.symbols, "symbols", nil, "comma-separated symbol `names` (default SYN)")
	fs.IntVar(&g.opts.Bars, "bars", 1000, "bars per symbol")
	fs.StringVar(&g.start, "start", "2020-01-01", "first bar `date` (YYYY-MM-DD)")
	fs.DurationVar(&g.opts.Interval, "interval", 24*time.Hour, "bar `interval`: 24h for daily bars on weekdays, less for intraday bars in 09:30-16:00 sessions (e.g. 1m)")
	fs.Uint64Var(&g.opts.Seed, "seed", 1, "random seed: the same seed and flags give byte-identical files")
	fs.Float64Var(&g.opts.StartPrice, "price", 100, "starting price")
	fs.Float64Var(&g.opts.Volatility, "vol", 0.25, "annualized volatility")
	fs.Float64Var(&g.opts.Drift, "drift", 0.05, "annualized drift")
	return c
}

// genOptions are gen's flags.
type genOptions struct {
	opts       data.GenOptions
	out, start string
	symbols    []string
}

func cmdGen(g *genOptions, stdout io.Writer) error {
	opts, out, start := g.opts, g.out, g.start
	var symbols []string
	for _, s := range g.symbols {
		if s = strings.TrimSpace(s); s != "" {
			symbols = append(symbols, s)
		}
	}
	if out == "" {
		return usageHint("quantloop gen", errors.New("gen: --out is required"))
	}
	if opts.Bars < 1 {
		return badInput(fmt.Errorf("gen: --bars %d must be at least 1", opts.Bars))
	}
	if opts.Interval <= 0 {
		return badInput(fmt.Errorf("gen: --interval %v must be positive", opts.Interval))
	}
	t, err := time.Parse("2006-01-02", start)
	if err != nil {
		return badInput(fmt.Errorf("gen: --start %q is not a YYYY-MM-DD date", start))
	}
	opts.Start = t
	opts.Symbols = symbols
	paths, err := data.GenerateFiles(out, opts)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	return nil
}
