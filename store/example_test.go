package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/manifest"
	"github.com/quantloop/quantloop/report"
	"github.com/quantloop/quantloop/store"
)

// A run recorded in a store and listed back with its metrics.
func Example() {
	dir, _ := os.MkdirTemp("", "store-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	res, err := backtest.Run(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	canon, _ := cfg.CanonicalYAML()
	var inputs []manifest.FileHash
	for _, d := range res.Inputs {
		inputs = append(inputs, manifest.Sum(d.Path, d.SHA256, d.Bytes))
	}
	run, err := store.NewRun(store.RunID(canon, inputs), res, store.KeepThin, time.Now(), 0)
	if err != nil {
		fmt.Println(err)
		return
	}

	s, err := store.Open(filepath.Join(dir, "runs.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	if _, err := s.Record(ctx, run, ""); err != nil {
		fmt.Println(err)
		return
	}
	runs, _ := s.Runs(ctx, "")
	for _, r := range runs {
		fmt.Println(r.Params["strategy.params.fast"], r.Metrics["final_equity"].Text, r.Metrics["trades"].Num)
	}
	// Output:
	// 10 93383.31 10
}

// Two stored runs drawn on one comparison page.
func ExampleStore_CompareRun() {
	dir, _ := os.MkdirTemp("", "store-compare-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := store.Open(filepath.Join(dir, "runs.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	var page []*report.CompareRun
	for _, fast := range []string{"5", "10"} {
		var cfg backtest.Config
		cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
		if err := cfg.Set("strategy.params.fast", fast); err != nil {
			fmt.Println(err)
			return
		}
		res, err := backtest.Run(ctx, cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		canon, _ := cfg.CanonicalYAML()
		run, err := store.NewRun(store.RunID(canon, nil), res, store.KeepThin, time.Now(), 0)
		if err == nil {
			_, err = s.Record(ctx, run, "")
		}
		var r *report.CompareRun
		if err == nil {
			r, err = s.CompareRun(ctx, run.ID)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.Strategy, r.Settings["strategy.params.fast"], r.Results.Trades)
		page = append(page, r)
	}
	if err := report.WriteCompareRuns(filepath.Join(dir, "compare.html"), page); err != nil {
		fmt.Println(err)
	}
	// Output:
	// smacross 5 13
	// smacross 10 10
}

// A ranking metric is checked before any run exists: IsMetric reads the
// type of results.json, so a misspelt name is found at once.
func ExampleIsMetric() {
	for _, name := range []string{"sharpe", "analysis.returns.omega", "trade_stats.win_rate", "sharp", "config.seed"} {
		fmt.Println(name, store.IsMetric(name))
	}
	// Output:
	// sharpe true
	// analysis.returns.omega true
	// trade_stats.win_rate true
	// sharp false
	// config.seed false
}
