package walkforward_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/sweep"
	"github.com/quantloop/quantloop/walkforward"
)

func ExampleSpec_Windows() {
	var times []time.Time
	for d := range 10 {
		times = append(times, time.Date(2024, 1, 1+d, 0, 0, 0, 0, time.UTC))
	}
	spec := walkforward.Spec{Train: walkforward.Span{N: 4, Unit: walkforward.Bars}, Test: walkforward.Span{N: 2, Unit: walkforward.Bars}}
	windows, err := spec.Windows(times)
	if err != nil {
		panic(err)
	}
	for _, w := range windows {
		fmt.Printf("train [%d,%d) test [%d,%d)\n", w.TrainStart, w.TrainEnd, w.TestStart, w.TestEnd)
	}
	// Output:
	// train [0,4) test [4,6)
	// train [2,6) test [6,8)
	// train [4,8) test [8,10)
}

func ExampleKFold() {
	splits, err := walkforward.KFold(10, 3, 1, 1) // 10 bars, 3 folds, purge 1, embargo 1
	if err != nil {
		panic(err)
	}
	for _, s := range splits {
		fmt.Println("test", s.Test, "train", s.Train)
	}
	// Output:
	// test [{0 4}] train [{5 10}]
	// test [{4 7}] train [{0 3} {8 10}]
	// test [{7 10}] train [{0 6}]
}

func ExampleParseSpan() {
	for _, s := range []string{"3y", "18mo", "1000b"} {
		sp, err := walkforward.ParseSpan(s)
		fmt.Println(sp.N, sp.Unit == walkforward.Bars, err)
	}
	// Output:
	// 3 false <nil>
	// 18 false <nil>
	// 1000 true <nil>
}

// A plan is prepared, and so checked and cut into windows, before a store
// is opened: one that cannot run leaves nothing behind.
func ExamplePrepare() {
	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	plan := walkforward.Plan{
		Base:  cfg,
		Space: sweep.Space{Grid: []sweep.Dim{{Path: "strategy.params.fast", Values: []string{"5", "10"}}}},
		Spec:  walkforward.Spec{Train: walkforward.Span{N: 1, Unit: walkforward.Years}, Test: walkforward.Span{N: 6, Unit: walkforward.Months}},
	}
	prep, err := walkforward.Prepare(context.Background(), plan)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range prep.Windows() {
		fmt.Println("train", w.TrainStart.Format(time.DateOnly), "to", w.TrainEnd.Format(time.DateOnly), "test from", w.TestStart.Format(time.DateOnly))
	}
	plan.Objective = "luck"
	_, err = walkforward.Prepare(context.Background(), plan)
	fmt.Println(err)
	// Output:
	// train 2020-01-01 to 2020-12-31 test from 2021-01-01
	// train 2020-07-01 to 2021-06-30 test from 2021-07-01
	// walkforward: objective "luck": want one of sharpe, sortino, total_return, annual_return, calmar, max_drawdown
}

// A cross-validation is prepared, and so checked, before a store is
// opened; a scheme of too many splits is refused before anything runs.
func ExamplePrepareCV() {
	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	plan := walkforward.CVPlan{
		Base:  cfg,
		Space: sweep.Space{Grid: []sweep.Dim{{Path: "strategy.params.fast", Values: []string{"5", "10"}}}},
		CV:    walkforward.CV{Groups: 6, Test: 2},
	}
	if _, err := walkforward.PrepareCV(context.Background(), plan, 2); err != nil {
		log.Fatal(err)
	}
	fmt.Println("cpcv:6:2 is ready to run")
	plan.CV = walkforward.CV{Groups: 40, Test: 20}
	_, err := walkforward.PrepareCV(context.Background(), plan, 2)
	fmt.Println(err)
	// Output:
	// cpcv:6:2 is ready to run
	// cv: 40 groups, 20 tested: C(40, 20) is more than 100000 splits; use fewer groups, or a number tested further from half of them
}
