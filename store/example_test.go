package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/manifest"
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
