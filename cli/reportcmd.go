package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/report"
)

// reportCommand returns the report command.
func reportCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "report DIR",
		Short: "redraw report.html from a run's saved results",
		Args:  oneArg,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmdReport(args[0], stdout) },
	}
}

func cmdReport(dir string, stdout io.Writer) error {
	if err := report.RenderDir(dir); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(stdout, "wrote %s/%s\n", dir, report.ReportFile)
	return nil
}
