package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/quantloop/quantloop/backtest"
)

// readConfigFile reads a config file, refusing one larger than
// backtest.MaxConfigBytes before reading it all.
func readConfigFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, backtest.MaxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return b, nil
}
