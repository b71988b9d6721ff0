//go:build unix

package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/quantloop/quantloop/report"
)

// TestSIGKILLLeavesOneWholeRun builds the real binary and kills
// `quantloop run` with SIGKILL at many moments, spread over the whole run
// and its output phase, each run replacing the folder of the other of two
// configurations. After every kill the folder must hold one whole run,
// the previous or the new one, byte for byte as its manifest lists (and
// every distinct state passes `quantloop verify`), never a mixture; the
// user's files in it survive; and the next run cleans up what the killed
// one left beside it.
func TestSIGKILLLeavesOneWholeRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it many times")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "quantloop")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/quantloop").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "gen", "--out", tmp, "--symbols", "BIG", "--bars", "100000", "--interval", "1m", "--seed", "5").CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	parent := filepath.Join(tmp, "runs")
	out := filepath.Join(parent, "out")
	configs := [2][]string{{"--param", "fast=5"}, {"--param", "fast=8"}}
	command := func(c int) *exec.Cmd {
		args := append([]string{"run", "--data", filepath.Join(tmp, "BIG.csv"), "--param", "mode=longshort", "--out", out}, configs[c]...)
		return exec.Command(bin, args...)
	}

	// The two complete runs, each verified; the shortest complete run
	// spaces the kills.
	var manifests [2][]byte
	verified := map[string]bool{}
	verify := func() {
		t.Helper()
		m, _ := os.ReadFile(filepath.Join(out, report.ManifestFile))
		if verified[string(m)] {
			return
		}
		if b, err := exec.Command(bin, "verify", out).CombinedOutput(); err != nil {
			t.Fatalf("verify: %v\n%s", err, b)
		}
		verified[string(m)] = true
	}
	full := time.Hour
	for c := range configs {
		start := time.Now()
		if b, err := command(c).CombinedOutput(); err != nil {
			t.Fatalf("run: %v\n%s", err, b)
		}
		full = min(full, time.Since(start))
		m, err := os.ReadFile(filepath.Join(out, report.ManifestFile))
		if err != nil {
			t.Fatal(err)
		}
		manifests[c] = m
		verify()
	}
	if bytes.Equal(manifests[0], manifests[1]) {
		t.Fatal("the two configurations give the same run")
	}
	user := map[string]string{"notes.txt": "mine", filepath.Join("montecarlo", "paths.csv"): "derived"}
	for name, content := range user {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(out, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	current := 1 // the configuration the folder holds
	shortest := full

	// check checks the folder after a kill and returns the configuration
	// it holds.
	check := func(what string) int {
		t.Helper()
		if err := report.CheckDir(out); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		m, err := os.ReadFile(filepath.Join(out, report.ManifestFile))
		if err != nil {
			t.Fatal(err)
		}
		c := slices.IndexFunc(manifests[:], func(b []byte) bool { return bytes.Equal(b, m) })
		if c < 0 {
			t.Fatalf("%s: the folder holds a run that is neither the previous nor the new one:\n%s", what, m)
		}
		for name, content := range user {
			if b, err := os.ReadFile(filepath.Join(out, name)); err != nil || string(b) != content {
				t.Fatalf("%s: the user's %s: %q, %v", what, name, b, err)
			}
		}
		verify()
		return c
	}

	// kill runs the other configuration and kills it when at returns,
	// then checks the folder. It reports whether the process was still
	// running when killed.
	killed, swapped := 0, 0
	kill := func(what string, at func(started time.Time) bool) {
		t.Helper()
		next := 1 - current
		cmd := command(next)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
	wait:
		for {
			select {
			case err = <-done:
				break wait
			default:
			}
			if at(start) {
				cmd.Process.Signal(syscall.SIGKILL)
				err = <-done
				break
			}
			time.Sleep(200 * time.Microsecond)
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
				killed++
				what += " (killed)"
			} else {
				t.Fatalf("%s: %v\n%s", what, err, stderr.String())
			}
		} else if err != nil {
			t.Fatalf("%s: %v", what, err)
		} else {
			shortest = min(shortest, time.Since(start))
		}
		c := check(fmt.Sprintf("%s (%v after the start)", what, time.Since(start).Round(time.Millisecond)))
		if c != current {
			swapped++
			what += " (after the swap)"
		}
		t.Log(what)
		current = c
	}

	// Kills at delays spread from the start to the end of a run, then
	// more as needed (a busy machine makes run times vary) until 20
	// landed while the process ran.
	const spread = 20
	for i := 0; i < 2*spread && (i < spread || killed < spread); i++ {
		d := full * time.Duration(2*i+1) / (2 * spread) // (i+½)/20 of a run
		if i >= spread {
			d = shortest * time.Duration(2*(i-spread)+1) / (2 * spread)
		}
		kill(fmt.Sprintf("kill %d at %v", i, d), func(start time.Time) bool { return time.Since(start) >= d })
	}
	// Kills in the output phase: as each file of Finish appears in the
	// stage folder, and when the stage is swapped in.
	for _, name := range []string{report.FeesFile, report.ConfigFile, report.ResultsFile, report.ReportFile, report.ManifestFile} {
		kill("kill at "+name, func(time.Time) bool { return stageHas(parent, name) })
	}
	kill("kill at the swap", func(time.Time) bool {
		m, _ := os.ReadFile(filepath.Join(out, report.ManifestFile))
		return bytes.Equal(m, manifests[1-current])
	})
	t.Logf("%d kills of a running process, %d after the swap; a run takes %v", killed, swapped, full)
	if killed < 20 {
		t.Errorf("only %d kills landed while the process ran, want 20", killed)
	}
	if swapped == 0 || swapped == killed {
		t.Errorf("%d of %d kills came after the swap: the kills do not span the run", swapped, killed)
	}

	// A last complete run cleans up every left-over.
	if b, err := command(1 - current).CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, b)
	}
	check("the last run")
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left beside the folder after a complete run: %v", names)
	}
}

