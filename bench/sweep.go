package main

import (
	"bufio"
	"errors"
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

// Issue 16's targets for W5.
const (
	sweepGoal      = 3e6 // bar-runs/s of the whole command, --jobs 2
	sweepStretch   = 5e6
	sweepScaleGoal = 1.7 // --jobs 2 against --jobs 1
)

// sweepResult is one timed sweep of W5.
type sweepResult struct {
	jobs     int
	barRuns  int
	seconds  float64
	cpu      float64 // user and system seconds
	rssMiB   float64
	runsDone int
	// pair marks two --jobs 1 sweeps run at once, each into its own
	// store: barRuns and cpu are both's, seconds is until both ended, and
	// rssMiB is the larger peak. Its rate over one --jobs 1 sweep's is
	// what the machine gives two workers that share nothing, the ceiling
	// of --jobs 2's scaling.
	pair bool
}

// sweepFiles returns the paths of W5's files in dataDir and their bars
// together, or no paths when dataDir does not hold them.
func sweepFiles(dataDir string) ([]string, int, error) {
	var files []string
	bars := 0
	for _, f := range sweepData {
		p := filepath.Join(dataDir, f)
		n, err := dataRows(p)
		if err != nil {
			if os.IsNotExist(err) {
				return nil, 0, nil
			}
			return nil, 0, err
		}
		files, bars = append(files, p), bars+n
	}
	return files, bars, nil
}

// memDir is the folder in memory (tmpfs) where W5 also runs its
// sweeps' stores, when the machine has it: see w5Result.mem.
const memDir = "/dev/shm"

// w5Result are W5's timings, each the median of its rounds.
type w5Result struct {
	// jobs has a sweep with each number of jobs asked, in that order.
	jobs []sweepResult
	// pair is two --jobs 1 sweeps at once (see sweepResult.pair).
	pair sweepResult
	// oneCore is a --jobs 1 sweep with GOMAXPROCS=1: the whole command
	// on one core, its store's writer and collector included, where
	// --jobs 1 alone also uses the second core for them. --jobs 2's
	// speed over it is the speedup over one core.
	oneCore sweepResult
	// mem has the same sweeps as jobs with their stores in memDir, where
	// a commit's sync to disk costs nothing: how the sweep scales without
	// the store's writes to disk. It is empty without memDir.
	mem []sweepResult
}

// measureSweeps runs W5, the whole `quantloop sweep` command over the
// real daily files in dataDir, into a new store each time: runs rounds of
// one sweep with each number of jobs, then two --jobs 1 sweeps at once,
// then one --jobs 1 sweep on one core (GOMAXPROCS=1), then (when memDir
// is there) one sweep with each number of jobs into a
// store in memDir, taking turns. It returns the medians of each, or nil
// when dataDir does not hold the files.
func measureSweeps(bin, dir, dataDir string, jobs []int, runs int) (*w5Result, error) {
	files, bars, err := sweepFiles(dataDir)
	if err != nil || files == nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "w5.yaml")
	if err := os.WriteFile(cfg, []byte("data:\n  files: ["+strings.Join(files, ", ")+"]\n"), 0o644); err != nil {
		return nil, err
	}
	mem := ""
	if fi, err := os.Stat(memDir); err == nil && fi.IsDir() {
		if mem, err = os.MkdirTemp(memDir, "quantloop-bench-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(mem)
	}
	// procs is the sweep's GOMAXPROCS, 0 for the default.
	type timing struct {
		dir            string
		jobs, n, procs int
	}
	var plan []timing
	for _, j := range jobs {
		plan = append(plan, timing{dir, j, 1, 0})
	}
	plan = append(plan, timing{dir, 1, 2, 0}, timing{dir, 1, 1, 1})
	if mem != "" {
		for _, j := range jobs {
			plan = append(plan, timing{mem, j, 1, 0})
		}
	}
	all := make([][]sweepResult, len(plan))
	for range runs {
		for k, t := range plan {
			r, err := runSweeps(bin, t.dir, cfg, bars, t.jobs, t.n, t.procs)
			if err != nil {
				return nil, err
			}
			all[k] = append(all[k], r)
		}
	}
	med := make([]sweepResult, len(all))
	for k, rs := range all {
		med[k] = medianSweep(rs)
	}
	return &w5Result{jobs: med[:len(jobs)], pair: med[len(jobs)], oneCore: med[len(jobs)+1], mem: med[len(jobs)+2:]}, nil
}

// runSweeps runs n W5 sweeps of cfg with j jobs at once, each into its
// own new store in dir, with GOMAXPROCS=procs unless procs is 0, and
// returns their timing together: the wall time until the last ended, the
// CPU and bar-runs of all, the largest peak RSS.
func runSweeps(bin, dir, cfg string, bars, j, n, procs int) (sweepResult, error) {
	res := sweepResult{jobs: j, pair: n == 2}
	cmds := make([]*exec.Cmd, n)
	outs := make([]strings.Builder, n)
	start := time.Now()
	for i := range cmds {
		db := filepath.Join(dir, fmt.Sprintf("w5-%d-%d.db", j, i))
		os.Remove(db)
		defer os.Remove(db)
		args := append([]string{"sweep", "--config", cfg, "--store", db, "--html", "-", "--jobs", fmt.Sprint(j)}, sweepGrid...)
		cmds[i] = exec.Command(bin, args...)
		if procs > 0 {
			cmds[i].Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", procs))
		}
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			return res, fmt.Errorf("W5 --jobs %d: %v", j, err)
		}
	}
	var errs []error
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("W5 --jobs %d: %v\n%s", j, err, outs[i].String()))
		}
	}
	res.seconds = time.Since(start).Seconds()
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	for i, cmd := range cmds {
		var runs int
		if _, err := fmt.Sscanf(afterLine(outs[i].String(), "  "), "%d configurations", &runs); err != nil || runs != 400 {
			return res, fmt.Errorf("W5 --jobs %d: want 400 configurations:\n%s", j, outs[i].String())
		}
		res.runsDone += runs
		res.barRuns += runs * bars
		res.cpu += cpuSeconds(cmd.ProcessState)
		res.rssMiB = max(res.rssMiB, maxRSSMiB(cmd.ProcessState))
	}
	return res, nil
}

