package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const runYAML = `# smacross long/short on the generated daily data
data:
  files:
    - ../testdata/daily/AAA.csv
    - ../testdata/daily/BBB.csv
strategy:
  name: smacross
  params:
    mode: longshort
    fast: 10
sizing: {pct: 25}
costs:
  commission: {pct: 0.05}
  slippage: {bps: 3}
`

// A config file gives the same outputs as the same settings in flags.
func TestRunConfigFileEqualsFlags(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "run.yaml", runYAML)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, stderr := quantloop(t, "run", "--config", cfg, "--out", a); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--param", "mode=longshort", "--param", "fast=10",
		"--size-pct", "25", "--commission-pct", "0.05", "--slippage-bps", "3", "--out", b); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{report.ResultsFile, report.ConfigFile, report.ManifestFile, report.ReportFile} {
		if !bytes.Equal(readFile(t, filepath.Join(a, name)), readFile(t, filepath.Join(b, name))) {
			t.Errorf("%s differs between --config and flags", name)
		}
	}
}

// Flags given on the command line override the file; flags not given
// (whatever their default) do not.
func TestRunFlagsOverrideConfigFile(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "run.yaml", runYAML+"account: {cash: 50000}\nout: "+filepath.Join(dir, "fromfile")+"\n")
	out := filepath.Join(dir, "o")
	if code, _, stderr := quantloop(t, "run", "--config", cfg, "--size-pct", "10", "--param", "slow=20", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := string(readFile(t, filepath.Join(out, report.ConfigFile)))
	for _, want := range []string{"sizing:\n    size: \"0\"\n    pct: \"10\"", `cash: "50000"`, `slow: "20"`, `fast: "10"`, `mode: longshort`, "commission:\n        pct: \"0.05\""} {
		if !strings.Contains(got, want) {
			t.Errorf("effective config lacks %q:\n%s", want, got)
		}
	}
	// Without --out the file's out is used.
	if code, _, stderr := quantloop(t, "run", "--config", cfg); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "fromfile", report.ManifestFile)); err != nil {
		t.Error(err)
	}
}

func TestRunConfigFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, msg string
	}{
		{"unknown key", "data: {files: [x.csv]}\n\nstrategy: {name: smacross}\naccount:\n  cahs: 5\n", `bad.yaml:5: account.cahs: unknown key (want cash, type,`},
		{"bad decimal", "data: {files: [x.csv]}\naccount: {cash: lots}\n", `bad.yaml:2: account.cash: "lots" is not a decimal number`},
		{"bad type", "data: {files: [x.csv]}\nanalysis:\n  trials: many\n", `bad.yaml:3: analysis.trials: "many" is not a whole number`},
		{"out of range", "data: {files: [x.csv]}\nanalysis:\n  trials: 99999999999999999999\n", `bad.yaml:3: analysis.trials: "99999999999999999999" is out of range: want a whole number from -9223372036854775808 to 9223372036854775807`},
		{"syntax", "data: [x.csv\n", `bad.yaml: line 1: did not find expected`},
		{"not a mapping", "- a\n- b\n", `bad.yaml:1: want a mapping of settings`},
		{"no data", "strategy: {name: buyhold}\n", "--data is required (or data.files in the --config file)\nrun 'quantloop run --help' for the flags\n"},
		{"comments only", "# nothing yet\n", "quantloop: run: --data is required"},
		{"invalid value", "data: {files: [x.csv]}\naccount: {cash: -5}\n", `account.cash: -5 must not be negative`},
		{"invalid values", "data: {files: [x.csv]}\nanalysis: {risk_free: -2}\ndata: {header: maybe}\n", "bad.yaml:3: data: key given twice"},
		{"bad enum", "data: {files: [x.csv], header: maybe}\n", `bad.yaml:1: data.header: header "maybe": want auto, present, absent or skip`},
		{"invalid together", "data: {files: [x.csv]}\nsizing: {size: 5, pct: 10}\n", "sizing: set sizing.size (a fixed quantity) or sizing.pct (a percent of equity), not both"},
		{"sweep section", "data: {files: [x.csv]}\nsweep:\n  grid: {strategy.params.fast: 5:20:5}\n", "bad.yaml:3: sweep: the file plans a sweep; run it with quantloop sweep --config "},
		{"flat layout", "data: [x.csv]\ncommission_pct: 0.05\nstrategy: smacross\nseed: 3\n", "bad.yaml:1: data: moved to data.files\n  " + filepath.Join(dir, "bad.yaml") + ":2: commission_pct: moved to costs.commission.pct\n  " + filepath.Join(dir, "bad.yaml") + ":3: strategy: moved to strategy.name\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, "bad.yaml", tc.content)
			code, _, stderr := quantloop(t, "run", "--config", p, "--out", filepath.Join(dir, "o"))
			if code != 2 || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.msg)
			}
		})
	}
}

