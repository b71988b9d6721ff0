package risk

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// drawdownSteps: 1000 AAA bought at 100 with all the cash (equity 100000,
// the peak); AAA falls to 95 (drawdown 5 %), then to 89 (11 %), where a
// 10 % kill switch trips. A BBB order made at step 2 is still working at
// step 3, because BBB has no bar there, so the trip's cancel-all command
// makes the broker cancel it.
func drawdownSteps() []step {
	s := days("AAA=100 BBB=50", "AAA=100 BBB=50", "AAA=95 BBB=50", "AAA=89", "AAA=90 BBB=50")
	s[0].do = func(r *rig) { r.buy("AAA", "1000") }
	s[2].do = func(r *rig) { r.buy("BBB", "10") }
	s[3].do = func(r *rig) {
		r.buy("AAA", "1")
		r.sell("AAA", "1")
	}
	s[4].do = func(r *rig) { r.buy("BBB", "1") }
	return s
}

const ddReason = "drawdown 11.00 % from peak 100000.00 to 89000.00 > max 10 %"

func TestKillSwitchDrawdown(t *testing.T) {
	head := []string{
		"0 accept #1 buy 1000 AAA",
		"1 fill #1 buy 1000 AAA @100",
		"2 accept #2 buy 10 BBB",
	}
	tests := []struct {
		action   KillAction
		log      []string
		refusals string
	}{
		{
			// Flatten: the trip sells the 1000 AAA (#3), which fill at
			// step 4's open (90). The script's orders at step 3 come
			// after it: a buy is refused, and so is a sell, which would
			// take the position below zero once #3 fills.
			action: KillFlatten,
			log: []string{
				"3 kill trip: " + ddReason + " (equity 89000)",
				"3 cancel all: kill switch tripped: " + ddReason,
				"3 cancel #2: kill switch tripped: " + ddReason,
				"3 accept #3 sell 1000 AAA",
				"3 reject #4: kill switch tripped: " + ddReason,
				"3 reject #5: kill switch tripped: " + ddReason,
				"4 fill #3 sell 1000 AAA @90",
				"4 reject #6: kill switch tripped: " + ddReason,
			},
			refusals: "kill-switch=3",
		},
		{
			// Halt: every order is refused, the position stays.
			action: KillHalt,
			log: []string{
				"3 kill trip: " + ddReason + " (equity 89000)",
				"3 cancel all: kill switch tripped: " + ddReason,
				"3 cancel #2: kill switch tripped: " + ddReason,
				"3 reject #3: kill switch tripped: " + ddReason,
				"3 reject #4: kill switch tripped: " + ddReason,
				"4 reject #5: kill switch tripped: " + ddReason,
			},
			refusals: "kill-switch=3",
		},
		{
			// Reduce: nothing is closed for us, but the sell of 1, which
			// reduces the position, passes.
			action: KillReduce,
			log: []string{
				"3 kill trip: " + ddReason + " (equity 89000)",
				"3 cancel all: kill switch tripped: " + ddReason,
				"3 cancel #2: kill switch tripped: " + ddReason,
				"3 reject #3: kill switch tripped: " + ddReason,
				"3 accept #4 sell 1 AAA",
				"4 fill #4 sell 1 AAA @90",
				"4 reject #5: kill switch tripped: " + ddReason,
			},
			refusals: "kill-switch=2",
		},
	}
	for _, tc := range tests {
		// The switch's rules are checked before the script acts at a bar
		// time, whichever subscribed to the bus first.
		for _, scriptFirst := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/script first %v", tc.action, scriptFirst), func(t *testing.T) {
				opts := KillSwitchOptions{MaxDrawdownPct: 10, Action: tc.action}
				r := newRigScriptFirst(t, "100000", Limits{}, opts, drawdownSteps(), scriptFirst)
				r.run()
				wantLog(t, r.log, append(append([]string{}, head...), tc.log...))
				wantRefusals(t, r.g.Refusals(), tc.refusals)
				if tripped, why := r.ks.Tripped(); !tripped || why != ddReason {
					t.Errorf("Tripped() = %v %q", tripped, why)
				}
			})
		}
	}
}

