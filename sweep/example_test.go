package sweep_test

import (
	"context"
	"fmt"
	"log"

	"go.yaml.in/yaml/v3"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/sweep"
)

// The sweep: section of a config file, as quantloop sweep reads it (the
// config reader hands the section's node over: see
// backtest.DecodeYAMLSections).
func ExampleDecodeSection() {
	doc := []byte("grid:\n  strategy.params.fast: 5:15:5\nvalues:\n  strategy.params.mode: [long, longshort]\nwhere: fast > 5\nstore: sweep.db\n")
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		log.Fatal(err)
	}
	sec, err := sweep.DecodeSection("sweep.yaml", root.Content[0])
	if err != nil {
		log.Fatal(err)
	}
	points, err := sec.Space.Points()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sec.Store, len(points))
	for _, p := range points {
		fmt.Println(p)
	}
	// Output:
	// sweep.db 4
	// strategy.params.fast=10 strategy.params.mode=long
	// strategy.params.fast=10 strategy.params.mode=longshort
	// strategy.params.fast=15 strategy.params.mode=long
	// strategy.params.fast=15 strategy.params.mode=longshort
}

// A plan is prepared, and so checked, before a store is opened: one that
// cannot run leaves nothing behind.
func ExamplePrepare() {
	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	plan := sweep.Plan{Base: cfg, Space: sweep.Space{
		Grid:  []sweep.Dim{{Path: "strategy.params.fast", Values: []string{"5", "10", "15"}}, {Path: "strategy.params.slow", Values: []string{"10", "20"}}},
		Where: "fast < slow",
	}}
	prep, err := sweep.Prepare(context.Background(), plan, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(prep.Runs(), "runs")
	plan.Space.Where = "fast > slow and slow > 20"
	_, err = sweep.Prepare(context.Background(), plan, 2)
	fmt.Println(err)
	// Output:
	// 4 runs
	// sweep: no configuration is left (see --where)
}
