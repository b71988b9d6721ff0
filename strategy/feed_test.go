package strategy_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// ohlc is one bar of a test feed: its time and open and close (high and
// low are the larger and smaller of the two).
type ohlc struct {
	t           time.Time
	open, close float64
}

// day returns midnight UTC of the given date in 2024.
func day(month time.Month, d int) time.Time { return time.Date(2024, month, d, 0, 0, 0, 0, time.UTC) }

// feedOf merges one memory source per symbol, in the order given.
func feedOf(t testing.TB, symbols []string, bars map[string][]ohlc) engine.Feed {
	t.Helper()
	var srcs []data.Source
	for _, s := range symbols {
		var bs []engine.Bar
		for _, b := range bars[s] {
			o, c := engine.PriceFromFloat(b.open), engine.PriceFromFloat(b.close)
			bs = append(bs, engine.Bar{Time: b.t, Open: o, High: max(o, c), Low: min(o, c), Close: c, Volume: 1e6})
		}
		src, err := data.NewMemory(s, bs)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	f, err := data.Merge(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// runFeed runs s over feed with cfg and fails the test on a run error.
func runFeed(t testing.TB, cfg backtest.Config, feed engine.Feed, s strategy.Strategy) *backtest.Result {
	t.Helper()
	res, err := backtest.RunFeed(context.Background(), cfg, feed, s)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkLines reports got when it differs from want, line by line.
func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
