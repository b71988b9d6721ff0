package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/quantloop/quantloop/report"
)

// A run into a folder that holds a run says, in one line, that it
// replaced it; a run into a new folder does not.
func TestRunSaysReplaced(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "--data", "../testdata/daily/AAA.csv", "--strategy", "smacross", "--out", out}
	code, stdout, stderr := quantloop(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, "replaced") {
		t.Errorf("first run says it replaced a run:\n%s", stdout)
	}
	code, stdout, stderr = quantloop(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if last, want := lines[len(lines)-1], "replaced the previous run in "+out+"/"; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	if strings.Count(stdout, "replaced") != 1 {
		t.Errorf("replaced said %d times", strings.Count(stdout, "replaced"))
	}
}

// Without --out, a run goes to runs/STRATEGY-HASH, HASH the first 8 hex
// digits of the SHA-256 of the canonical YAML of the configuration as
// given; the same command again replaces it.
func TestRunDefaultOut(t *testing.T) {
	data, err := filepath.Abs("../testdata/daily/AAA.csv")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	// The configuration the command line makes.
	var o runOptions
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	addRunFlags(fs, &o.settings)
	if err := fs.Parse([]string{"--data", data, "--strategy", "smacross"}); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := runConfig(&o)
	if err != nil {
		t.Fatal(err)
	}
	canon, err := cfg.CanonicalYAML()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(canon)
	want := filepath.Join("runs", "smacross-"+hex.EncodeToString(sum[:])[:8])
	for i, replaced := range []bool{false, true} {
		code, stdout, stderr := quantloop(t, "run", "--data", data, "--strategy", "smacross")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "results in "+want+"/:") {
			t.Errorf("run %d: no %q in\n%s", i, want, stdout)
		}
		if strings.Contains(stdout, "replaced the previous run in "+want+"/") != replaced {
			t.Errorf("run %d: replaced %v:\n%s", i, replaced, stdout)
		}
		if _, err := os.Stat(filepath.Join(want, report.ManifestFile)); err != nil {
			t.Error(err)
		}
	}
	if got, err := defaultOut(cfg); err != nil || got != want {
		t.Errorf("defaultOut = %q, %v; want %q", got, err, want)
	}
}