// verify says yes for an untouched run, refuses a changed output (it does
// not match the manifest), and names the first difference of
// a changed input; each with exit status 1.
func TestVerify(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	aaa := filepath.Join(data, "AAA.csv")
	if err := os.WriteFile(aaa, readFile(t, "../testdata/daily/AAA.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := quantloop(t, "run", "--data", aaa, "--param", "mode=longshort", "--trials", "5", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, stdout, stderr := quantloop(t, "verify", out)
	if code != 0 || !strings.Contains(stdout, "all 9 outputs reproduce bit for bit") {
		t.Fatalf("verify: exit %d, %s %s", code, stdout, stderr)
	}

	// An output changed on line 3: the folder no longer matches its
	// manifest.
	trades := filepath.Join(out, report.TradesFile)
	saved := readFile(t, trades)
	lines := strings.SplitAfter(string(saved), "\n")
	lines[2] = strings.Replace(lines[2], ",long,", ",LONG,", 1)
	lines[2] = strings.Replace(lines[2], ",short,", ",SHORT,", 1)
	writeFile(t, out, report.TradesFile, strings.Join(lines, ""))
	code, _, stderr = quantloop(t, "verify", out)
	if code != 1 || !strings.Contains(stderr, "trades.csv does not match "+filepath.Join(out, report.ManifestFile)) {
		t.Errorf("changed output: exit %d, %s", code, stderr)
	}
	writeFile(t, out, report.TradesFile, string(saved))

	// An input changed.
	b := readFile(t, aaa)
	writeFile(t, data, "AAA.csv", string(b)+"\n")
	code, _, stderr = quantloop(t, "verify", out)
	if code != 1 || !strings.Contains(stderr, "input "+aaa+" changed") {
		t.Errorf("changed input: exit %d, %s", code, stderr)
	}
	writeFile(t, data, "AAA.csv", string(b))

	// The saved config edited: its hash no longer matches.
	cfg := filepath.Join(out, report.ConfigFile)
	c := readFile(t, cfg)
	writeFile(t, out, report.ConfigFile, strings.Replace(string(c), "trials: 5", "trials: 6", 1))
	code, _, stderr = quantloop(t, "verify", out)
	if code != 1 || !strings.Contains(stderr, "config.yaml was changed") {
		t.Errorf("changed config: exit %d, %s", code, stderr)
	}
	writeFile(t, out, report.ConfigFile, string(c))

	if code, _, _ := quantloop(t, "verify", out); code != 0 {
		t.Error("restored run does not verify")
	}
	if code, _, stderr := quantloop(t, "verify", filepath.Join(dir, "nothing")); code != 2 || !strings.Contains(stderr, "manifest.json") {
		t.Errorf("missing run: exit %d, %s", code, stderr)
	}
}

// report DIR redraws the page byte for byte. With several data files the
// run's page takes the exposure's closes from the bars the run saw, and
// report DIR reads them from the files: a date range, corporate actions
// (whose replay of the fills misses the splits, so the exposure by
// position is left out) and four symbols included.
func TestReportCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--data", dailyData},
		{"--data", dailyData, "--param", "mode=longshort", "--size-pct", "40", "--from", "2020-03-01", "--to", "2020-09-30"},
		{"--data", "XYZ=../testdata/actions/XYZ.csv,ABC=../testdata/actions/ABC.csv",
			"--orders", "../testdata/actions/orders.csv", "--actions", "../testdata/actions/actions.csv"},
		{"--data", "../testdata/rotation/ALFA.csv,../testdata/rotation/BETA.csv,../testdata/rotation/DELT.csv,../testdata/rotation/GAMA.csv",
			"--size-pct", "20"},
	} {
		out := t.TempDir()
		if code, _, stderr := quantloop(t, append(append([]string{"run"}, args...), "--out", out)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		want := readFile(t, filepath.Join(out, report.ReportFile))
		os.Remove(filepath.Join(out, report.ReportFile))
		if code, _, stderr := quantloop(t, "report", out); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if !bytes.Equal(readFile(t, filepath.Join(out, report.ReportFile)), want) {
			t.Errorf("%v: report DIR wrote a different report.html", args)
		}
	}
	if code, _, _ := quantloop(t, "report"); code != 2 {
		t.Errorf("report without DIR: exit %d, want 2", code)
	}
}

// metrics FILE on METRICS.md §8's returns, and on equity levels.
func TestMetricsCommand(t *testing.T) {
	dir := t.TempDir()
	returns := writeFile(t, dir, "r.csv", "date,returns\n2024-01-01,0.02\n2024-01-02,-0.01\n2024-01-03,0.03\n2024-01-04,-0.02\n2024-01-05,0\n2024-01-08,0.01\n")
	bench := writeFile(t, dir, "b.csv", "date,returns\n2024-01-01,0.01\n2024-01-02,-0.005\n2024-01-03,0.02\n2024-01-04,-0.01\n2024-01-05,0.002\n2024-01-08,0.004\n")
	code, stdout, stderr := quantloop(t, "metrics", "--periods-per-year", "252", "--benchmark", bench, returns)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"total_return": 0.029485041200000`, `"sharpe": 4.24264068711928`, `"max_drawdown": -0.02`,
		`"omega": 2`, `"beta": 1.72353455818022`, `"periods": 6`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("metrics output lacks %s:\n%s", want, stdout)
		}
	}
	// Equity levels: 100 → 102 → 100.98 is +2 %, -1 %.
	equity := writeFile(t, dir, "e.csv", "time,equity\n2024-01-01T00:00:00Z,100\n2024-01-02T00:00:00Z,102\n2024-01-03T00:00:00Z,100.98\n")
	code, stdout, _ = quantloop(t, "metrics", equity)
	if code != 0 || !strings.Contains(stdout, `"periods": 2`) || !strings.Contains(stdout, `"max_drawdown": -0.0100000000000`) {
		t.Errorf("equity input: exit %d\n%s", code, stdout)
	}
	for _, tc := range []struct{ content, msg string }{
		{"date,returns\n2024-01-01,0.02\n2024-01-02,abc\n", `bad.csv:3: field "returns": "abc" is not a valid returns`},
		{"date,returns\n2024-01-02,0.02\n2024-01-01,0.01\n", `bad.csv:3: field "date": time 2024-01-01 is not after`},
		{"date,returns\nyesterday,0.02\n", `bad.csv:2: field "date": cannot read time "yesterday"`},
		{"when,returns\n", `bad.csv:1: no time column`},
		{"date,pnl\n", `bad.csv:1: no value column`},
		{"time,equity\n2024-01-01,0\n", `bad.csv:2: field "equity": "0" is not a valid equity`},
	} {
		p := writeFile(t, dir, "bad.csv", tc.content)
		code, _, stderr := quantloop(t, "metrics", p)
		if code != 2 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.msg)
		}
	}
}

func TestFirstDifference(t *testing.T) {
	tests := []struct {
		saved, rerun, want string
	}{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nbc\n", "a\nbd\n", `line 2, byte 3 differs: saved "bc", re-run "bd"`},
		{"a\n", "a\nb\n", `line 2, byte 2 differs: saved (end of file), re-run "b"`},
		{"xyz", "xy", `line 1, byte 2 differs: saved "xyz", re-run "xy"`},
	}
	for _, tc := range tests {
		if got := firstDifference([]byte(tc.saved), []byte(tc.rerun)); got != tc.want {
			t.Errorf("firstDifference(%q, %q) = %q, want %q", tc.saved, tc.rerun, got, tc.want)
		}
	}
}

// The example config file of docs/config.md runs, and verifies.
func TestReadmeConfigExample(t *testing.T) {
	readme := string(readFile(t, "../docs/config.md"))
	_, rest, ok := strings.Cut(readme, "```yaml\n")
	if !ok {
		t.Fatal("no yaml block in docs/config.md")
	}
	example, _, _ := strings.Cut(rest, "```")
	example = strings.ReplaceAll(example, "testdata/", "../testdata/")
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	example = strings.Replace(example, "out: out", "out: "+out, 1)
	cfg := writeFile(t, dir, "run.yaml", example)
	if code, _, stderr := quantloop(t, "run", "--config", cfg); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, stdout, stderr := quantloop(t, "verify", out); code != 0 {
		t.Fatalf("verify: exit %d: %s %s", code, stdout, stderr)
	}
}

// verify and report refuse, with exit status 2, a run folder written in
// another format version: one from before the format key (format 1), or
// from a later quantloop.
func TestOtherFormatVersion(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	tests := []struct {
		name, from, to, msg string
	}{
		{"format 1", "  \"format\": 2,\n", "", "is of format 1, this quantloop reads format 2"},
		{"format 3", "  \"format\": 2,", "  \"format\": 3,", "is of format 3, this quantloop reads format 2"},
	}
	for _, tc := range tests {
		for _, c := range []struct{ cmd, file string }{{"verify", report.ManifestFile}, {"report", report.ResultsFile}} {
			saved := readFile(t, filepath.Join(out, c.file))
			if !bytes.HasPrefix(saved, []byte("{\n"+tc.from)) {
				t.Fatalf("%s does not start with the format key:\n%.80s", c.file, saved)
			}
			writeFile(t, out, c.file, strings.Replace(string(saved), tc.from, tc.to, 1))
			code, _, stderr := quantloop(t, c.cmd, out)
			if code != 2 || !strings.Contains(stderr, filepath.Join(out, c.file)) || !strings.Contains(stderr, tc.msg) {
				t.Errorf("%s, %s: exit %d, %s", tc.name, c.cmd, code, stderr)
			}
			writeFile(t, out, c.file, string(saved))
		}
	}
	if code, stdout, stderr := quantloop(t, "verify", out); code != 0 {
		t.Errorf("restored run: exit %d, %s %s", code, stdout, stderr)
	}
}
