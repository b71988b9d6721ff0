package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// report --compare writes compare.html in the current folder unless
// --out says otherwise, and says so; one folder is a usage error.
func TestReportCompare(t *testing.T) {
	base := t.TempDir()
	var dirs []string
	for _, fast := range []string{"10", "5"} {
		d := filepath.Join(base, "fast"+fast)
		if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--strategy", "smacross", "--param", "fast="+fast, "--out", d); code != 0 {
			t.Fatalf("run: %s", stderr)
		}
		dirs = append(dirs, d)
	}
	t.Chdir(t.TempDir())
	code, stdout, stderr := quantloop(t, append([]string{"report", "--compare"}, dirs...)...)
	if code != 0 || stdout != "wrote compare.html, comparing 2 runs\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(report.CompareFile); err != nil {
		t.Error(err)
	}
	out := filepath.Join(base, "c.html")
	code, stdout, _ = quantloop(t, append([]string{"report", "--compare", "--out", out}, dirs...)...)
	if code != 0 || stdout != "wrote "+out+", comparing 2 runs\n" {
		t.Errorf("--out: exit %d, stdout %q", code, stdout)
	}
	code, _, stderr = quantloop(t, "report", "--compare", dirs[0])
	if code != 2 || !strings.HasPrefix(stderr, "quantloop: report --compare: want two or more run folders, got 1\n") {
		t.Errorf("one folder: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = quantloop(t, "report", dirs[0], "--out", out)
	if code != 2 || !strings.Contains(stderr, "--out is for --compare") {
		t.Errorf("--out without --compare: exit %d, stderr %q", code, stderr)
	}
}