// TestKillSwitchDailyLoss: 100 AAA bought at 100 on day 0 (cash 90000).
// Day 0 ends at 96: equity 99600, a loss of 0.4 % on the day, under the
// 0.5 % limit. On day 1 at 90, equity is 99000: 0.60 % below day 1's
// start (99600), so it trips. With auto-reset (and halt) it resets at the
// first bar of day 2, and orders pass again.
func TestKillSwitchDailyLoss(t *testing.T) {
	h := func(day, hour int) time.Time { return t0.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour) }
	steps := []step{
		{at: h(0, 10), closes: "AAA=100", do: func(r *rig) { r.buy("AAA", "100") }},
		{at: h(0, 11), closes: "AAA=100"},
		{at: h(0, 12), closes: "AAA=96"},
		{at: h(1, 10), closes: "AAA=96"},
		{at: h(1, 11), closes: "AAA=90", do: func(r *rig) { r.buy("AAA", "1") }},
		{at: h(2, 10), closes: "AAA=90", do: func(r *rig) { r.buy("AAA", "1") }},
	}
	const reason = "daily loss 0.60 % from 99600.00 to 99000.00 on 2024-03-02 > max 0.5 %"
	r := newRig(t, "100000", Limits{}, KillSwitchOptions{MaxDailyLossPct: 0.5, Action: KillHalt, AutoReset: true}, steps)
	r.run()
	wantLog(t, r.log, []string{
		"0 accept #1 buy 100 AAA",
		"1 fill #1 buy 100 AAA @100",
		"4 kill trip: " + reason + " (equity 99000)",
		"4 cancel all: kill switch tripped: " + reason,
		"4 reject #2: kill switch tripped: " + reason,
		"5 kill reset: automatic reset at the start of 2024-03-03 (equity 99000)",
		"5 accept #3 buy 1 AAA",
	})
	if tripped, _ := r.ks.Tripped(); tripped {
		t.Error("still tripped after the automatic reset")
	}
}

// TestKillSwitchOnDemandAndReset trips the switch by a request, refuses a
// reset with the wrong authorization, and accepts one with the right one.
func TestKillSwitchOnDemandAndReset(t *testing.T) {
	steps := days("AAA=100", "AAA=100", "AAA=100", "AAA=100")
	steps[0].do = func(r *rig) {
		r.e.Emit(&engine.KillRequest{Time: r.e.Now(), Source: "script", Reason: "manual stop"})
		r.buy("AAA", "1")
	}
	steps[1].do = func(r *rig) {
		r.e.Emit(&engine.KillRequest{Time: r.e.Now(), Source: "script", Reset: true, Authorization: "please"})
		r.buy("AAA", "1")
	}
	steps[2].do = func(r *rig) {
		r.e.Emit(&engine.KillRequest{Time: r.e.Now(), Source: "script", Reset: true, Authorization: "s3cret"})
		r.buy("AAA", "1")
	}
	r := newRig(t, "100000", Limits{}, KillSwitchOptions{Authorization: "s3cret"}, steps)
	r.run()
	wantLog(t, r.log, []string{
		"0 kill trip: requested by script: manual stop (equity 100000)",
		"0 cancel all: kill switch tripped: requested by script: manual stop",
		"0 reject #1: kill switch tripped: requested by script: manual stop",
		"1 kill reset-refused: wrong authorization (equity 100000)",
		"1 reject #2: kill switch tripped: requested by script: manual stop",
		"2 kill reset: authorized reset (equity 100000)",
		"2 accept #3 buy 1 AAA",
		"3 fill #3 buy 1 AAA @100",
	})
}

