package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// TestLineDifference: a difference in the newlines alone, or an extra
// empty line, is named; two lines that read the same are never shown as
// the difference.
func TestLineDifference(t *testing.T) {
	tests := []struct {
		name, saved, rerun, want string
	}{
		{"empty line appended", "a\nb\n\n", "a\nb\n", "line 3, byte 4: the saved file has an extra empty line at its end"},
		{"empty line missing", "a\nb\n", "a\nb\n\n", "line 3, byte 4: the saved file lacks the empty line that ends the re-run's"},
		{"final newline removed", "a\nbc", "a\nbc\n", `line 2, byte 4: the saved file lacks the final newline that the re-run's has (the last line reads "bc" in both)`},
		{"final newline added", "a\nbc\n", "a\nbc", `line 2, byte 4: the saved file ends with a newline that the re-run's lacks (the last line reads "bc" in both)`},
		{"empty line inserted", "a\n\nb\n", "a\nb\n", `line 2, byte 2 differs: saved (empty line), re-run "b"`},
		{"line appended", "a\n", "a\nb\n", `line 2, byte 2 differs: saved (end of file), re-run "b"`},
		{"last line cut", "xyz", "xy", `line 1, byte 2 differs: saved "xyz", re-run "xy"`},
		{"windows line end", "a\r\n", "a\n", `line 1, byte 1 differs: saved "a\r", re-run "a"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := firstDifference([]byte(tc.saved), []byte(tc.rerun)); got != tc.want {
				t.Errorf("firstDifference(%q, %q)\n = %q\nwant %q", tc.saved, tc.rerun, got, tc.want)
			}
		})
	}
}

// interrupted returns a context canceled as the first SIGINT cancels
// the CLI's.
func interrupted() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(signalError{os.Interrupt})
	return ctx
}

// quantloopCtx is quantloop with the context ctx.
func quantloopCtx(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// onlyFiles fails unless dir holds exactly the names want.
func onlyFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, want)
	}
}

// TestInterruptedBeforeFirstBar: a run interrupted before its first bar
// writes an empty partial run, with no panic and no temporary file left;
// verify says the saved run is partial and why it does not reproduce; a
// verify interrupted before its re-run's first bar exits as interrupted.
func TestInterruptedBeforeFirstBar(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := quantloopCtx(interrupted(), "run", "--data", "../testdata/daily/AAA.csv", "--out", out)
	if code != 130 || !strings.Contains(stderr, "run interrupted: received interrupt; partial results written") ||
		!strings.Contains(stdout, "quantloop run [PARTIAL]") {
		t.Fatalf("run: exit %d, want 130\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	onlyFiles(t, out, "config.yaml", "equity.csv", "fees.csv", "fills.csv", "manifest.json", "orders.csv",
		"report.html", "results.json", "trades.csv")
	if r := readResults(t, out); !r.Partial || r.Bars != 0 {
		t.Errorf("results.json: partial %v, %d bars; want partial, 0 bars", r.Partial, r.Bars)
	}
	html := string(readFile(t, filepath.Join(out, report.ReportFile)))
	if !strings.Contains(html, "EMPTY RUN: no bar was processed (run interrupted: received interrupt)") {
		t.Errorf("report.html does not say the run is empty and why")
	}

	code, _, stderr = quantloop(t, "verify", out)
	if want := "not reproduced: the saved run is partial (run interrupted: received interrupt); the re-run ran to the end of the data"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("verify of the empty run: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}

	code, _, stderr = quantloopCtx(interrupted(), "verify", out)
	if want := "verify: re-run: run interrupted: received interrupt"; code != 130 || !strings.Contains(stderr, want) {
		t.Errorf("interrupted verify: exit %d, stderr %q; want 130 and %q", code, stderr, want)
	}
	onlyFiles(t, tmp)
}

// TestVerifyPartialRun: a run stopped by a bad data row is saved partial;
// verify reproduces it and says it is partial, also when it finds a
// difference.
func TestVerifyPartialRun(t *testing.T) {
	dir := t.TempDir()
	lines := strings.SplitAfter(string(readFile(t, "../testdata/daily/AAA.csv")), "\n")
	lines[100] = strings.Replace(lines[100], ",", ",x", 1) // line 101: a bad open
	aaa := writeFile(t, dir, "AAA.csv", strings.Join(lines, ""))
	out := filepath.Join(dir, "out")
	code, _, stderr := quantloop(t, "run", "--data", aaa, "--out", out)
	if code != 2 || !strings.Contains(stderr, "(partial results written)") {
		t.Fatalf("run: exit %d, stderr %q; want 2, partial results", code, stderr)
	}
	code, stdout, stderr := quantloop(t, "verify", out)
	if want := "the saved run is partial (" + aaa + ":101:"; code != 0 || !strings.Contains(stdout, want) ||
		!strings.Contains(stdout, "all 9 outputs reproduce bit for bit") {
		t.Fatalf("verify: exit %d\nstdout %q\nstderr %q\nwant 0 and %q", code, stdout, stderr, want)
	}
	equity := filepath.Join(out, report.EquityFile)
	if err := os.WriteFile(equity, append(readFile(t, equity), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = quantloop(t, "verify", out)
	if want := "the saved run is partial (" + aaa + ":101:"; code != 1 || !strings.Contains(stderr, want) ||
		!strings.Contains(stderr, "equity.csv: line 100, byte") || !strings.Contains(stderr, "the saved file has an extra empty line at its end") {
		t.Errorf("verify after an empty line was appended: exit %d, stderr %q", code, stderr)
	}
}
