package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// --data NAME=PATH names each file's symbol, on the flag and in the
// config file, and the outputs carry those names.
func TestDataNamesSymbols(t *testing.T) {
	dir := t.TempDir()
	aaa, bbb := "../testdata/daily/AAA.csv", "../testdata/daily/BBB.csv"
	cfg := writeFile(t, dir, "run.yaml", "data:\n  files: [ORCL="+aaa+", YHOO="+bbb+"]\n")
	for name, args := range map[string][]string{
		"flag":   {"--data", "ORCL=" + aaa + ",YHOO=" + bbb},
		"config": {"--config", cfg},
	} {
		out := filepath.Join(dir, name)
		code, stdout, stderr := quantloop(t, append(append([]string{"run"}, args...), "--out", out)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		if !strings.Contains(stdout, "\n  benchmark          ORCL: total return ") {
			t.Errorf("%s: the benchmark is not named by its symbol:\n%s", name, stdout)
		}
		if !strings.Contains(stdout, "on ORCL="+aaa+", YHOO="+bbb+"\n") {
			t.Errorf("%s: the summary does not name the files:\n%s", name, stdout)
		}
		fills := string(readFile(t, filepath.Join(out, "fills.csv")))
		// The first fills of the default strategy on these files, by hand
		// from the runs named AAA and BBB: BBB's first, then AAA's.
		for _, want := range []string{"\n1,2020-02-27T00:00:00Z,YHOO,buy,", "\n2,2020-03-04T00:00:00Z,ORCL,buy,"} {
			if !strings.Contains(fills, want) {
				t.Errorf("%s: fills.csv lacks %q", name, want)
			}
		}
		if strings.Contains(fills, "AAA") || strings.Contains(fills, "BBB") {
			t.Errorf("%s: fills.csv names a file's own symbol", name)
		}
		conf := string(readFile(t, filepath.Join(out, report.ConfigFile)))
		if !strings.Contains(conf, "- ORCL="+aaa+"\n") {
			t.Errorf("%s: config.yaml lacks the named entry:\n%s", name, conf)
		}
	}
}

// A bad or repeated name is a usage error naming the entry.
func TestDataNameErrors(t *testing.T) {
	dir := t.TempDir()
	aaa, bbb := "../testdata/daily/AAA.csv", "../testdata/daily/BBB.csv"
	tests := []struct{ data, want string }{
		{"X Y=" + aaa, `quantloop: data.files: "X Y=` + aaa + `": the symbol "X Y" must be letters, digits, '.', '_' or '-' (write NAME=PATH)` + "\n"},
		{"=" + aaa, `quantloop: data.files: "=` + aaa + `": the symbol "" must be letters, digits, '.', '_' or '-' (write NAME=PATH)` + "\n"},
		{"X=", `quantloop: data.files: "X=": no file path (write NAME=PATH or PATH)` + "\n"},
		{"X=" + aaa + ",X=" + bbb, `quantloop: data.files: "X=` + bbb + `": the symbol "X" is already the symbol of "X=` + aaa + `"; name each file's symbol once, e.g. X2=` + bbb + "\n"},
		{"AAA=" + bbb + "," + aaa, `quantloop: data.files: "` + aaa + `": the symbol "AAA" is already the symbol of "AAA=` + bbb + `"; name each file's symbol once, e.g. AAA2=` + aaa + "\n"},
	}
	for _, tc := range tests {
		code, _, stderr := quantloop(t, "run", "--data", tc.data, "--out", filepath.Join(dir, "o"))
		if code != 2 || stderr != tc.want {
			t.Errorf("--data %s: exit %d, stderr\n%s\nwant 2 and\n%s", tc.data, code, stderr, tc.want)
		}
	}
}
