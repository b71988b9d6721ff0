package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// --adjust and --actions: a run with both writes actions.csv and
// verifies; a bad actions file or mode is exit status 2 with one message.
func TestRunAdjustAndActions(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	code, stdout, stderr := quantloop(t, "run", "--data", "XYZ=../testdata/actions/XYZ.csv,ABC=../testdata/actions/ABC.csv",
		"--orders", "../testdata/actions/orders.csv", "--actions", "../testdata/actions/actions.csv", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "final cash         99343\n") || !strings.Contains(stdout, "corporate actions of ../testdata/actions/actions.csv: 3 position change(s), 2 order change(s), in "+out+"/actions.csv\n") {
		t.Errorf("summary:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, report.ActionsFile)); err != nil {
		t.Error(err)
	}
	if code, stdout, stderr := quantloop(t, "verify", out); code != 0 || !strings.Contains(stdout, "all 10 outputs reproduce") {
		t.Errorf("verify: exit %d\n%s%s", code, stdout, stderr)
	}

	code, stdout, stderr = quantloop(t, "run", "--data", "../testdata/actions/YHO.csv", "--adjust", "adjusted", "--out", filepath.Join(dir, "y"))
	if want := "\nprices adjusted: open, high, low and close scaled by each bar's Adj Close / Close, which embeds the later splits and dividends\n"; code != 0 || !strings.HasSuffix(stdout, want) {
		t.Errorf("adjusted: exit %d %s\n%s", code, stderr, stdout)
	}

	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("date,symbol,split,dividend\n2024-01-04,XYZ,2,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--actions", bad}, "quantloop: " + bad + `:2: field "dividend": the row has both a split and a dividend; give each action a row of its own` + "\n"},
		{[]string{"--adjust", "adjusted"}, `quantloop: ../testdata/actions/ABC.csv:1: field "adj_close": no adj_close column in the header`},
		{[]string{"--adjust", "total_return"}, `quantloop: invalid argument "total_return" for "--adjust" flag: adjust "total_return" is not offered`},
	}
	for _, tc := range tests {
		args := append([]string{"run", "--data", "XYZ=../testdata/actions/XYZ.csv,ABC=../testdata/actions/ABC.csv", "--out", filepath.Join(dir, "x")}, tc.args...)
		code, _, stderr := quantloop(t, args...)
		if code != 2 || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q\nwant prefix %q", tc.args, code, stderr, tc.want)
		}
	}
}
