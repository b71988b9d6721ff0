package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/quantloop/quantloop/report"
)

// TestSignalWritesPartialResults builds the real binary, runs it on two
// million generated one-minute bars (a few seconds of work), sends it a
// signal 0.3 s after it starts writing, and checks the exit status and
// that every output is complete, valid and marked partial.
func TestSignalWritesPartialResults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it on a large file")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "quantloop")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/quantloop").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const bars = 2_000_000
	if out, err := exec.Command(bin, "gen", "--out", dir, "--symbols", "BIG", "--bars", "2000000", "--interval", "1m", "--seed", "3").CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	tests := []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGINT, 130},
		{syscall.SIGTERM, 143},
	}
	for _, tc := range tests {
		t.Run(tc.sig.String(), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			cmd := exec.Command(bin, "run", "--data", filepath.Join(dir, "BIG.csv"), "--param", "mode=longshort", "--out", out)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitStage(t, cmd, filepath.Dir(out))
			time.Sleep(300 * time.Millisecond) // some bars into the run
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("wait: %v, want exit status %d\nstdout: %s\nstderr: %s", err, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), "quantloop run [PARTIAL]") {
				t.Errorf("summary not marked partial:\n%s", stdout.String())
			}
			if want := "run interrupted: received " + strings.ToLower(tc.sig.String()[:1]) + tc.sig.String()[1:]; !strings.Contains(stderr.String(), "quantloop: ") ||
				!strings.Contains(strings.ToLower(stderr.String()), strings.ToLower(want)) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), want)
			}
			checkPartialOutputs(t, out, bars)
		})
	}
}

// checkPartialOutputs checks that dir holds every output, complete and
// valid, marked partial, with the last processed time.
func checkPartialOutputs(t *testing.T, dir string, total int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 9 {
		t.Fatalf("output files %v, want the 9 outputs and no temporary files", entries)
	}
	b, err := os.ReadFile(filepath.Join(dir, report.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	var r report.Results
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("results.json is not valid JSON: %v", err)
	}
	if !r.Partial || !strings.Contains(r.Error, "run interrupted") {
		t.Fatalf("partial %v, error %q", r.Partial, r.Error)
	}
	if r.Bars == 0 || r.Bars >= total || r.LastTime == "" || r.LastTime != r.End {
		t.Fatalf("bars %d of %d, last_time %q, end %q", r.Bars, total, r.LastTime, r.End)
	}
	rows := map[string]int{}
	for _, name := range []string{report.TradesFile, report.FillsFile, report.OrdersFile, report.EquityFile} {
		f, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(f) == 0 || f[len(f)-1] != '\n' {
			t.Fatalf("%s does not end with a newline", name)
		}
		recs, err := csv.NewReader(bytes.NewReader(f)).ReadAll()
		if err != nil {
			t.Fatalf("%s is not valid CSV: %v", name, err)
		}
		rows[name] = len(recs) - 1
	}
	// equity.csv has a row per bar time processed, the last at last_time.
	if rows[report.EquityFile] != r.Timestamps || rows[report.FillsFile] != r.Fills || rows[report.OrdersFile] != r.Orders ||
		rows[report.TradesFile] != r.Trades {
		t.Fatalf("rows %v do not match results.json: %d bar times, %d fills, %d orders, %d trades",
			rows, r.Timestamps, r.Fills, r.Orders, r.Trades)
	}
	eq, _ := os.ReadFile(filepath.Join(dir, report.EquityFile))
	lines := strings.Split(strings.TrimSpace(string(eq)), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, r.LastTime+",") {
		t.Fatalf("last equity row %q, last_time %s", last, r.LastTime)
	}
}
