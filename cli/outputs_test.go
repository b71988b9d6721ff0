package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputLevelCommands: verify reproduces a run at every output level;
// report redraws only a full run's page and names the level it refuses;
// run --store refuses --outputs metrics, whose folder has no CSV files to
// record.
func TestOutputLevelCommands(t *testing.T) {
	for _, tc := range []struct {
		level      string
		outputs    string // verify's count
		reportCode int
	}{
		{"full", "all 9 outputs", 0},
		{"lean", "all 9 outputs", 2},
		{"metrics", "all 3 outputs", 2},
	} {
		t.Run(tc.level, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := quantloop(t, "run", "--data", dailyData, "--outputs", tc.level, "--out", out); code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			code, stdout, stderr := quantloop(t, "verify", out)
			if code != 0 || !strings.Contains(stdout, tc.outputs+" reproduce") {
				t.Errorf("verify: exit %d: %s%s", code, stdout, stderr)
			}
			code, _, stderr = quantloop(t, "report", out)
			if code != tc.reportCode || (code != 0 && !strings.Contains(stderr, "--outputs "+tc.level)) {
				t.Errorf("report: exit %d, want %d: %s", code, tc.reportCode, stderr)
			}
		})
	}
	code, _, stderr := quantloop(t, "run", "--data", dailyData, "--outputs", "metrics", "--store", filepath.Join(t.TempDir(), "runs.db"),
		"--out", filepath.Join(t.TempDir(), "out"))
	if code != 2 || !strings.Contains(stderr, "--outputs metrics") {
		t.Errorf("run --store --outputs metrics: exit %d: %s", code, stderr)
	}
}
