package risk

import (
	"github.com/quantloop/quantloop/internal/testkit"
	"testing"
	"time"
)

// TestGuardRules runs each risk rule on a scripted run. Step 0 is
// 2024-03-01. AAA closes at 100 and BBB at 50 unless said otherwise;
// bars have open = close, so market orders fill at the next step's close
// price. Cash is 100000.
func TestGuardRules(t *testing.T) {
	h := func(day, hour int) time.Time { return t0.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour) }
	tests := []struct {
		name     string
		limits   Limits
		steps    []step
		log      []string
		refusals string
	}{
		{
			name:   "max order value",
			limits: Limits{MaxOrderValue: testkit.MustDec("100000")},
			steps: withDo(days("AAA=100", "AAA=100"), 0, func(r *rig) {
				r.buy("AAA", "1001") // 1001 × 100 = 100100
				r.buy("AAA", "1000") // exactly 100000 passes
			}),
			log: []string{
				"0 reject #1: max-order-value: order value 100100 > max 100000",
				"0 accept #2 buy 1000 AAA",
				"1 fill #2 buy 1000 AAA @100",
			},
			refusals: "max-order-value=1",
		},
		{
			// Working orders count: 60 working + 50 = 110. After the
			// fill of 60, a sell of 200 would leave -140, of 150 -90.
			name:   "max position",
			limits: Limits{MaxPosition: testkit.MustDec("100")},
			steps: withDo(withDo(days("AAA=100", "AAA=100", "AAA=100"), 0, func(r *rig) {
				r.buy("AAA", "60")
				r.buy("AAA", "50")
			}), 1, func(r *rig) {
				r.sell("AAA", "200")
				r.sell("AAA", "150")
			}),
			log: []string{
				"0 accept #1 buy 60 AAA",
				"0 reject #2: max-position: position 110 in AAA > max 100",
				"1 fill #1 buy 60 AAA @100",
				"1 reject #3: max-position: position 140 in AAA > max 100",
				"1 accept #4 sell 150 AAA",
				"2 fill #4 sell 150 AAA @100",
			},
			refusals: "max-position=2",
		},
		{
			name:   "max position value",
			limits: Limits{MaxPositionValue: testkit.MustDec("5000")},
			steps: withDo(days("AAA=100 BBB=50", "AAA=100 BBB=50"), 0, func(r *rig) {
				r.buy("AAA", "51")  // 5100
				r.buy("BBB", "100") // 5000
			}),
			log: []string{
				"0 reject #1: max-position-value: position value 5100 in AAA > max 5000",
				"0 accept #2 buy 100 BBB",
				"1 fill #2 buy 100 BBB @50",
			},
			refusals: "max-position-value=1",
		},
		{
			// Equity 100000, max 1.5: 1000 AAA (100000) passes; 1001 BBB
			// more (50050) makes 150050; 1000 BBB makes 150000 exactly.
			name:   "max leverage",
			limits: Limits{MaxLeverage: testkit.MustDec("1.5")},
			steps: withDo(days("AAA=100 BBB=50", "AAA=100 BBB=50"), 0, func(r *rig) {
				r.buy("AAA", "1000")
				r.buy("BBB", "1001")
				r.sell("BBB", "1000") // a short counts as gross exposure too
			}),
			log: []string{
				"0 accept #1 buy 1000 AAA",
				"0 reject #2: max-leverage: gross exposure 150050 = 1.5005 × equity 100000 > max 1.5",
				"0 accept #3 sell 1000 BBB",
				"1 fill #1 buy 1000 AAA @100",
				"1 fill #3 sell 1000 BBB @50",
			},
			refusals: "max-leverage=1",
		},
		{
			name:   "long only",
			limits: Limits{LongOnly: true},
			steps: withDo(withDo(days("AAA=100", "AAA=100", "AAA=100"), 0, func(r *rig) {
				r.sell("AAA", "1")
				r.buy("AAA", "5")
			}), 1, func(r *rig) {
				r.sell("AAA", "6")
				r.sell("AAA", "5")
			}),
			log: []string{
				"0 reject #1: long-only: the order would leave AAA at -1",
				"0 accept #2 buy 5 AAA",
				"1 fill #2 buy 5 AAA @100",
				"1 reject #3: long-only: the order would leave AAA at -1",
				"1 accept #4 sell 5 AAA",
				"2 fill #4 sell 5 AAA @100",
			},
			refusals: "long-only=2",
		},
		{
			name:   "restricted",
			limits: Limits{Restricted: []string{"BBB", "CCC"}},
			steps: withDo(days("AAA=100 BBB=50", "AAA=100 BBB=50"), 0, func(r *rig) {
				r.buy("BBB", "1")
				r.buy("AAA", "1")
			}),
			log: []string{
				"0 reject #1: restricted: BBB is a restricted symbol",
				"0 accept #2 buy 1 AAA",
				"1 fill #2 buy 1 AAA @100",
			},
			refusals: "restricted=1",
		},
		{
			// Refused orders do not count toward the limit.
			name:   "max orders per bar",
			limits: Limits{MaxOrdersPerBar: 2, LongOnly: true},
			steps: withDo(withDo(days("AAA=100", "AAA=100", "AAA=100"), 0, func(r *rig) {
				r.buy("AAA", "1")
				r.sell("AAA", "5") // long-only refuses it
				r.buy("AAA", "1")
				r.buy("AAA", "1")
			}), 1, func(r *rig) {
				r.buy("AAA", "1")
				r.buy("AAA", "1")
			}),
			log: []string{
				"0 accept #1 buy 1 AAA",
				"0 reject #2: long-only: the order would leave AAA at -4",
				"0 accept #3 buy 1 AAA",
				"0 reject #4: max-orders-per-bar: order 3 at 2024-03-01T00:00:00Z > max 2",
				"1 fill #1 buy 1 AAA @100",
				"1 fill #3 buy 1 AAA @100",
				"1 accept #5 buy 1 AAA",
				"1 accept #6 buy 1 AAA",
				"2 fill #5 buy 1 AAA @100",
				"2 fill #6 buy 1 AAA @100",
			},
			refusals: "long-only=1 max-orders-per-bar=1",
		},
		{
			name:   "max orders per day",
			limits: Limits{MaxOrdersPerDay: 3},
			steps: []step{
				{at: h(0, 10), closes: "AAA=100", do: func(r *rig) { r.buy("AAA", "1"); r.buy("AAA", "1") }},
				{at: h(0, 11), closes: "AAA=100", do: func(r *rig) { r.buy("AAA", "1"); r.buy("AAA", "1") }},
				{at: h(1, 10), closes: "AAA=100", do: func(r *rig) { r.buy("AAA", "1") }},
			},
			log: []string{
				"0 accept #1 buy 1 AAA",
				"0 accept #2 buy 1 AAA",
				"1 fill #1 buy 1 AAA @100",
				"1 fill #2 buy 1 AAA @100",
				"1 accept #3 buy 1 AAA",
				"1 reject #4: max-orders-per-day: order 4 on 2024-03-01 > max 3",
				"2 fill #3 buy 1 AAA @100",
				"2 accept #5 buy 1 AAA",
			},
			refusals: "max-orders-per-day=1",
		},
		{
			name:  "no limits",
			steps: withDo(days("AAA=100", "AAA=100"), 0, func(r *rig) { r.sell("AAA", "1000000") }),
			log: []string{
				"0 accept #1 sell 1000000 AAA",
				"1 fill #1 sell 1000000 AAA @100",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "100000", tc.limits, KillSwitchOptions{}, tc.steps)
			r.run()
			wantLog(t, r.log, tc.log)
			wantRefusals(t, r.g.Refusals(), tc.refusals)
		})
	}
}

// withDo sets the action of step i.
func withDo(steps []step, i int, do func(r *rig)) []step {
	steps[i].do = do
	return steps
}

func TestLimitsValidate(t *testing.T) {
	tests := []struct {
		l    Limits
		want string
	}{
		{Limits{}, ""},
		{Limits{MaxOrderValue: testkit.MustDec("-1")}, "risk limit max-order-value: -1 is negative"},
		{Limits{MaxLeverage: testkit.MustDec("-0.5")}, "risk limit max-leverage: -0.5 is negative"},
		{Limits{MaxOrdersPerDay: -2}, "risk limit max-orders-per-day: -2 is negative"},
	}
	for _, tc := range tests {
		err := tc.l.Validate()
		if got := errText(err); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.l, got, tc.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
