package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/report"
)

// A walk-forward writes a run folder that verifies from its schedule,
// with windows.csv and walkforward.json beside it, and records the
// training sweeps and the out-of-sample run in the store.
func TestWalkforwardCommand(t *testing.T) {
	dir := t.TempDir()
	out, db := filepath.Join(dir, "wf"), filepath.Join(dir, "runs.db")
	code, stdout, stderr := quantloop(t, "walkforward", "--data", "../testdata/daily/AAA.csv",
		"--grid", "strategy.params.fast=5:10:5", "--values", "strategy.params.slow=20,30",
		"--train", "6mo", "--test", "3mo", "--objective", "total_return", "--out", out, "--store", db, "--jobs", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "walk-forward: 6 windows, 24 training runs, objective total_return") {
		t.Errorf("stdout:\n%s", stdout)
	}
	lines := strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(out, WindowsFile)))), "\n")
	if lines[0] != "train_start,train_end,test_start,test_end,params,is_objective,oos_objective" || len(lines) != 7 {
		t.Errorf("windows.csv:\n%s", strings.Join(lines, "\n"))
	}
	// 500 daily bars from 2020-01-01: the first window trains on the
	// first half-year and tests the third quarter.
	if !strings.HasPrefix(lines[1], "2020-01-01T00:00:00Z,2020-06-30T00:00:00Z,2020-07-01T00:00:00Z,2020-09-30T00:00:00Z,fast=") {
		t.Errorf("first window: %s", lines[1])
	}
	var sum struct {
		Windows int      `json:"windows"`
		Sweeps  []string `json:"sweeps"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(out, WalkforwardFile)), &sum); err != nil || sum.Windows != 6 || len(sum.Sweeps) != 6 {
		t.Errorf("walkforward.json: %+v, %v", sum, err)
	}
	cfg := string(readFile(t, filepath.Join(out, report.ConfigFile)))
	if !strings.Contains(cfg, "    schedule:\n        - 2020-07-01T00:00:00Z fast=") || !strings.Contains(cfg, "from: \"2020-07-01\"") {
		t.Errorf("config.yaml:\n%s", cfg)
	}
	code, stdout, stderr = quantloop(t, "verify", out)
	if code != 0 || !strings.Contains(stdout, "re-run from the recorded parameter schedule (strategy.schedule, 6 steps)") {
		t.Errorf("verify: exit %d: %s%s", code, stdout, stderr)
	}
	// 24 training runs and the out-of-sample run.
	code, stdout, _ = quantloop(t, "runs", "list", "--store", db, "--format", "csv")
	if n := strings.Count(strings.TrimSpace(stdout), "\n"); code != 0 || n != 25 {
		t.Errorf("runs list: exit %d, %d runs", code, n)
	}
}

func TestWalkforwardCrossValidation(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cv")
	code, stdout, stderr := quantloop(t, "walkforward", "--data", "../testdata/daily/AAA.csv",
		"--values", "strategy.params.fast=5,10", "--cv", "cpcv:5:2", "--purge", "3", "--embargo", "0.01", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "500 bars, 10 splits, purge 3 bars, embargo 5 bars, 2 configurations") ||
		!strings.Contains(stdout, "4 backtest paths") {
		t.Errorf("stdout:\n%s", stdout)
	}
	lines := strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(out, CVFile)))), "\n")
	// Groups of 100 bars; split 1 tests groups 1 and 2, [0,200). The
	// purge before them is empty, the embargo after them is [200,205)
	// (floor(0.01 × 500) bars): it trains on [205,500), 295 bars.
	if len(lines) != 11 || !strings.HasPrefix(lines[1], "1,1 2,295,200,strategy.params.fast=") {
		t.Errorf("cv.csv:\n%s", strings.Join(lines, "\n"))
	}
	if _, err := os.Stat(filepath.Join(out, CVSummaryFile)); err != nil {
		t.Error(err)
	}
}

// TestWalkforwardBadInput: a plan that cannot run is refused with exit
// status 2 and leaves no store, whether its flags, its settings, its
// space or its data are what is wrong.
func TestWalkforwardBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "wf.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--train", "3x", "--test", "1y"}, "--train: span \"3x\""},
		{[]string{"--train", "3y", "--test", "1b"}, "all must be bar counts or all calendar spans"},
		{[]string{"--train", "3y", "--test", "1y"}, "too short for one window"},
		{[]string{"--train", "3mo", "--test", "1mo", "--objective", "luck"}, "objective \"luck\""},
		{[]string{"--cv", "kfold:1"}, "--cv \"kfold:1\""},
		{[]string{"--train", "3mo", "--test", "1mo", "--purge", "2"}, "--purge and --embargo go with --cv"},
		{[]string{"--train", "3mo", "--test", "1mo", "--optimize", "nelder-mead"}, "nelder-mead searches --range PATH=LO:HI; give at least one"},
		{[]string{"--train", "3mo", "--test", "1mo", "--optimize", "hill"}, "optimizer \"hill\": want nelder-mead"},
		{[]string{"--train", "3mo", "--test", "1mo", "--where", "fast > 100"}, "no configuration is left"},
		{[]string{"--cv", "kfold:3", "--objective", "luck"}, "objective \"luck\""},
		{[]string{"--cv", "kfold:3", "--embargo", "1.5"}, "embargo 1.5"},
		{[]string{"--cv", "kfold:3", "--where", "fast > 100"}, "no configuration is left"},
		{[]string{"--cv", "cpcv:40:20"}, "C(40, 20) is more than 100000 splits"},
		{[]string{"--train", "3mo", "--test", "1mo", "--evals", "50"}, "--evals goes with --optimize nelder-mead"},
		{[]string{"--cv", "kfold:3", "--evals", "50"}, "--evals goes with --optimize nelder-mead"},
		{[]string{"--train", "3mo", "--test", "1mo", "--optimize", "nelder-mead", "--evals", "-3"}, "--evals take 0 or more"},
	} {
		os.Remove(db)
		args := append([]string{"walkforward", "--data", "../testdata/daily/AAA.csv", "--grid", "strategy.params.fast=5:10:5", "--out", filepath.Join(dir, "o"), "--store", db}, c.args...)
		code, _, stderr := quantloop(t, args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %s; want 2 and %q", c.args, code, stderr, c.want)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Errorf("%v: the store exists (%v)", c.args, err)
		}
	}
	// A purge that leaves a split nothing to train on is found once the
	// runs give the number of bars.
	code, _, stderr := quantloop(t, "walkforward", "--data", "../testdata/daily/AAA.csv", "--grid", "strategy.params.fast=5:10:5",
		"--cv", "kfold:2", "--purge", "99999999", "--out", filepath.Join(dir, "p"))
	if code != 2 || !strings.Contains(stderr, "cv: split 2 has no training bars left after a purge of 99999999 bars and an embargo of 0") {
		t.Errorf("a purge of every bar: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "p")); !os.IsNotExist(err) {
		t.Errorf("a purge of every bar wrote %s (%v)", filepath.Join(dir, "p"), err)
	}
	code, _, stderr = quantloop(t, "walkforward", "--data", "../testdata/daily/AAA.csv", "--grid", "costs.commission.pct=0:1:1",
		"--train", "3mo", "--test", "1mo", "--out", filepath.Join(dir, "o"))
	if code != 2 || !strings.Contains(stderr, "costs.commission.pct cannot vary: a walk-forward optimizes strategy.params.* only") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