// TestKillSwitchLibraryCalls uses Trip and Reset directly.
func TestKillSwitchLibraryCalls(t *testing.T) {
	tests := []struct {
		auth, try string
		err       error
		tripped   bool
	}{
		{"s3cret", "s3cret", nil, false},
		{"s3cret", "S3CRET", ErrUnauthorized, true},
		{"s3cret", "", ErrUnauthorized, true},
		{"", "", ErrUnauthorized, true}, // nothing configured: no manual reset
	}
	for _, tc := range tests {
		r := newRig(t, "100000", Limits{}, KillSwitchOptions{Authorization: tc.auth}, nil)
		r.ks.Trip("by hand")
		err := r.ks.Reset(tc.try)
		if !errors.Is(err, tc.err) {
			t.Errorf("auth %q, reset with %q: err %v, want %v", tc.auth, tc.try, err, tc.err)
		}
		if tripped, _ := r.ks.Tripped(); tripped != tc.tripped {
			t.Errorf("auth %q, reset with %q: tripped %v, want %v", tc.auth, tc.try, tripped, tc.tripped)
		}
	}
}

func TestParseKillAction(t *testing.T) {
	tests := []struct {
		in   string
		want KillAction
		err  bool
	}{
		{"", KillFlatten, false}, {"flatten", KillFlatten, false}, {"halt", KillHalt, false},
		{"reduce", KillReduce, false}, {"Halt", 0, true}, {"stop", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseKillAction(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("ParseKillAction(%q) = %v, %v", tc.in, got, err)
		}
	}
	if err := (KillSwitchOptions{MaxDrawdownPct: -1}).Validate(); err == nil || err.Error() != "kill drawdown -1 %: must be between 0 and 100" {
		t.Errorf("Validate: %v", err)
	}
}

// TestKillSwitchFlattenPassesLimits: the flatten order (1000 AAA at 89,
// worth 89000) passes a 50000 max order value that refuses the same order
// from the strategy.
func TestKillSwitchFlattenPassesLimits(t *testing.T) {
	s := days("AAA=100", "AAA=100", "AAA=95", "AAA=89", "AAA=90")
	s[0].do = func(r *rig) {
		r.buy("AAA", "500")
		r.buy("AAA", "500")
	}
	r := newRig(t, "100000", Limits{MaxOrderValue: testkit.MustDec("50000")}, KillSwitchOptions{MaxDrawdownPct: 10}, s)
	r.run()
	wantLog(t, r.log, []string{
		"0 accept #1 buy 500 AAA",
		"0 accept #2 buy 500 AAA",
		"1 fill #1 buy 500 AAA @100",
		"1 fill #2 buy 500 AAA @100",
		"3 kill trip: " + ddReason + " (equity 89000)",
		"3 cancel all: kill switch tripped: " + ddReason,
		"3 accept #3 sell 1000 AAA",
		"4 fill #3 sell 1000 AAA @90",
	})
}

// TestKillSwitchWatchesOnlyWithRules: the switch schedules its check at
// every bar time only when it has something to check there.
func TestKillSwitchWatchesOnlyWithRules(t *testing.T) {
	tests := []struct {
		opts KillSwitchOptions
		want int
	}{
		{KillSwitchOptions{}, 0},
		{KillSwitchOptions{Authorization: "s3cret", Action: KillFlatten}, 0},
		{KillSwitchOptions{MaxDrawdownPct: 10}, 1},
		{KillSwitchOptions{MaxDailyLossPct: 2}, 1},
		{KillSwitchOptions{AutoReset: true}, 1},
	}
	for _, tc := range tests {
		r := newRig(t, "100000", Limits{}, tc.opts, nil)
		before := r.e.Bus().Subscribers(engine.KindMarket)
		NewKillSwitch(r.e, r.pf, tc.opts)
		if got := r.e.Bus().Subscribers(engine.KindMarket) - before; got != tc.want {
			t.Errorf("%+v: %d market subscribers added, want %d", tc.opts, got, tc.want)
		}
	}
}
