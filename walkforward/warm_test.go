package walkforward_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/store"
	"github.com/quantloop/quantloop/strategy"
	"github.com/quantloop/quantloop/sweep"
	"github.com/quantloop/quantloop/walkforward"
)

// ordersIn returns res's orders made from from to to, both inclusive, as
// "time side quantity status", in time order.
func ordersIn(res *backtest.Result, from, to time.Time) []string {
	var rows []string
	for _, o := range res.Orders {
		if !o.Time.Before(from) && !o.Time.After(to) {
			rows = append(rows, fmt.Sprintf("%s %s %s %s", o.Time.Format(time.DateOnly), o.Side, o.Quantity, o.Status))
		}
	}
	slices.Sort(rows)
	return rows
}

// heldAfter returns the position after the fills at or before t.
func heldAfter(res *backtest.Result, t time.Time) decimal.Decimal {
	held := decimal.Zero
	for _, f := range res.Fills {
		if !f.Time.After(t) {
			held = held.Add(f.Quantity.Mul(decimal.NewFromInt(int64(f.Side))))
		}
	}
	return held
}

// The out-of-sample run's smacross of each window is warmed up from every
// bar before its test span, so in the span it holds the averages and the
// cross state of a run of the window's params from the start of the data.
// From the first bar of the span at which the two runs also hold the same
// position (after that bar's fills; the sizing is a fixed 10 units), they
// make the same orders to the end of the span. Most windows' spans start
// so, where a cold instance could not decide for slow bars.
func TestWalkForwardWarmInstances(t *testing.T) {
	var base backtest.Config
	base.Data.Files = []string{"../testdata/daily/AAA.csv"}
	base.Strategy.Name = "smacross"
	base.Sizing.Size = decimal.NewFromInt(10)
	base.Analysis.Benchmark.Off = true
	plan := walkforward.Plan{
		Base: base,
		Space: sweep.Space{Grid: []sweep.Dim{
			{Path: "strategy.params.fast", Values: []string{"5", "10"}},
			{Path: "strategy.params.slow", Values: []string{"20", "30"}},
		}},
		Spec:      walkforward.Spec{Train: walkforward.Span{N: 120, Unit: walkforward.Bars}, Test: walkforward.Span{N: 60, Unit: walkforward.Bars}},
		Objective: "total_return",
	}
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "wf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := walkforward.Optimize(ctx, plan, st, walkforward.Options{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	oos, err := backtest.Run(ctx, res.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer oos.Close()
	fromBoundary := 0
	for i, w := range res.Windows {
		cfg := base
		cfg.Strategy.Params = strategy.Params{}
		for _, p := range w.Params {
			cfg.Strategy.Params[p.Path[len("strategy.params."):]] = p.Value
		}
		full, err := backtest.Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// The test span's bars are the full run's equity times within it.
		var span []time.Time
		for _, p := range full.Equity {
			if !p.Time.Before(w.TestStart) && !p.Time.After(w.TestEnd) {
				span = append(span, p.Time)
			}
		}
		for k, b := range span {
			if !heldAfter(oos, b).Equal(heldAfter(full, b)) {
				continue
			}
			got, want := ordersIn(oos, b, w.TestEnd), ordersIn(full, b, w.TestEnd)
			if !slices.Equal(got, want) {
				t.Errorf("window %d (%s), from %s: orders\n%q\nwant those of %s from the start:\n%q",
					i+1, w.Params, b.Format(time.DateOnly), got, w.Params, want)
			}
			if k == 0 && i > 0 && len(want) > 0 {
				fromBoundary++
			}
			break
		}
		full.Close()
	}
	if fromBoundary < 2 {
		t.Errorf("%d windows after the first checked from their boundary with orders; want at least 2", fromBoundary)
	}
}
