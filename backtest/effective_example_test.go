package backtest_test

import (
	"fmt"
	"log"

	"github.com/quantloop/quantloop/backtest"
)

// Two spellings of one run: the defaults left out, and given.
func ExampleConfig_Effective() {
	short := []byte("data:\n  files: [a.csv]\nstrategy:\n  params: {fast: 5}\n")
	long := []byte("data:\n  files: [a.csv]\nstrategy:\n  name: smacross\n  params: {fast: 5, slow: 30}\naccount:\n  cash: 100000\n")
	var canon []string
	for _, b := range [][]byte{short, long} {
		var c backtest.Config
		if err := backtest.DecodeYAML("run.yaml", b, &c, nil); err != nil {
			log.Fatal(err)
		}
		e, err := c.Effective()
		if err != nil {
			log.Fatal(err)
		}
		y, err := e.CanonicalYAML()
		if err != nil {
			log.Fatal(err)
		}
		canon = append(canon, string(y))
		if len(canon) == 1 {
			fmt.Println(e.Strategy.Name, e.Strategy.Params, e.Account.Cash)
		}
	}
	fmt.Println("same effective config:", canon[0] == canon[1])
	// Output:
	// smacross map[fast:5 mode:long slow:30] 100000
	// same effective config: true
}
