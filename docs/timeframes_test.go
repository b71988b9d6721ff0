package docs_test

// The multi-timeframe example of indicators.md: TestIndicatorsTimeframes
// checks that indicators.md shows the code between the markers below
// exactly, and the output that Example_weeklyTrend prints.

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/indicator"
	"github.com/quantloop/quantloop/strategy"
)

// indicators.md begin

// weeklyTrend buys when the daily close crosses above its 10-day SMA while
// the last complete week closed above its 10-week SMA, and sells when the
// daily close crosses back below.
type weeklyTrend struct {
	daily, weekly *indicator.Chain
	weekClose     float64
	cross         indicator.Cross
}

func newWeeklyTrend() *weeklyTrend {
	return &weeklyTrend{daily: indicator.On(indicator.NewSMA(10), indicator.Close),
		weekly: indicator.On(indicator.NewSMA(10), indicator.Close)}
}

// Timeframes asks for weekly bars of every symbol, built from the daily ones.
func (s *weeklyTrend) Timeframes() []data.Timeframe {
	return []data.Timeframe{{N: 1, Unit: data.Week}}
}

// OnCoarseBar gets a week once it is complete: on the next week's first bar.
func (s *weeklyTrend) OnCoarseBar(_ *strategy.Context, _ data.Timeframe, w engine.Bar) error {
	s.weekly.UpdateBar(w)
	s.weekClose = w.Close.Float64()
	return nil
}

func (s *weeklyTrend) OnBar(ctx *strategy.Context, b engine.Bar) error {
	if s.daily.UpdateBar(b); !s.daily.Ready() {
		return nil
	}
	up, down := s.cross.Update(b.Close.Float64(), s.daily.Value())
	switch {
	case up && s.weekly.Ready() && s.weekClose > s.weekly.Value():
		ctx.Signal(b.Symbol, engine.TargetLong)
	case down:
		ctx.Signal(b.Symbol, engine.TargetFlat)
	}
	return nil
}

// indicators.md end

// Example_weeklyTrend runs indicators.md's multi-timeframe strategy on the
// bundled daily file.
func Example_weeklyTrend() {
	feed, err := data.OpenAll([]string{root + "/testdata/daily/AAA.csv"}, data.Options{})
	if err != nil {
		panic(err)
	}
	defer feed.Close()
	res, err := backtest.RunFeed(context.Background(), backtest.DefaultConfig(), feed, newWeeklyTrend())
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.Trades), "trades; final equity", res.FinalEquity)
	// Output: 20 trades; final equity 101681.33
}

func TestIndicatorsTimeframes(t *testing.T) {
	doc, err := os.ReadFile("indicators.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("timeframes_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, code, ok := strings.Cut(string(src), "// indicators.md begin\n\n")
	if !ok {
		t.Fatal("timeframes_test.go has no begin marker")
	}
	code, _, ok = strings.Cut(code, "\n// indicators.md end")
	if !ok {
		t.Fatal("timeframes_test.go has no end marker")
	}
	if !strings.Contains(string(doc), "```go\n"+code+"```\n") {
		t.Errorf("indicators.md does not show the multi-timeframe example of timeframes_test.go:\n%s", code)
	}
	if want := "`20 trades; final equity 101681.33`"; !strings.Contains(string(doc), want) {
		t.Errorf("indicators.md does not say %q, the output of Example_weeklyTrend", want)
	}
}
