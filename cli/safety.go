package cli

import (
	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/risk"
)

// printSafety adds the safety lines to the summary table: refusals, kill
// switch events, open breakers and skipped rows. It prints nothing for a
// run where none of them happened.
func printSafety(row func(k, format string, args ...any), res *backtest.Result) {
	if len(res.RiskRefusals) > 0 {
		row("risk refusals", "%s", risk.RefusalCounts(res.RiskRefusals))
	}
	for _, k := range res.KillSwitch {
		row("kill switch", "%s at %s: %s", k.Action, k.Time.Format("2006-01-02T15:04:05Z07:00"), k.Reason)
	}
	for _, b := range res.Breakers {
		if b.Opens > 0 {
			row("circuit breaker", "%s opened %d times, %d events skipped, %s at the end", b.Component, b.Opens, b.Skipped, b.State)
		}
	}
	if res.SkippedRows > 0 {
		row("skipped rows", "%d bad data rows (see results.json)", res.SkippedRows)
	}
}
