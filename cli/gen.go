package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	if err := checkGenSpace(out, opts.Bars, max(len(symbols), 1)); err != nil {
		return badInput(err)
	}
	paths, err := data.GenerateFiles(out, opts)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	return nil
}

// genRowBytes is the fewest bytes a generated row takes: a date, four
// prices of at least three digits and a point, a volume digit, the commas
// and the line end ("2020-01-01,0.05,0.05,0.05,0.05,1\n" is 33).
const genRowBytes = 30

// checkGenSpace returns an error when bars rows for each of symbols
// cannot fit in the free space of the filesystem that holds out (or its
// nearest existing parent): a mistyped --bars would fill the disk, for
// other programs too, before the write failed. Where the free space is
// not known it says nothing.
func checkGenSpace(out string, bars, symbols int) error {
	dir := out
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	free, ok := diskFree(dir)
	if !ok {
		return nil
	}
	// The product in float64: bars and symbols may each be near the
	// largest int.
	if need := float64(bars) * float64(symbols) * genRowBytes; need > float64(free) {
		return fmt.Errorf("gen: --bars %d for %d symbol(s) takes at least %.2g bytes, and the disk of %s has %.2g bytes free", bars, symbols, need, dir, float64(free))
	}
	return nil
}
