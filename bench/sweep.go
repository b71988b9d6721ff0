package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// sweepData are the three real daily files of W5, 13,761 bars together.
var sweepData = []string{"orcl-1995-2014.txt", "yhoo-1996-2014.txt", "nvda-1999-2014.txt"}

// sweepGrid is W5's grid: 20 × 20 = 400 smacross configurations, every
// fast period below every slow one.
var sweepGrid = []string{"--grid", "strategy.params.fast=2:40:2", "--grid", "strategy.params.slow=50:240:10"}

// sweepResult is one timed sweep of W5.
type sweepResult struct {
	jobs     int
	barRuns  int
	seconds  float64
	cpu      float64 // user and system seconds
	rssMiB   float64
	runsDone int
}

// measureSweeps runs W5, the whole `quantloop sweep` command over the
// real daily files in dataDir, once with each number of jobs, each into a
// new store, and returns the timings. It returns nil when dataDir does
// not hold the files.
func measureSweeps(bin, dir, dataDir string, jobs []int) ([]sweepResult, error) {
	var files []string
	bars := 0
	for _, f := range sweepData {
		p := filepath.Join(dataDir, f)
		n, err := dataRows(p)
		if err != nil {
			if os.IsNotExist(err) {
				return nil, nil
			}
			return nil, err
		}
		files, bars = append(files, p), bars+n
	}
	cfg := filepath.Join(dir, "w5.yaml")
	if err := os.WriteFile(cfg, []byte("data:\n  files: ["+strings.Join(files, ", ")+"]\n"), 0o644); err != nil {
		return nil, err
	}
	var out []sweepResult
	for _, j := range jobs {
		db := filepath.Join(dir, fmt.Sprintf("w5-%d.db", j))
		os.Remove(db)
		args := append([]string{"sweep", "--config", cfg, "--store", db, "--html", "-", "--jobs", fmt.Sprint(j)}, sweepGrid...)
		cmd := exec.Command(bin, args...)
		start := time.Now()
		b, err := cmd.CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("W5 --jobs %d: %v\n%s", j, err, b)
		}
		wall := time.Since(start).Seconds()
		var runs int
		if _, err := fmt.Sscanf(afterLine(string(b), "  "), "%d configurations", &runs); err != nil || runs != 400 {
			return nil, fmt.Errorf("W5 --jobs %d: want 400 configurations:\n%s", j, b)
		}
		out = append(out, sweepResult{jobs: j, barRuns: runs * bars, seconds: wall, cpu: (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds(), rssMiB: maxRSSMiB(cmd.ProcessState), runsDone: runs})
		os.Remove(db)
	}
	return out, nil
}

// afterLine returns the first line of s that starts with prefix, without
// it.
func afterLine(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			return rest
		}
	}
	return ""
}

// dataRows counts the lines of the CSV file path after its header.
func dataRows(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := -1
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			n++
		}
	}
	return max(n, 0), sc.Err()
}

// printSweeps writes W5's table.
func printSweeps(rs []sweepResult) {
	fmt.Printf("\nW5: the whole quantloop sweep command, 400 smacross configurations over the 3 real daily files (%d bar-runs)\n", rs[0].barRuns)
	for _, r := range rs {
		fmt.Printf("  --jobs %d: %.2f s, %.0f bar-runs/s, %.1f runs/s; CPU %.2f s (%.0f bar-runs per CPU second); peak RSS %.1f MiB",
			r.jobs, r.seconds, float64(r.barRuns)/r.seconds, float64(r.runsDone)/r.seconds, r.cpu, float64(r.barRuns)/r.cpu, r.rssMiB)
		if r.jobs != rs[0].jobs {
			fmt.Printf(", %.2fx --jobs %d", rs[0].seconds/r.seconds, rs[0].jobs)
		}
		fmt.Println()
	}
}
