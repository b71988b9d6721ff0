package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/quantloop/quantloop/cli"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// firstDay buys 100 units on its first bar and holds them.
type firstDay struct{ done bool }

func (s *firstDay) OnBar(ctx *strategy.Context, b engine.Bar) error {
	if !s.done {
		s.done = true
		ctx.Signal(b.Symbol, engine.TargetLong)
	}
	return nil
}

// A program of its own registers its strategies and hands its arguments
// to Main, as its main function would with os.Args[1:]; run saves the
// strategy's name in config.yaml, so verify through the same program
// reproduces the run.
func ExampleMain() {
	if !slices.Contains(strategy.Names(), "first-day") { // Register panics on a name given twice
		strategy.Register("first-day", func(p strategy.Params) (strategy.Strategy, error) { return &firstDay{}, nil })
	}

	// Work in a folder of its own, with a copy of the data, so that the
	// paths the commands print are short.
	bars, err := os.ReadFile("../testdata/daily/AAA.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "quantloop-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "AAA.csv"), bars, 0o644); err != nil {
		fmt.Println(err)
		return
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		fmt.Println(err)
		return
	}

	code := cli.Main([]string{"run", "--data", "AAA.csv", "--strategy", "first-day", "--size", "100", "--out", "out"})
	fmt.Println("exit status", code)
	code = cli.Main([]string{"verify", "out"})
	fmt.Println("exit status", code)
	// Output:
	// quantloop run: first-day on AAA.csv
	//   period             2020-01-01T00:00:00Z .. 2021-11-30T00:00:00Z (500 bars, 500 bar times, 252 periods/year)
	//   initial cash       100000
	//   final cash         90183
	//   final equity       100943.00
	//   total return       0.94 %
	//   annual return      0.47 %
	//   annual volatility  2.59 %
	//   sharpe             0.196
	//   sortino            0.286
	//   max drawdown       -4.74 %
	//   PSR / DSR          60.86 % / 60.86 % (1 trial(s))
	//   benchmark          AAA.csv: total return 7.60 %, alpha -0.19 %, beta 0.097
	//   trades             0 closed (0 won, 0 lost, 0 even), 1 open
	//   win rate           -
	//   orders             1, 1 fills, 0 unfilled
	// results in out/: results.json, report.html, trades.csv, fills.csv, orders.csv, equity.csv, fees.csv, config.yaml, manifest.json
	// exit status 0
	// quantloop verify out: inputs unchanged; all 9 outputs reproduce bit for bit
	// exit status 0
}
