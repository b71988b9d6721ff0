// Command quantloop runs event-driven backtests on CSV bars, checks and
// redraws their outputs, and computes metrics. Its commands and flags are
// those of package cli, with the built-in strategies; `quantloop --help`
// lists them.
package main

import (
	"os"

	"github.com/quantloop/quantloop/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
