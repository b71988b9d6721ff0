//go:build unix

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// manySymbols writes n small data files into a new folder and returns
// their paths, comma-separated.
func manySymbols(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	paths := make([]string, n)
	for i := range paths {
		paths[i] = writeFile(t, dir, fmt.Sprintf("S%04d.csv", i),
			"time,open,high,low,close,volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,100\n")
	}
	return strings.Join(paths, ",")
}

// inChild runs the test named name again in a child process whose limit on
// open files is set by the shell command limit, with QUANTLOOP_LIMIT_CHILD
// set, and fails unless it passes.
func inChild(t *testing.T, name, limit string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a child process")
	}
	cmd := exec.Command("/bin/sh", "-c", limit+` && exec "$0" -test.run='^`+name+`$' -test.v`, os.Args[0])
	cmd.Env = append(os.Environ(), "QUANTLOOP_LIMIT_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// TestOpenFileLimitRaised: a process started with a soft limit on open
// files below its hard limit runs with the hard limit, less one (the Go
// runtime raises it so at start, since Go 1.19), and reads 300 data files
// at once.
func TestOpenFileLimitRaised(t *testing.T) {
	if os.Getenv("QUANTLOOP_LIMIT_CHILD") == "" {
		inChild(t, "TestOpenFileLimitRaised", "ulimit -Sn 64 && ulimit -Hn 1024")
		return
	}
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		t.Fatal(err)
	}
	if l.Cur != 1023 || l.Max != 1024 {
		t.Fatalf("limit on open files: soft %d, hard %d; want 1023 and 1024", l.Cur, l.Max)
	}
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := quantloop(t, "run", "--data", manySymbols(t, 300), "--strategy", "buyhold", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

// TestOpenFileLimitReached: more data files than the hard limit on open
// files allows is exit status 1, a limit of the machine with a hint, not
// bad input; nothing is written.
func TestOpenFileLimitReached(t *testing.T) {
	if os.Getenv("QUANTLOOP_LIMIT_CHILD") == "" {
		inChild(t, "TestOpenFileLimitReached", "ulimit -n 64")
		return
	}
	data := manySymbols(t, 100)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := quantloop(t, "run", "--data", data, "--strategy", "buyhold", "--out", out)
	for _, want := range []string{"too many open files\nhint: a run keeps every data file open, and this process may open at most 64 files",
		"(a limit of this machine, not an error in the data)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the output folder was made: %v", err)
	}
}
