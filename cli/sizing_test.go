package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// A run without a size holds the equity split equally; a run whose
// positions are tiny against its equity warns on the terminal and in
// results.json.
func TestDefaultSizingAndLowExposure(t *testing.T) {
	dir := t.TempDir()
	type results struct {
		Config struct {
			Sizing struct{ Size, Pct string }
		}
		Warnings []struct{ Code string }
	}
	tests := []struct {
		args      []string
		size, pct string
		warn      bool
	}{
		{nil, "0", "50", false},
		{[]string{"--size", "1"}, "1", "0", true},
		{[]string{"--size-pct", "40"}, "0", "40", false},
	}
	for i, tc := range tests {
		out := filepath.Join(dir, string(rune('a'+i)))
		code, stdout, stderr := quantloop(t, append([]string{"run", "--data", dailyData, "--out", out}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", tc.args, code, stderr)
		}
		var r results
		if err := json.Unmarshal(readFile(t, filepath.Join(out, "results.json")), &r); err != nil {
			t.Fatal(err)
		}
		if r.Config.Sizing.Size != tc.size || r.Config.Sizing.Pct != tc.pct {
			t.Errorf("%q: sizing %+v, want size %s pct %s", tc.args, r.Config.Sizing, tc.size, tc.pct)
		}
		warned := len(r.Warnings) == 1 && r.Warnings[0].Code == "low_exposure"
		line := strings.Contains(stdout, "\n  WARNING            low_exposure: the average exposure was ")
		if warned != tc.warn || line != tc.warn || (!tc.warn && len(r.Warnings) != 0) {
			t.Errorf("%q: warnings %v, terminal line %v; want low_exposure %v:\n%s", tc.args, r.Warnings, line, tc.warn, stdout)
		}
	}
}
