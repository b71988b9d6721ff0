package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/report"
)

// Every row of the flag table sets a path that exists, no path has two
// flags, and every flag documented for run is defined.
func TestFlagTable(t *testing.T) {
	paths := map[string]bool{}
	for _, f := range backtest.Fields() {
		paths[f.Path] = true
	}
	seen := map[string]string{}
	for _, r := range runFlagTable {
		if !paths[r.path] {
			t.Errorf("--%s sets %s, which is not a setting", r.name, r.path)
		}
		if other, ok := seen[r.path]; ok {
			t.Errorf("--%s and --%s both set %s", r.name, other, r.path)
		}
		seen[r.path] = r.name
	}
	// The flags README.md documented for run when the flag table was
	// made: a contract with scripts, kept whatever the docs become.
	documented := strings.Fields(`config data symbol strategy orders param cash size size-pct commission-pct
		commission-per-share commission-min commission-max commission-fixed commission-tiers slippage-model
		slippage-bps volume-impact intrabar-path max-volume-share account margin-leverage maintenance-margin
		borrow-rate no-short close-at-end periods-per-year benchmark risk-free trials seed header columns order
		delimiter time-layout timezone out stats on-bad-row max-position max-position-value max-order-value
		max-leverage max-orders-per-bar max-orders-per-day long-only restricted kill-drawdown kill-daily-loss
		kill-action kill-auto-reset breaker-failures breaker-cooldown on-error`)
	fs := runCommand(nil, nil).Flags()
	for _, name := range documented {
		if fs.Lookup(name) == nil {
			t.Errorf("--%s is documented, and run does not define it", name)
		}
	}
	// TestCLIDocsListEveryFlag checks docs/cli.md, the flag reference,
	// against every command's flags.
}

// docs/config.md lists every setting with its kind and its flag, and
// nothing else, so the reference cannot drift from the Config.
func TestConfigDocsMatchFields(t *testing.T) {
	doc := string(readFile(t, "../docs/config.md"))
	flagOf := map[string]string{}
	for _, r := range runFlagTable {
		flagOf[r.path] = "`--" + r.name + "`"
	}
	var want []string
	for _, f := range backtest.Fields() {
		want = append(want, "| `"+f.Path+"` | "+strings.ReplaceAll(f.Kind, "|", ` \| `)+" | "+flagOf[f.Path]+" |")
	}
	var got []string
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "| `") {
			got = append(got, strings.Replace(line, " |  |", " | |", 1))
		}
	}
	for i := range want {
		want[i] = strings.Replace(want[i], " |  |", " | |", 1)
	}
	if !slices.Equal(got, want) {
		t.Errorf("docs/config.md's settings table differs; want:\n%s", strings.Join(want, "\n"))
	}
}

// A run's config.yaml, read back, runs to byte-identical outputs.
func TestConfigFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--param", "mode=longshort", "--param", "fast=7",
		"--size-pct", "30", "--commission-pct", "0.05", "--commission-min", "1", "--slippage-bps", "2",
		"--kill-drawdown", "30", "--kill-action", "reduce", "--breaker-cooldown", "90m", "--intrabar-path", "pessimistic",
		"--columns", "close=Close", "--benchmark", "none", "--set", "risk.max_orders_per_day=5", "--out", a); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, _, stderr := quantloop(t, "run", "--config", filepath.Join(a, report.ConfigFile), "--out", b); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !bytes.Equal(readFile(t, filepath.Join(a, e.Name())), readFile(t, filepath.Join(b, e.Name()))) {
			t.Errorf("%s differs after a round trip through config.yaml", e.Name())
		}
	}
	if len(entries) != 9 {
		t.Errorf("%d outputs", len(entries))
	}
}

// --set addresses any path, after the config file and in order with the
// flags.
func TestSetFlag(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "run.yaml", runYAML)
	out := filepath.Join(dir, "o")
	code, _, stderr := quantloop(t, "run", "--config", cfg, "--set", "costs.commission.pct=0.07", "--set", "strategy.params.fast=20",
		"--commission-min", "2", "--set", "costs.commission.min=3", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := string(readFile(t, filepath.Join(out, report.ConfigFile)))
	for _, want := range []string{"pct: \"0.07\"", "min: \"3\"", "fast: \"20\"", "mode: longshort", "pct: \"25\""} {
		if !strings.Contains(got, want) {
			t.Errorf("config.yaml lacks %s:\n%s", want, got)
		}
	}
}

