package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewcomerPath builds testdata/newcomer, a module of its own whose
// main.go writes a momentum rotation with the public API only, registers
// it and hands the command line to cli.Main; runs it on the rotation test
// data in a cash account; and checks that the saved config names the
// strategy and every param, that verify through the same binary
// reproduces every output, and that an unknown param is refused.
func TestNewcomerPath(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	src, err := filepath.Abs("../testdata/newcomer")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "newcomer")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	build.Dir = src
	// The workspace file takes quantloop from this repository.
	build.Env = append(os.Environ(), "GOWORK="+filepath.Join(src, "go.work"), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	user := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		c := exec.Command(bin, args...)
		c.Stdout, c.Stderr = &stdout, &stderr
		err := c.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}
	var files []string
	for _, s := range []string{"ALFA", "BETA", "GAMA", "DELT"} {
		files = append(files, "../testdata/rotation/"+s+".csv")
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := user("run", "--data", strings.Join(files, ","), "--strategy", "momentum",
		"--param", "top=2", "--account", "cash", "--out", out)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "0 unfilled") {
		t.Errorf("run: some orders did not fill:\n%s", stdout)
	}
	cfg, err := os.ReadFile(filepath.Join(out, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: momentum", `lookback: "60"`, `top: "2"`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config.yaml lacks %s:\n%s", want, cfg)
		}
	}
	code, stdout, stderr = user("verify", out)
	if code != 0 || !strings.Contains(stdout, "reproduce bit for bit") || strings.Contains(stdout, "note:") {
		t.Errorf("verify: exit %d\n%s%s", code, stdout, stderr)
	}
	// quantloop itself does not know the strategy, and says which binary
	// made the run.
	code, _, stderr = quantloop(t, "verify", out)
	if code != 2 || !strings.Contains(stderr, `unknown strategy "momentum"`) || !strings.Contains(stderr, "made by example.com/newcomer") {
		t.Errorf("verify by quantloop: exit %d\n%s", code, stderr)
	}
	code, _, stderr = user("run", "--data", files[0], "--strategy", "momentum", "--param", "bogus=1", "--out", filepath.Join(dir, "bad"))
	if code != 2 || !strings.Contains(stderr, `strategy momentum: unknown param "bogus" (known: lookback, top)`) {
		t.Errorf("unknown param: exit %d\n%s", code, stderr)
	}
}
