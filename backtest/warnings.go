package backtest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

// Warning is something about a finished run that makes its numbers mean
// less than they seem: a handler that failed and was isolated, a circuit
// breaker that opened, orders that were refused. A run with warnings is
// still a complete run; a caller that wants it to count as a failure uses
// [Result.Strict].
type Warning struct {
	// Code names the kind of warning; see the Warn* constants.
	Code string `json:"code"`
	// Count is how many times it happened.
	Count int `json:"count"`
	// Message says what happened in a sentence.
	Message string `json:"message"`
}

// The codes of [Warning], in the order [Result.Warnings] lists them.
const (
	// WarnHandlerErrors: handlers (a strategy, an observer) failed and
	// were isolated, under OnError "continue"; their events were lost.
	WarnHandlerErrors = "handler_errors"
	// WarnBreakerTrips: a component's circuit breaker opened, and the
	// component missed events while it was open.
	WarnBreakerTrips = "breaker_trips"
	// WarnRejectedOrders: orders were rejected (by the risk guard, for
	// lack of cash or margin, or for their shape).
	WarnRejectedOrders = "rejected_orders"
	// WarnKillSwitch: the kill switch tripped.
	WarnKillSwitch = "kill_switch"
	// WarnSkippedRows: bad data rows were dropped under OnBadRow "skip".
	WarnSkippedRows = "skipped_rows"
	// WarnLowExposure: the run held positions, and its average exposure
	// (Result.AvgExposure) was below LowExposure, so that its returns say
	// little about the strategy: the sizing is likely too small for the
	// cash. A run that never held a position has no such warning (its
	// trade count says so).
	WarnLowExposure = "low_exposure"
	// WarnAdjustedPrices: the run read back-adjusted prices (data.adjust
	// adjusted) and has a setting stated in raw prices or shares: a
	// per-share commission, commission tiers, a position limit in units,
	// or an orders file's limit and stop prices. Back-adjusted prices
	// embed the splits and dividends after each bar, a look-ahead of the
	// method, so such settings act on prices and share counts that did
	// not trade; raw prices with a corporate-actions file are the
	// realistic mode.
	WarnAdjustedPrices = "adjusted_prices"
	// WarnActionsWithoutData: corporate actions of data.actions name
	// symbols that had no bar in the run, so they changed nothing; a
	// misspelt symbol shows up here.
	WarnActionsWithoutData = "actions_without_data"
)

// LowExposure is the average exposure, a fraction of equity, below which
// a run has the warning WarnLowExposure.
const LowExposure = 0.01

// Warnings returns the run's warnings, in the order of the Warn* codes;
// none for a run that went as written. Its counts come from the whole
// run, whether or not its records were kept or streamed.
func (r *Result) Warnings() []Warning {
	var ws []Warning
	add := func(code string, n int, format string, args ...any) {
		if n > 0 {
			ws = append(ws, Warning{Code: code, Count: n, Message: fmt.Sprintf(format, args...)})
		}
	}
	if n := r.Stats.Failures; n > 0 {
		add(WarnHandlerErrors, n, "%d handler failure(s) were isolated and the run went on (first: %s)", n, r.firstError())
	}
	opens, names := 0, []string{}
	for _, b := range r.Breakers {
		if b.Opens > 0 {
			opens += b.Opens
			names = append(names, b.Component)
		}
	}
	add(WarnBreakerTrips, opens, "circuit breakers opened %d time(s) (%s); events were skipped while open", opens, strings.Join(names, ", "))
	add(WarnRejectedOrders, r.Counts.Rejected, "%d order(s) were rejected (see orders.csv)", r.Counts.Rejected)
	trips := 0
	for _, k := range r.KillSwitch {
		if k.Action == engine.KillTrip {
			trips++
		}
	}
	add(WarnKillSwitch, trips, "the kill switch tripped %d time(s)", trips)
	add(WarnSkippedRows, r.SkippedRows, "%d bad data row(s) were skipped", r.SkippedRows)
	if x := r.AvgExposure; x > 0 && x < LowExposure {
		add(WarnLowExposure, 1, "the average exposure was %.4f %% of equity, below %g %%: the positions are too small for the returns to say much (see sizing.size and sizing.pct)", x*100, LowExposure*100)
	}
	if s := r.Config.rawPriceSettings(); len(s) > 0 {
		add(WarnAdjustedPrices, len(s), "adjusted prices with %s: back-adjusted prices embed the splits and dividends after each bar "+
			"(a look-ahead of the method), so these act on prices and share counts that did not trade; "+
			"data.adjust raw with corporate-action events (data.actions) is the realistic mode", strings.Join(s, ", "))
	}
	if len(r.ActionsUnused) > 0 {
		syms := slices.Sorted(maps.Keys(r.ActionsUnused))
		n := 0
		for _, s := range syms {
			n += r.ActionsUnused[s]
		}
		add(WarnActionsWithoutData, n, "%d corporate action(s) of %s name symbols with no data in the run, and changed nothing: %s", n, r.Config.Data.Actions, strings.Join(syms, ", "))
	}
	return ws
}

// rawPriceSettings returns the settings stated in raw prices or share
// counts that c combines with adjusted prices: none under raw prices.
func (c *Config) rawPriceSettings() []string {
	if c.Data.Adjust != data.AdjustPrices {
		return nil
	}
	var s []string
	if c.Costs.Commission.PerShare.IsPositive() {
		s = append(s, "a per-share commission (costs.commission.per_share)")
	}
	if c.Costs.Commission.Tiers != "" {
		s = append(s, "per-unit commission tiers (costs.commission.tiers)")
	}
	if c.Risk.MaxPosition.IsPositive() {
		s = append(s, "a position limit in units (risk.max_position)")
	}
	if c.Strategy.Orders != "" {
		s = append(s, "an orders file's limit and stop prices (strategy.orders)")
	}
	return s
}

// firstError describes the first recorded handler failure.
func (r *Result) firstError() string {
	if len(r.Errors) == 0 {
		return "not recorded"
	}
	e := r.Errors[0]
	return e.Component + ": " + e.Message
}

// ErrWarnings is wrapped by the error [Result.Strict] returns.
var ErrWarnings = errors.New("run has warnings")

// Strict returns nil when the run has no warnings, and otherwise an error
// wrapping ErrWarnings that lists them, for callers that treat a warning
// as a failure (a research script, a test).
func (r *Result) Strict() error {
	ws := r.Warnings()
	if len(ws) == 0 {
		return nil
	}
	msgs := make([]string, len(ws))
	for i, w := range ws {
		msgs[i] = w.Code + ": " + w.Message
	}
	return fmt.Errorf("%w: %s", ErrWarnings, strings.Join(msgs, "; "))
}
