package audit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/cli"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

func init() {
	strategy.Register("audit-test-endsell", func(strategy.Params) (strategy.Strategy, error) { return &endSell{}, nil })
}

// endSell, a user's strategy, buys one unit at the first bar and sells it
// in OnEnd, which runs at the data's last bar: live, no bar is known to
// be the last.
type endSell struct{ bought bool }

func (s *endSell) OnBar(ctx *strategy.Context, bar engine.Bar) error {
	if !s.bought {
		ctx.Submit(bar.Symbol, engine.Buy, decimal.NewFromInt(1))
		s.bought = true
	}
	return nil
}

func (s *endSell) OnEnd(ctx *strategy.Context) error {
	ctx.Submit("AAA", engine.Sell, decimal.NewFromInt(1))
	return nil
}

// TestAuditThroughMain: a program that registers its own strategy and
// calls cli.Main audits it (this test is here, not in cli, so that the
// strategy it registers stays out of the cli tests' strategy lists):
// exit status 1 for the strategy that acts at the end of the data, 0 for
// a built-in, 2 for bad input. The run flags and a config file both
// describe the run.
func TestAuditThroughMain(t *testing.T) {
	data := "../testdata/daily/AAA.csv"
	cfg := filepath.Join(t.TempDir(), "run.yaml")
	if err := os.WriteFile(cfg, []byte("data:\n  files: ["+data+"]\nstrategy:\n  name: audit-test-endsell\nseed: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"audit", "--config", cfg, "--cuts", "5"}, 1},
		{[]string{"audit", "--data", data, "--strategy", "audit-test-endsell"}, 1},
		{[]string{"audit", "--config", cfg, "--strategy", "smacross"}, 0},
		{[]string{"audit", "--data", data, "--cuts", "0"}, 2},
		{[]string{"audit", "--data", data, "--strategy", "no-such"}, 2},
		{[]string{"audit"}, 2},
	}
	// cli.Main writes to the process's standard output and error.
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = null, null
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()
	for _, tc := range tests {
		if got := cli.Main(tc.args); got != tc.want {
			t.Errorf("quantloop %v: exit %d, want %d", tc.args, got, tc.want)
		}
	}
}
