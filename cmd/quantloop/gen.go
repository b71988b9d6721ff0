package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/quantloop/quantloop/data"
)

func cmdGen(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", "--out DIR [flags]", stdout, stderr)
	var symbols []string
	opts := data.GenOptions{}
	out, start := "", "2020-01-01"
	fs.StringVar(&out, "out", "", "output `directory` (one SYMBOL.csv per symbol)")
	fs.Var(listFlag{&symbols, true}, "symbols", "comma-separated symbol `names` (default SYN)")
	fs.IntVar(&opts.Bars, "bars", 1000, "bars per symbol")
	fs.StringVar(&start, "start", start, "first bar `date` (YYYY-MM-DD)")
	fs.DurationVar(&opts.Interval, "interval", 24*time.Hour, "bar `interval`: 24h for daily bars on weekdays, less for intraday bars in 09:30-16:00 sessions (e.g. 1m)")
	fs.Uint64Var(&opts.Seed, "seed", 1, "random seed: the same seed and flags give byte-identical files")
	fs.Float64Var(&opts.StartPrice, "price", 100, "starting price")
	fs.Float64Var(&opts.Volatility, "vol", 0.25, "annualized volatility")
	fs.Float64Var(&opts.Drift, "drift", 0.05, "annualized drift")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
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
