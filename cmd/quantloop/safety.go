package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/risk"
)

// safetyFlags registers the flags of the risk guard, the kill switch, the
// circuit breakers and the error policies on fs, writing into cfg (and the
// restricted symbols into restricted), with cfg's values as defaults.
func safetyFlags(fs *flag.FlagSet, cfg *backtest.Config, restricted *[]string) {
	fs.Var(decimalFlag{&cfg.MaxPosition}, "max-position", "risk: refuse an order that would leave a position above this many `units`")
	fs.Var(decimalFlag{&cfg.MaxPositionValue}, "max-position-value", "risk: refuse an order that would leave a position worth more than this (at the last close)")
	fs.Var(decimalFlag{&cfg.MaxOrderValue}, "max-order-value", "risk: refuse an order worth more than this (quantity × last close)")
	fs.Var(decimalFlag{&cfg.MaxLeverage}, "max-leverage", "risk: refuse an order that would take gross exposure above this `multiple` of equity")
	fs.IntVar(&cfg.MaxOrdersPerBar, "max-orders-per-bar", cfg.MaxOrdersPerBar, "risk: accept at most this many orders per bar time")
	fs.IntVar(&cfg.MaxOrdersPerDay, "max-orders-per-day", cfg.MaxOrdersPerDay, "risk: accept at most this many orders per calendar day")
	fs.BoolVar(&cfg.LongOnly, "long-only", cfg.LongOnly, "risk: refuse orders that would leave a short position")
	fs.Var(listFlag{restricted, true}, "restricted", "risk: `symbols` that may not be traded, comma-separated")
	fs.Float64Var(&cfg.KillDrawdownPct, "kill-drawdown", cfg.KillDrawdownPct, "kill switch: trip when equity falls more than `PCT` % below its peak")
	fs.Float64Var(&cfg.KillDailyLossPct, "kill-daily-loss", cfg.KillDailyLossPct, "kill switch: trip when equity falls more than `PCT` % in one calendar day")
	fs.StringVar(&cfg.KillAction, "kill-action", cfg.KillAction, "kill switch: on a trip, cancel orders and then flatten (close positions at the next open), halt (refuse all orders) or reduce (refuse orders that do not reduce a position)")
	fs.BoolVar(&cfg.KillAutoReset, "kill-auto-reset", cfg.KillAutoReset, "kill switch: reset automatically at the first bar of the next calendar day")
	fs.IntVar(&cfg.BreakerFailures, "breaker-failures", cfg.BreakerFailures, "circuit breaker: consecutive failures that open a component's breaker (negative: never)")
	fs.StringVar(&cfg.BreakerCooldown, "breaker-cooldown", cfg.BreakerCooldown, "circuit breaker: simulated `duration` an open breaker skips its component")
	fs.StringVar(&cfg.OnError, "on-error", cfg.OnError, "a failing handler (a strategy that panics): continue, or stop the run (partial results, exit 1)")
	fs.StringVar(&cfg.OnBadRow, "on-bad-row", cfg.OnBadRow, "a bad data row: fail (stop the run), or skip it and count it in results.json")
}

// validateChoices checks the flags that take one of a few words, so that a
// typo is reported with the flag's name before anything runs.
func validateChoices(cfg *backtest.Config) error {
	if _, err := risk.ParseKillAction(cfg.KillAction); err != nil {
		return fmt.Errorf("--kill-action: %w", err)
	}
	for _, c := range []struct{ flag, value, allowed string }{
		{"on-error", cfg.OnError, "continue stop"},
		{"on-bad-row", cfg.OnBadRow, "fail skip"},
	} {
		ok := false
		for _, a := range strings.Fields(c.allowed) {
			ok = ok || c.value == a
		}
		if !ok {
			return fmt.Errorf("--%s %q: want %s", c.flag, c.value, strings.Join(strings.Fields(c.allowed), " or "))
		}
	}
	return nil
}

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