// Usage errors print one line and a hint, never the flag list (issue 13,
// item 13), and the size flags say what is wrong with a zero (item 11)
// and numbers out of range say the range (item 12).
func TestUsageErrorsAreOneLine(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.yaml", "")
	comments := writeFile(t, dir, "comments.yaml", "# a run, to be written\n")
	hint := "\nrun 'quantloop run --help' for the flags\n"
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--config", empty}, "quantloop: run: --data is required (or data.files in the --config file)" + hint},
		{[]string{"--config", comments}, "quantloop: run: --data is required (or data.files in the --config file)" + hint},
		{[]string{"--dat", "x.csv"}, "quantloop: unknown flag: --dat" + hint},
		{[]string{"--data", dailyData, "--size-pct", "0"}, `quantloop: invalid argument "0" for "--size-pct" flag: 0 is not allowed: a percent of equity must be positive (leave sizing.pct out for the default, the equity split equally among the symbols, or give sizing.size for a fixed size)` + hint},
		{[]string{"--data", dailyData, "--size", "0"}, `quantloop: invalid argument "0" for "--size" flag: 0 is not allowed: a fixed order size must be positive (leave sizing.size out for the default, the equity split equally among the symbols, or give sizing.pct to size by a percent of equity)` + hint},
		{[]string{"--data", dailyData, "--max-orders-per-bar", "99999999999999999999"}, `quantloop: invalid argument "99999999999999999999" for "--max-orders-per-bar" flag: "99999999999999999999" is out of range: want a whole number from -9223372036854775808 to 9223372036854775807` + hint},
		{[]string{"--data", dailyData, "--param", "slow=99999999999999999999"}, `quantloop: strategy smacross: param slow: "99999999999999999999" is out of range: want a whole number from -9223372036854775808 to 9223372036854775807` + "\n"},
		{[]string{"--data", dailyData, "--cash", "1e30"}, "quantloop: account.cash: 1e30 is out of range: at most 18 digits before the decimal point and 18 after\n"},
	}
	for _, tc := range tests {
		code, _, stderr := quantloop(t, append(append([]string{"run"}, tc.args...), "--out", filepath.Join(dir, "o"))...)
		if code != 2 || stderr != tc.want {
			t.Errorf("%q: exit %d, stderr\n%s\nwant 2 and\n%s", tc.args, code, stderr, tc.want)
		}
	}
	code, _, stderr := quantloop(t, "fly")
	if code != 2 || strings.Contains(stderr, "Flags:") || !strings.Contains(stderr, `unknown command "fly"`) {
		t.Errorf("unknown command: exit %d, %s", code, stderr)
	}
	code, _, stderr = quantloop(t, "runn")
	if code != 2 || !strings.Contains(stderr, "Did you mean this?\n\trun\n") {
		t.Errorf("mistyped command: exit %d, %s", code, stderr)
	}
}

// --help prints no default twice, and run's lists every flag once with
// its path.
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"run", "gen", "verify", "report", "metrics", "version", "completion"} {
		code, stdout, _ := quantloop(t, cmd, "--help")
		if code != 0 || !strings.Contains(stdout, "quantloop "+cmd) {
			t.Errorf("%s --help: exit %d\n%s", cmd, code, stdout)
		}
		for _, line := range strings.Split(stdout, "\n") {
			if strings.Count(line, "(default") > 1 {
				t.Errorf("%s --help: a default twice: %s", cmd, line)
			}
		}
	}
	_, stdout, _ := quantloop(t, "run", "--help")
	for _, r := range runFlagTable {
		if n := strings.Count(stdout, "  --"+r.name+" "); n != 1 {
			t.Errorf("--%s appears %d times in --help", r.name, n)
		}
		if !strings.Contains(stdout, "["+r.path+"]") {
			t.Errorf("--help does not name %s's path %s", r.name, r.path)
		}
	}
}

// The completion command writes a script for each shell.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, stdout, stderr := quantloop(t, "completion", shell)
		if code != 0 || !strings.Contains(stdout, "quantloop") || len(stdout) < 1000 {
			t.Errorf("%s: exit %d, %d bytes, %s", shell, code, len(stdout), stderr)
		}
	}
}
