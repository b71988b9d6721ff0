package strategy_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

func TestParseStep(t *testing.T) {
	for _, c := range []struct {
		in, want string // want: String of the step, or the error's text
		ok       bool
	}{
		{"2005-01-03 fast=10 slow=50", "2005-01-03T00:00:00Z fast=10 slow=50", true},
		{"2005-01-03T14:30:00-05:00 slow=50 fast=10", "2005-01-03T14:30:00-05:00 fast=10 slow=50", true},
		{"2005-01-03", "2005-01-03T00:00:00Z", true},
		{"", "empty step", false},
		{"03/01/2005 fast=1", "is not a time", false},
		{"2005-01-03 fast", `"fast" is not key=value`, false},
		{"2005-01-03 fast=1 fast=2", `param "fast" given twice`, false},
	} {
		st, err := strategy.ParseStep(c.in)
		switch {
		case c.ok && (err != nil || st.String() != c.want):
			t.Errorf("ParseStep(%q) = %q, %v; want %q", c.in, st, err, c.want)
		case !c.ok && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("ParseStep(%q): error %v, want one saying %q", c.in, err, c.want)
		}
		if c.ok {
			back, err := strategy.ParseStep(st.String())
			if err != nil || !back.From.Equal(st.From) || !reflect.DeepEqual(back.Params, st.Params) {
				t.Errorf("%q does not read back: %v, %v", st, back, err)
			}
		}
	}
}

func TestNewScheduledRefuses(t *testing.T) {
	at := func(d int, kv ...string) strategy.Step {
		p := strategy.Params{}
		for i := 0; i+1 < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		return strategy.Step{From: day(time.March, d), Params: p}
	}
	for _, c := range []struct {
		name  string
		steps []strategy.Step
		want  string
	}{
		{"smacross", nil, "no steps"},
		{"smacross", []strategy.Step{at(2), at(2)}, "step 2 (2024-03-02T00:00:00Z) is not after step 1"},
		{"smacross", []strategy.Step{at(2), at(3, "fast", "40")}, "step 2 (2024-03-03T00:00:00Z): strategy smacross: fast (40) must be less than slow (30)"},
		{"nosuch", []strategy.Step{at(2)}, `unknown strategy "nosuch"`},
	} {
		_, err := strategy.NewScheduled(c.name, nil, c.steps)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want one saying %q", c.name, c.steps, err, c.want)
		}
	}
}

// probeLog is what the probe strategies did, in order.
var probeLog []string

// probe logs its calls under its id, and schedules a function that logs
// at every bar.
type probe struct{ id string }

func (p *probe) Params() strategy.Params { return strategy.Params{"id": p.id} }

func (p *probe) OnStart(ctx *strategy.Context) error {
	probeLog = append(probeLog, fmt.Sprintf("%s start %s history %d", p.id, ctx.Time().Format("01-02"), ctx.History("X").Len()))
	return ctx.Schedule(strategy.EveryBar(), func(ctx *strategy.Context) error {
		probeLog = append(probeLog, fmt.Sprintf("%s scheduled %s", p.id, ctx.Time().Format("01-02")))
		return nil
	})
}

func (p *probe) OnBar(ctx *strategy.Context, b engine.Bar) error {
	probeLog = append(probeLog, fmt.Sprintf("%s bar %s", p.id, b.Time.Format("01-02")))
	if p.id == "a" && ctx.Position("X").IsZero() {
		ctx.Signal("X", engine.TargetLong)
	}
	return nil
}

func (p *probe) Lookback() int { return 3 }

func init() {
	strategy.Register("test-probe", func(p strategy.Params) (strategy.Strategy, error) {
		return &probe{id: p["id"]}, nil
	})
}

// Before the first step nothing is called; at each step its own instance
// starts, with the histories of the bars before it, and the previous
// one's scheduled function ends; the position the first made is kept.
func TestScheduledSwitches(t *testing.T) {
	var bars []ohlc
	for d := 1; d <= 6; d++ {
		bars = append(bars, ohlc{day(time.March, d), 10, 10})
	}
	s, err := strategy.NewScheduled("test-probe", strategy.Params{"id": "base"}, []strategy.Step{
		{From: day(time.March, 3), Params: strategy.Params{"id": "a"}},
		{From: day(time.March, 4).Add(12 * time.Hour), Params: strategy.Params{"id": "b"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	probeLog = nil
	var cfg backtest.Config
	cfg.Sizing.Size = decimal.NewFromInt(1)
	res := runFeed(t, cfg, feedOf(t, []string{"X"}, map[string][]ohlc{"X": bars}), s)
	want := []string{
		"a start 03-03 history 3", "a bar 03-03", "a scheduled 03-03",
		"a bar 03-04", "a scheduled 03-04",
		"b start 03-05 history 3", "b bar 03-05", "b scheduled 03-05",
		"b bar 03-06", "b scheduled 03-06",
	}
	if !reflect.DeepEqual(probeLog, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(probeLog, "\n"), strings.Join(want, "\n"))
	}
	// a bought at 03-03's close, filled at 03-04's open; b never sells.
	if len(res.Fills) != 1 || res.Fills[0].Time != day(time.March, 4) {
		t.Errorf("fills %v", res.Fills)
	}
	if res.Counts.OpenTrades != 1 {
		t.Errorf("%d open trades, want the one a made", res.Counts.OpenTrades)
	}
}

func ExampleParseStep() {
	st, err := strategy.ParseStep("2005-01-03 slow=50 fast=10")
	if err != nil {
		panic(err)
	}
	fmt.Println(st.From.Format(time.RFC3339), st.Params["fast"], st.Params["slow"])
	fmt.Println(st)
	// Output:
	// 2005-01-03T00:00:00Z 10 50
	// 2005-01-03T00:00:00Z fast=10 slow=50
}
