package cli

import (
	"strings"
	"testing"
)

// TestAuditReport: the audit of a strategy that acts at the end of the
// data names the bar, the symbol and both versions of the first differing
// decision; close-at-end alone is no finding.
func TestAuditReport(t *testing.T) {
	data := "../testdata/daily/AAA.csv"
	code, stdout, stderr := quantloop(t, "audit", "--data", data, "--strategy", "buyhold", "--close-at-end", "--cuts", "7", "--seed", "2")
	if code != 0 || !strings.Contains(stdout, "500 bar times, 2 decisions; 7 cuts (seed 2), 0 with a difference") {
		t.Errorf("buyhold with close-at-end: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// TestAuditNeedsData: without data the message names the audit command.
func TestAuditNeedsData(t *testing.T) {
	code, _, stderr := quantloop(t, "audit", "--cuts", "3")
	if code != 2 || !strings.Contains(stderr, "audit: --data is required") || !strings.Contains(stderr, "quantloop audit --help") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
