package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/indicator"
)

// seriesOptions are the flags of the commands that turn one data file
// into another CSV: indicators and resample.
type seriesOptions struct {
	data, out, timezone, layout string
	specs                       []string
	to                          string
}

// dataFlags defines the flags that say how the input file is read.
func (o *seriesOptions) dataFlags(c *cobra.Command) {
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.data, "data", "", "CSV `file` of bars, read as run reads it")
	fs.StringVar(&o.out, "out", "", "output CSV `file`")
	fs.StringVar(&o.timezone, "timezone", "", "IANA `zone` of times written without one (default UTC)")
	fs.StringVar(&o.layout, "time-layout", "", "Go time `layout` of the time column (default: detected)")
}

// indicatorsCommand returns the indicators command.
func indicatorsCommand() *cobra.Command {
	var o seriesOptions
	c := &cobra.Command{
		Use:   "indicators --data FILE --ind SPEC [--ind SPEC]... --out FILE",
		Short: "write indicators of a data file, one row per bar",
		Long: "indicators writes one row per bar of --data: the bar's time, then every requested\n" +
			"indicator's columns, empty until the indicator is ready. SPEC is name[:param...];\n" +
			"a column is named for its indicator (rsi) or indicator_part (macd_line), with the\n" +
			"parameters appended when one indicator is requested twice.\n\nIndicators:\n" + indicator.Help(),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(o.specs) == 0 {
				return usageHint("quantloop indicators", errors.New("indicators: give at least one --ind"))
			}
			inds, err := indicator.ParseSpecs(o.specs)
			if err != nil {
				return usageHint("quantloop indicators", fmt.Errorf("indicators: %w", err))
			}
			return o.convert(cmd.Context(), "indicators", func(w io.Writer, src data.Source) error { return indicator.WriteCSV(w, src, inds) })
		},
	}
	o.dataFlags(c)
	c.Flags().StringArrayVar(&o.specs, "ind", nil, "indicator `spec`, e.g. rsi:14, macd:12:26:9, bbands:20:2 (repeatable)")
	return c
}

// resampleCommand returns the resample command.
func resampleCommand() *cobra.Command {
	var o seriesOptions
	c := &cobra.Command{
		Use:   "resample --data FILE --to TIMEFRAME --out FILE",
		Short: "write a data file's bars at a coarser timeframe",
		Long: "resample writes the bars of --data at the timeframe --to (15m, 1h, 1d, 1w, 1mo):\n" +
			"open of the first source bar, high the maximum, low the minimum, close of the last,\n" +
			"volume the sum, time the time of the last source bar; one row per period with at\n" +
			"least one source bar. Intraday periods start at midnight of the data's zone, weeks\n" +
			"are ISO weeks (Monday to Sunday), months calendar months.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.to == "" {
				return usageHint("quantloop resample", errors.New("resample: --to is required"))
			}
			tf, err := data.ParseTimeframe(o.to)
			if err != nil {
				return usageHint("quantloop resample", fmt.Errorf("resample: --to: %w", err))
			}
			return o.convert(cmd.Context(), "resample", func(w io.Writer, src data.Source) error { return data.WriteResampled(w, src, tf) })
		},
	}
	o.dataFlags(c)
	c.Flags().StringVar(&o.to, "to", "", "target `timeframe`: N minutes (15m), hours (1h), days (1d), weeks (1w) or months (1mo)")
	return c
}

// convert opens --data and writes what write makes of it to --out
// through a temporary file (writeAtomic), so that a failed command leaves no
// output that looks complete.
func (o *seriesOptions) convert(ctx context.Context, name string, write func(io.Writer, data.Source) error) error {
	if o.data == "" || o.out == "" {
		return usageHint("quantloop "+name, fmt.Errorf("%s: --data and --out are required", name))
	}
	var cfg backtest.Config
	cfg.Data.Files = []string{o.data}
	cfg.Data.Timezone = o.timezone
	cfg.Data.TimeLayout = o.layout
	opts, err := cfg.DataOptions()
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", name, err))
	}
	r, err := data.Open(o.data, opts)
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", name, err))
	}
	defer r.Close()
	err = writeAtomic(ctx, o.out, func(w io.Writer) error { return write(w, r) })
	var de *data.Error
	if errors.As(err, &de) {
		return badInput(fmt.Errorf("%s: %w", name, err))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