// medianSweep returns rs[0] with the medians of rs's wall times, CPU
// times and peak RSS, each taken on its own.
func medianSweep(rs []sweepResult) sweepResult {
	m := rs[0]
	m.seconds = medianOf(rs, func(r sweepResult) float64 { return r.seconds })
	m.cpu = medianOf(rs, func(r sweepResult) float64 { return r.cpu })
	m.rssMiB = medianOf(rs, func(r sweepResult) float64 { return r.rssMiB })
	return m
}

// cpuSeconds returns the user and system CPU seconds of a process that
// ended, with those of the children it waited for.
func cpuSeconds(ps *os.ProcessState) float64 {
	return (ps.UserTime() + ps.SystemTime()).Seconds()
}

// measureBacktraderSweeps runs bench/backtrader_sweep.py, backtrader's
// optstrategy over a 4 × 4 smacross grid of W5's files in dataDir, with
// each number of processes, and returns the timings of the whole python3
// process (its workers' CPU included). It returns nil and why when it
// cannot: backtrader is not importable by python3 (PYTHONPATH is
// honoured), or the files are not there.
func measureBacktraderSweeps(dataDir string, cpus []int) ([]sweepResult, string) {
	files, _, err := sweepFiles(dataDir)
	if err != nil || files == nil {
		return nil, "the real daily files are not in " + dataDir
	}
	if exec.Command("python3", "-c", "import backtrader").Run() != nil {
		return nil, "backtrader is not installed (pip install backtrader, or PYTHONPATH)"
	}
	var out []sweepResult
	for _, n := range cpus {
		fmt.Fprintf(os.Stderr, "running backtrader's optstrategy, maxcpus %d ...\n", n)
		cmd := exec.Command("python3", append([]string{"bench/backtrader_sweep.py", fmt.Sprint(n)}, files...)...)
		start := time.Now()
		b, err := cmd.CombinedOutput()
		wall := time.Since(start).Seconds()
		if err != nil {
			return nil, fmt.Sprintf("bench/backtrader_sweep.py failed: %v: %s", err, strings.TrimSpace(string(b)))
		}
		var runs, bars int
		_, err1 := fmt.Sscanf(afterLine(string(b), "configurations: "), "%d", &runs)
		_, err2 := fmt.Sscanf(afterLine(string(b), "bars: "), "%d", &bars)
		if err1 != nil || err2 != nil || runs == 0 || bars == 0 {
			return nil, "bench/backtrader_sweep.py printed no configurations or bars: " + strings.TrimSpace(string(b))
		}
		out = append(out, sweepResult{jobs: n, barRuns: runs * bars, seconds: wall, cpu: cpuSeconds(cmd.ProcessState), rssMiB: maxRSSMiB(cmd.ProcessState), runsDone: runs})
	}
	return out, ""
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

// printSweeps writes W5's table (w), with what two W3 loops at once
// give (loops), and backtrader's sweeps beside it when bt holds them
// (else why they were not run).
func printSweeps(w *w5Result, loops loopPair, bt []sweepResult, btWhy string) {
	rs, pair := w.jobs, w.pair
	fmt.Printf("\nW5: the whole quantloop sweep command, 400 smacross configurations over the 3 real daily files (%d bar-runs)\n", rs[0].barRuns)
	for _, r := range rs {
		printSweep(r, "--jobs", rs[0])
	}
	pairScale := perSecond(pair.barRuns, pair.seconds) / perSecond(rs[0].barRuns, rs[0].seconds)
	fmt.Printf("  two --jobs 1 sweeps at once: %.2f s for both, %.0f bar-runs/s, CPU %.2f s; %.2fx one --jobs 1 sweep: what two workers that share nothing get of this machine\n",
		pair.seconds, perSecond(pair.barRuns, pair.seconds), pair.cpu, pairScale)
	if one := w.oneCore; one.seconds > 0 {
		fmt.Printf("  --jobs 1 on one core (GOMAXPROCS=1): %.2f s, CPU %.2f s; --jobs 2 is %.2fx it: the speedup over one core, where --jobs 1 alone also has the second core for its store's writer and the collector\n",
			one.seconds, one.cpu, one.seconds/rs[len(rs)-1].seconds)
	}
	fmt.Printf("  two W3 event loops at once, in separate processes: %.1f M events/s together, %.2fx one alone (%.1f M): what two processes that allocate nothing and share nothing get of this machine\n",
		loops.pair/1e6, loops.ratio(), loops.alone/1e6)
	if len(w.mem) > 0 {
		fmt.Printf("  the same sweeps with each store in %s (memory), where a commit's sync to disk costs nothing:\n", memDir)
		for _, r := range w.mem {
			fmt.Print("  ")
			printSweep(r, "--jobs", w.mem[0])
		}
	}
	if line := sweepTarget(w, loops); line != "" {
		fmt.Println("  " + line)
	}
	if len(bt) == 0 {
		fmt.Printf("backtrader's optstrategy: not measured: %s\n", btWhy)
		return
	}
	fmt.Printf("backtrader's optstrategy, %d smacross configurations over the same files (%d bar-runs), bench/backtrader_sweep.py\n", bt[0].runsDone, bt[0].barRuns)
	for _, r := range bt {
		printSweep(r, "maxcpus", bt[0])
	}
	for _, b := range bt {
		for _, q := range rs {
			if q.jobs == b.jobs {
				fmt.Printf("  quantloop --jobs %d against backtrader maxcpus %d: %.0fx the bar-runs per second (wall), %.0fx per CPU second\n",
					q.jobs, b.jobs, perSecond(q.barRuns, q.seconds)/perSecond(b.barRuns, b.seconds), perSecond(q.barRuns, q.cpu)/perSecond(b.barRuns, b.cpu))
			}
		}
	}
}

// sweepTarget returns the line of issue 16's targets for W5 from w, the
// rate of --jobs 2 and its scaling over --jobs 1, with the ceilings of
// that scaling beside it: two --jobs 1 sweeps at once, two W3 loops at
// once (loops) and, when measured, the sweeps with their stores in
// memory. It returns "" unless w's sweeps are of 1 and 2 jobs.
func sweepTarget(w *w5Result, loops loopPair) string {
	if len(w.jobs) != 2 || w.jobs[0].jobs != 1 || w.jobs[1].jobs != 2 {
		return ""
	}
	one, two := w.jobs[0], w.jobs[1]
	rate, scale := perSecond(two.barRuns, two.seconds), one.seconds/two.seconds
	ceilings := fmt.Sprintf("two sweeps at once: %.2fx; two W3 loops at once: %.2fx",
		perSecond(w.pair.barRuns, w.pair.seconds)/perSecond(one.barRuns, one.seconds), loops.ratio())
	if w.oneCore.seconds > 0 {
		ceilings += fmt.Sprintf("; over --jobs 1 on one core: %.2fx", w.oneCore.seconds/two.seconds)
	}
	if len(w.mem) == 2 {
		ceilings += fmt.Sprintf("; stores in memory: %.2fx", w.mem[0].seconds/w.mem[1].seconds)
	}
	return fmt.Sprintf("issue 16: --jobs 2 >= %.0f M bar-runs/s (stretch %.0f M): %.2f M, %s; --jobs 2 >= %.1fx --jobs 1: %.2fx, %s (%s)",
		sweepGoal/1e6, sweepStretch/1e6, rate/1e6, yes(rate >= sweepGoal), sweepScaleGoal, scale, yes(scale >= sweepScaleGoal), ceilings)
}

// printSweep writes the line of r, one of rs whose first is first; flag
// names its number of workers.
func printSweep(r sweepResult, flag string, first sweepResult) {
	fmt.Printf("  %s %d: %.2f s, %.0f bar-runs/s, %.1f runs/s; CPU %.2f s (%.0f bar-runs per CPU second); peak RSS %.1f MiB",
		flag, r.jobs, r.seconds, perSecond(r.barRuns, r.seconds), float64(r.runsDone)/r.seconds, r.cpu, perSecond(r.barRuns, r.cpu), r.rssMiB)
	if r.jobs != first.jobs {
		fmt.Printf(", %.2fx %s %d", first.seconds/r.seconds, flag, first.jobs)
	}
	fmt.Println()
}

// perSecond returns n per second of seconds.
func perSecond(n int, seconds float64) float64 { return float64(n) / seconds }
