package main

import (
	"fmt"
	"io"

	"github.com/quantloop/quantloop/report"
)

func cmdReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "DIR", stdout, stderr)
	dir, err := oneDirArg(fs, args, stdout)
	if err != nil {
		return err
	}
	if err := report.RenderDir(dir); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(stdout, "wrote %s/%s\n", dir, report.ReportFile)
	return nil
}
