package backtest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
)

func TestWarnings(t *testing.T) {
	t0 := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		res  Result
		want []Warning
	}{
		{"clean", Result{Breakers: []engine.BreakerStats{{Component: "broker/cancel-all"}}}, nil},
		{"handler failures", Result{
			Stats:  engine.Stats{Failures: 3},
			Errors: []ErrorRecord{{Time: t0, Component: "strategy", Message: "boom"}},
		}, []Warning{{WarnHandlerErrors, 3, "3 handler failure(s) were isolated and the run went on (first: strategy: boom)"}}},
		{"breakers and rejections", Result{
			Breakers: []engine.BreakerStats{{Component: "a", Opens: 2}, {Component: "b"}, {Component: "c", Opens: 1}},
			Counts:   Counts{Rejected: 23},
		}, []Warning{
			{WarnBreakerTrips, 3, "circuit breakers opened 3 time(s) (a, c); events were skipped while open"},
			{WarnRejectedOrders, 23, "23 order(s) were rejected (see orders.csv)"},
		}},
		{"kill switch and skipped rows", Result{
			KillSwitch:  []engine.KillSwitchEvent{{Action: engine.KillTrip}, {Action: engine.KillReset}, {Action: engine.KillTrip}},
			SkippedRows: 4,
		}, []Warning{
			{WarnKillSwitch, 2, "the kill switch tripped 2 time(s)"},
			{WarnSkippedRows, 4, "4 bad data row(s) were skipped"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.res.Warnings()
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Warnings() = %#v, want %#v", got, tt.want)
			}
			err := tt.res.Strict()
			if (err != nil) != (len(tt.want) > 0) || (err != nil && !errors.Is(err, ErrWarnings)) {
				t.Fatalf("Strict() = %v with %d warnings", err, len(tt.want))
			}
		})
	}
}
