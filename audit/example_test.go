package audit_test

import (
	"context"
	"fmt"

	"github.com/quantloop/quantloop/audit"
	"github.com/quantloop/quantloop/backtest"
)

// The built-in moving-average crossover decides each order from the
// bars up to it: on the data cut at ten bar times drawn with seed 1,
// every order up to each cut is the same as on all the data.
func ExampleRun() {
	cfg := backtest.DefaultConfig()
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	cfg.Strategy.Name = "smacross"
	rep, err := audit.Run(context.Background(), cfg, audit.Options{Cuts: 10, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Timestamps, "bar times,", rep.Decisions, "decisions,", len(rep.Cuts), "cuts")
	fmt.Println("clean:", rep.Clean())
	// Output:
	// 500 bar times, 20 decisions, 10 cuts
	// clean: true
}