// waitStage waits until the run of cmd has made its stage folder in
// parent: the process has installed its signal handler by then, however
// long a loaded machine took to start it.
func waitStage(t *testing.T, cmd *exec.Cmd, parent string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		if matches, _ := filepath.Glob(filepath.Join(parent, ".out.tmp-*")); len(matches) > 0 {
			return
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no stage folder in %s a minute after the start", parent)
		}
	}
}

// stageHas reports whether a stage folder in parent holds the file name.
func stageHas(parent, name string) bool {
	matches, _ := filepath.Glob(filepath.Join(parent, ".out.tmp-*", name))
	return len(matches) > 0
}

// TestSecondSignalLeavesNoStage: a second interrupt exits at once, and
// removes the folder the run was being written to; the output folder
// holds the previous run, or the interrupted run's partial results if
// they were swapped in first.
func TestSecondSignalLeavesNoStage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it on a large file")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "quantloop")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/quantloop").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "gen", "--out", tmp, "--symbols", "BIG", "--bars", "200000", "--interval", "1m", "--seed", "5").CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	parent := filepath.Join(tmp, "runs")
	out := filepath.Join(parent, "out")
	args := []string{"run", "--data", filepath.Join(tmp, "BIG.csv"), "--param", "mode=longshort", "--out", out}
	if b, err := exec.Command(bin, append(args, "--param", "fast=5")...).CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, b)
	}
	for _, gap := range []time.Duration{0, time.Millisecond, 20 * time.Millisecond} {
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitStage(t, cmd, parent)
		cmd.Process.Signal(syscall.SIGINT)
		time.Sleep(gap)
		cmd.Process.Signal(syscall.SIGINT)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Errorf("gap %v: %v, want exit status 130", gap, err)
		}
		if err := report.CheckDir(out); err != nil {
			t.Errorf("gap %v: %v", gap, err)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 1 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("gap %v: left beside the folder: %v, want none", gap, names)
			for _, e := range entries {
				if e.Name() != filepath.Base(out) {
					os.RemoveAll(filepath.Join(parent, e.Name())) // so the next gap starts clean
				}
			}
		}
	}
}
