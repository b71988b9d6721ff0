package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/quantloop/quantloop/sweep"
)

// sweepProgress returns what draws a sweep's progress on w: a bar of the
// runs done (those found in the store count as done at once), the rate,
// the time left and the best Sharpe ratio so far, redrawn at most ten
// times a second. It returns nil, and nothing is drawn, when w is not a
// terminal, so that logs and pipes get only the final table.
func sweepProgress(w io.Writer) func(sweep.Progress) {
	if !isTerminal(w) {
		return nil
	}
	return progressBar(w)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar returns what draws sweepProgress's bar on w, terminal or
// not.
func progressBar(w io.Writer) func(sweep.Progress) {
	var bar *progressbar.ProgressBar
	return func(p sweep.Progress) {
		if bar == nil {
			bar = progressbar.NewOptions(p.Total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetWidth(30),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("runs"),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionShowDescriptionAtLineEnd(),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
			)
		}
		desc := "best sharpe " + num(p.BestSharpe)
		if p.Skipped > 0 {
			desc = fmt.Sprintf("%d in the store before; %s", p.Skipped, desc)
		}
		bar.Describe(desc)
		_ = bar.Set(p.Done) // drawing on a terminal; an error would only lose the bar
	}
}
