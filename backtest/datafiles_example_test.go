package backtest_test

import (
	"fmt"

	"github.com/quantloop/quantloop/backtest"
)

// An entry of data.files names its symbol with NAME=PATH.
func ExampleParseDataFile() {
	for _, e := range []string{"ORCL=data/orcl.csv", "data/yhoo.csv"} {
		f := backtest.ParseDataFile(e)
		fmt.Printf("symbol %q path %q\n", f.Symbol, f.Path)
	}
	// Output:
	// symbol "ORCL" path "data/orcl.csv"
	// symbol "" path "data/yhoo.csv"
}

// Without a sizing, a signal holds the equity split equally among the
// symbols.
func ExampleDefaultPct() {
	for _, n := range []int{1, 2, 3} {
		fmt.Println(n, backtest.DefaultPct(n))
	}
	// Output:
	// 1 100
	// 2 50
	// 3 33.3333333333333333
}
