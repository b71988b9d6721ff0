package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/report"
)

// printPrices ends run's summary with how the prices were read, when
// not raw, and where the corporate actions went, when there were any: a
// raw run without actions prints nothing here.
func printPrices(w io.Writer, res *backtest.Result, dir string) {
	d := res.Config.Data
	if d.Adjust != data.RawPrices {
		fmt.Fprintf(w, "prices %s: open, high, low and close scaled by each bar's Adj Close / Close, which embeds the later splits and dividends\n", d.Adjust)
	}
	if d.Actions != "" {
		fmt.Fprintf(w, "corporate actions of %s: %d position change(s), %d order change(s), in %s/%s\n", d.Actions,
			len(res.Actions), len(res.OrderAdjustments), strings.TrimSuffix(dir, "/"), report.ActionsFile)
	}
}
