package report

import (
	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
)

// Safety is the part of results.json about the run's safety mechanisms:
// where the run stopped, the risk guard's refusals, the kill switch, the
// circuit breakers and the skipped data rows. It is embedded in Results,
// so its fields sit at the top level of the file.
type Safety struct {
	// LastTime is the last bar time processed: the end of the data, or
	// where an interrupted or failed run stopped.
	LastTime string `json:"last_time"`
	// RiskRefusals counts the orders each risk rule refused, by rule.
	RiskRefusals map[string]int `json:"risk_refusals"`
	KillSwitch   KillSwitch     `json:"kill_switch"`
	// Breakers lists the components whose circuit breaker saw a failure,
	// by name; BreakerEvents every change of a breaker's state.
	Breakers      []Breaker      `json:"breakers"`
	BreakerEvents []BreakerEvent `json:"breaker_events"`
	// SkippedRows counts the bad data rows dropped under --on-bad-row
	// skip; SkippedRowErrors names the first few.
	SkippedRows      int      `json:"skipped_rows"`
	SkippedRowErrors []string `json:"skipped_row_errors"`
}

// KillSwitch is the kill switch's configuration and history.
type KillSwitch struct {
	Action    string `json:"action"`
	AutoReset bool   `json:"auto_reset"`
	// Events are its trips, resets and refused resets, in order.
	Events []KillSwitchEvent `json:"events"`
}

// KillSwitchEvent is one trip, reset or refused reset.
type KillSwitchEvent struct {
	Time   string          `json:"time"`
	Action string          `json:"action"`
	Reason string          `json:"reason"`
	Equity decimal.Decimal `json:"equity"`
}

// Breaker is one component's circuit-breaker counts.
type Breaker struct {
	Component string `json:"component"`
	State     string `json:"state"`
	Failures  int    `json:"failures"`
	Opens     int    `json:"opens"`
	Skipped   int    `json:"skipped"`
}

// BreakerEvent is one change of a circuit breaker's state.
type BreakerEvent struct {
	Time      string `json:"time"`
	Component string `json:"component"`
	From      string `json:"from"`
	To        string `json:"to"`
	Failures  int    `json:"failures"`
	Until     string `json:"until,omitempty"`
}

func newSafety(res *backtest.Result) Safety {
	s := Safety{
		LastTime:         FormatTime(res.Stats.Last),
		RiskRefusals:     map[string]int{},
		KillSwitch:       KillSwitch{Action: res.Config.KillSwitch.Action.String(), AutoReset: res.Config.KillSwitch.AutoReset, Events: []KillSwitchEvent{}},
		Breakers:         []Breaker{},
		BreakerEvents:    []BreakerEvent{},
		SkippedRows:      res.SkippedRows,
		SkippedRowErrors: []string{},
	}
	for k, v := range res.RiskRefusals {
		s.RiskRefusals[k] = v
	}
	for _, k := range res.KillSwitch {
		s.KillSwitch.Events = append(s.KillSwitch.Events, KillSwitchEvent{
			Time: FormatTime(k.Time), Action: k.Action.String(), Reason: k.Reason, Equity: k.Equity,
		})
	}
	for _, b := range res.Breakers {
		if b.Failures == 0 && b.Skipped == 0 {
			continue
		}
		s.Breakers = append(s.Breakers, Breaker{
			Component: b.Component, State: b.State.String(), Failures: b.Failures, Opens: b.Opens, Skipped: b.Skipped,
		})
	}
	for _, b := range res.BreakerEvents {
		ev := BreakerEvent{Time: FormatTime(b.Time), Component: b.Component, From: b.From.String(), To: b.To.String(), Failures: b.Failures}
		if !b.Until.IsZero() {
			ev.Until = FormatTime(b.Until)
		}
		s.BreakerEvents = append(s.BreakerEvents, ev)
	}
	s.SkippedRowErrors = append(s.SkippedRowErrors, res.SkippedErrors...)
	return s
}
