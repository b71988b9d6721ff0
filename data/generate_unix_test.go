//go:build linux || darwin

package data

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// genDirEnv names the folder into which the child process of
// TestGenerateFilesWholeOrNothing generates, under a limit on file size.
const genDirEnv = "QUANTLOOP_TEST_GEN_DIR"

// TestGenerateFilesWholeOrNothing: when writing fails part way (here a
// file grows past the process's limit on file size, as a full disk
// would stop it), GenerateFiles leaves no file at a symbol's path and no
// temporary file, and a file an earlier generation wrote there stays as
// it was. The generation runs in a child process, since the limit is the
// whole process's.
func TestGenerateFilesWholeOrNothing(t *testing.T) {
	if dir := os.Getenv(genDirEnv); dir != "" {
		signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 64 << 10, Max: 64 << 10}); err != nil {
			t.Fatal(err)
		}
		_, err := GenerateFiles(dir, GenOptions{Symbols: []string{"A", "B"}, Bars: 100_000, Seed: 1})
		if err == nil || !strings.Contains(err.Error(), "file too large") {
			t.Fatalf("GenerateFiles past the size limit: %v", err)
		}
		return
	}
	dir := t.TempDir()
	old := []byte("time,open,high,low,close,volume\n2020-01-01,1,1,1,1,1\n")
	if err := os.WriteFile(filepath.Join(dir, "A.csv"), old, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGenerateFilesWholeOrNothing$")
	cmd.Env = append(os.Environ(), genDirEnv+"="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "A.csv" {
		t.Errorf("files after a failed generation: %v, want only the earlier A.csv", entries)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "A.csv")); err != nil || string(b) != string(old) {
		t.Errorf("the earlier A.csv changed: %d bytes, want %d (%v)", len(b), len(old), err)
	}
}
