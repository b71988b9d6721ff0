package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/report"
)

// reportCommand returns the report command.
func reportCommand(stdout io.Writer) *cobra.Command {
	var compare bool
	var out string
	c := &cobra.Command{
		Use:   "report DIR | report --compare DIR DIR... [--out FILE]",
		Short: "redraw report.html from a run's saved results, or compare runs",
		Long: `Redraw DIR/report.html from the run's saved results, without running
anything.

With --compare, write one page that compares two or more runs: their key
figures side by side, their equity curves and drawdowns on shared axes,
and the settings of their config.yaml files that differ. The page goes to
--out, by default ` + report.CompareFile + ` in the current folder. Runs of a run
store are compared on the same page by 'quantloop runs compare --store
FILE ID ID... --html FILE'.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("store") {
				return usageHint(cmd.CommandPath(), errors.New(storeCompareHint))
			}
			if compare {
				if len(args) < 2 {
					return usageHint(cmd.CommandPath(), fmt.Errorf("report --compare: want two or more run folders, got %d", len(args)))
				}
				return cmdCompare(args, out, stdout)
			}
			if err := oneArg(cmd, args); err != nil {
				return err
			}
			if cmd.Flags().Changed("out") {
				return usageHint(cmd.CommandPath(), errors.New("report: --out is for --compare; the report of DIR is DIR/"+report.ReportFile))
			}
			return cmdReport(args[0], stdout)
		},
	}
	c.Flags().BoolVar(&compare, "compare", false, "compare the runs in the folders given")
	c.Flags().StringVar(&out, "out", report.CompareFile, "with --compare, the page's `file`")
	c.Flags().String("store", "", "stored runs are compared by runs compare --store `FILE` --html")
	_ = c.Flags().MarkHidden("store")
	return c
}

func cmdReport(dir string, stdout io.Writer) error {
	if err := report.RenderDir(dir); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(stdout, "wrote %s/%s\n", dir, report.ReportFile)
	return nil
}

func cmdCompare(dirs []string, out string, stdout io.Writer) error {
	if err := report.WriteCompare(out, dirs); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(stdout, "wrote %s, comparing %d runs\n", out, len(dirs))
	return nil
}
