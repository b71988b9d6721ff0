package strategy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// watcher records, at each daily bar, the weekly and monthly bars it has
// been given and what HistoryAt holds.
type watcher struct {
	log []string
}

var (
	weekly  = data.Timeframe{N: 1, Unit: data.Week}
	monthly = data.Timeframe{N: 1, Unit: data.Month}
)

func (w *watcher) Timeframes() []data.Timeframe {
	return []data.Timeframe{weekly, monthly, weekly, {N: 0, Unit: data.Day}}
}

func (w *watcher) OnCoarseBar(ctx *Context, tf data.Timeframe, b engine.Bar) error {
	w.log = append(w.log, fmt.Sprintf("%s %s: %s bar of %s O%s H%s L%s C%s",
		ctx.Time().Format("Mon 01-02"), b.Symbol, tf, b.Time.Format("01-02"), b.Open, b.High, b.Low, b.Close))
	return nil
}

func (w *watcher) OnBar(ctx *Context, b engine.Bar) error {
	h := ctx.HistoryAt(b.Symbol, weekly)
	last := "-"
	if h.Len() > 0 {
		last = h.Ago(0).Time.Format("01-02")
	}
	w.log = append(w.log, fmt.Sprintf("%s %s: %d weeks, last %s, %d months", b.Time.Format("Mon 01-02"), b.Symbol, h.Len(), last,
		ctx.HistoryAt(b.Symbol, monthly).Len()))
	return nil
}

// weekdayBars are weekdays from Thursday 2024-01-25 to Tuesday 2024-02-06,
// close = 10 + day index, high +1, low -1.
func weekdayBars(n int) []engine.Bar {
	var bars []engine.Bar
	d := time.Date(2024, 1, 25, 0, 0, 0, 0, time.UTC)
	for i := range n {
		p := engine.Price(int64(10+i) * engine.PriceScale)
		bars = append(bars, engine.Bar{Symbol: "X", Time: d, Open: p, High: p + engine.PriceScale, Low: p - engine.PriceScale, Close: p})
		if d = d.AddDate(0, 0, 1); d.Weekday() == time.Saturday {
			d = d.AddDate(0, 0, 2)
		}
	}
	return bars
}

func runWatcher(t *testing.T, bars []engine.Bar) (log, errs []string) {
	t.Helper()
	e := engine.New(testkit.NewFeed(bars))
	w := &watcher{}
	NewRunner(e, "w", w, &fakeAccount{pos: map[string]decimal.Decimal{}})
	engine.Subscribe(e.Bus(), "test", func(x *engine.ErrorEvent) error {
		errs = append(errs, x.Err.Error())
		return nil
	})
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w.log, errs
}

// TestCoarseBars: the week of 01-22 (Thu 25, Fri 26) is seen on Monday
// 01-29, before OnBar; January on Thursday 02-01; the week of 01-29 on
// Monday 02-05. A bad timeframe is reported once and left out; a
// timeframe listed twice is kept once.
func TestCoarseBars(t *testing.T) {
	log, errs := runWatcher(t, weekdayBars(9))
	want := []string{
		"Thu 01-25 X: 0 weeks, last -, 0 months",
		"Fri 01-26 X: 0 weeks, last -, 0 months",
		"Mon 01-29 X: 1w bar of 01-26 O10 H12 L9 C11",
		"Mon 01-29 X: 1 weeks, last 01-26, 0 months",
		"Tue 01-30 X: 1 weeks, last 01-26, 0 months",
		"Wed 01-31 X: 1 weeks, last 01-26, 0 months",
		"Thu 02-01 X: 1mo bar of 01-31 O10 H15 L9 C14",
		"Thu 02-01 X: 1 weeks, last 01-26, 1 months",
		"Fri 02-02 X: 1 weeks, last 01-26, 1 months",
		"Mon 02-05 X: 1w bar of 02-02 O12 H17 L11 C16",
		"Mon 02-05 X: 2 weeks, last 02-02, 1 months",
		"Tue 02-06 X: 2 weeks, last 02-02, 1 months",
	}
	if !slices.Equal(log, want) {
		t.Errorf("log:\n%q\nwant:\n%q", log, want)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "count 0 must be at least 1") {
		t.Errorf("errors %q, want one about the bad timeframe", errs)
	}
}

// TestCoarseBarsNoLookAhead runs the watcher on the data cut after every
// bar: what it saw at each bar up to the cut is what it saw there with
// all the data.
func TestCoarseBarsNoLookAhead(t *testing.T) {
	bars := weekdayBars(30)
	full, _ := runWatcher(t, bars)
	for cut := 1; cut <= len(bars); cut++ {
		part, _ := runWatcher(t, bars[:cut])
		if !slices.Equal(part, full[:len(part)]) {
			t.Fatalf("cut after bar %d: saw\n%q\nwith all data\n%q", cut, part, full[:len(part)])
		}
		// the cut data's log ends with the cut bar's OnBar line
		if last := part[len(part)-1]; !strings.Contains(last, bars[cut-1].Time.Format("Mon 01-02")+" X: ") || strings.Contains(last, "bar of") {
			t.Fatalf("cut after bar %d: last line %q", cut, last)
		}
	}
}
