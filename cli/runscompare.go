package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/quantloop/quantloop/report"
)

// runsCompareLong is the help of runs compare.
const runsCompareLong = `Compare two or more stored runs, named by ids or unique id prefixes.

Without --html, print the settings that differ (by config path) and every
metric side by side. With --html FILE, write instead the page that
'quantloop report --compare' writes for run folders: the runs' key
figures side by side, their equity curves and drawdowns on shared axes
and the settings that differ, from what the store kept. A store that kept
a thinned curve (a sweep's --keep thin, at most 500 points) gives a thinned line,
and the page says so; the key figures are from the whole run.`

// cmdRunsCompareHTML writes the comparison page of the stored runs the
// prefixes name to the file out.
func cmdRunsCompareHTML(cmd *cobra.Command, path string, prefixes []string, out string, stdout io.Writer) error {
	if err := checkFileOut("--html", out); err != nil {
		return badInput(err)
	}
	s, err := openExisting(path)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := cmd.Context()
	runs := make([]*report.CompareRun, 0, len(prefixes))
	for _, p := range prefixes {
		id, err := s.Resolve(ctx, p)
		if err != nil {
			return badInput(err)
		}
		r, err := s.CompareRun(ctx, id)
		if err != nil {
			return badInput(err)
		}
		runs = append(runs, r)
	}
	if err := report.WriteCompareRuns(out, runs); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(stdout, "wrote %s, comparing %d stored runs\n", out, len(runs))
	return nil
}

// storeCompareHint is the error of report --compare --store: stored runs
// are compared by runs compare.
const storeCompareHint = "report --compare compares run folders; compare stored runs with 'quantloop runs compare --store FILE ID ID... --html OUT.html'"
