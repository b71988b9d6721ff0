package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCheckTrading: a run that traded to the end gives its fills; one
// whose account stopped, or that had orders rejected, is an error that
// says so.
func TestCheckTrading(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		fills      int
		err        string
	}{
		{"traded to the end", `{"fills": 38831, "rejected_orders": 0, "trading_stopped": false}`, 38831, ""},
		{"stopped", `{"fills": 18016, "rejected_orders": 20816, "trading_stopped": true}`, 0, "stopped trading after 18016 fills (20816 orders rejected)"},
		{"rejected", `{"fills": 10, "rejected_orders": 2, "trading_stopped": false}`, 0, "2 orders rejected (10 fills)"},
		{"not JSON", `{"fills": `, 0, "results.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "results.json"), []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			fills, err := checkTrading(dir)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			case fills != tc.fills:
				t.Fatalf("fills %d, want %d", fills, tc.fills)
			}
		})
	}
	if _, err := checkTrading(t.TempDir()); err == nil {
		t.Fatal("no results.json: no error")
	}
}

// TestMedian: each figure is the middle of an odd number of runs, the
// mean of the two middle ones of an even number.
func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		seconds []float64
		want    float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{5}, 5},
		{[]float64{4, 1}, 2.5},
		{[]float64{9, 1, 3, 7}, 5},
	} {
		rs := make([]result, len(tc.seconds))
		for i, s := range tc.seconds {
			rs[i] = result{seconds: s, cpu: 2 * s}
		}
		if m := median(rs); m.seconds != tc.want || m.cpu != 2*tc.want {
			t.Errorf("median of %v: %v s, %v CPU s, want %v and %v", tc.seconds, m.seconds, m.cpu, tc.want, 2*tc.want)
		}
	}
}

// TestTargetPerFill: the CPU per fill is the difference of W1-flip's and
// W1-hold's CPU seconds over their difference in fills, in µs; the same
// of their --outputs metrics runs is shown beside it when measured.
func TestTargetPerFill(t *testing.T) {
	full := []result{
		{name: "W1-flip", cpu: 10, fills: 100_001},
		{name: "W1-hold", cpu: 9, fills: 1},
	}
	metricsOnly := []result{
		{name: "W1-flip-metrics", cpu: 6.25, fills: 100_001},
		{name: "W1-hold-metrics", cpu: 6, fills: 1},
	}
	for _, tc := range []struct {
		results       []result
		measured, met string
	}{
		{full, "10.00 µs", "no"},
		{append(slices.Clone(full), metricsOnly...), "10.00 µs; 2.50 µs with --outputs metrics (no rows written)", "no"},
		{[]result{{name: "W1-flip", cpu: 3.3, fills: 1_000_001}, {name: "W1-hold", cpu: 0.3, fills: 1}}, "3.00 µs", "yes"},
	} {
		found := false
		for _, tg := range targets(tc.results, nil, btResult{why: "not installed"}) {
			if strings.HasPrefix(tg.what, "CPU per fill") {
				found = true
				if tg.measured != tc.measured || tg.met != tc.met {
					t.Errorf("per fill: %q, met %q; want %q, %q", tg.measured, tg.met, tc.measured, tc.met)
				}
			}
		}
		if !found {
			t.Error("no per-fill target")
		}
	}
}

// TestTargetBacktrader: the ratio is backtrader's wall seconds over W1's,
// with the ratio of CPU seconds beside it.
func TestTargetBacktrader(t *testing.T) {
	// W1's own row (2.5 s) is not what backtrader is compared with: its
	// rounds' W1 runs are.
	results := []result{{name: "W1", seconds: 2.5, cpu: 3}}
	bt := btResult{rounds: 3, seconds: 160, cpu: 150, w1: 2, w1CPU: 3, ratio: 74.6, cpuRatio: 50}
	for _, tg := range targets(results, nil, bt) {
		if strings.HasPrefix(tg.what, "W1 against backtrader") {
			if want := "75x (160.0 s against 2.00 s); CPU 50x (150.0 s against 3.00 s); medians of 3 rounds of W1 then backtrader"; tg.measured != want || tg.met != "no" {
				t.Errorf("backtrader: %q, met %q; want %q, no (74.6 < 75)", tg.measured, tg.met, want)
			}
			return
		}
	}
	t.Error("no backtrader target")
}

// TestBtOf: each figure is the median of its own, and the ratios are the
// medians of the rounds' ratios, not the ratio of the medians.
func TestBtOf(t *testing.T) {
	bt := btOf([]btRound{
		{w1: 1.0, w1CPU: 2.0, seconds: 80, cpu: 80},  // 80x, 40x
		{w1: 0.8, w1CPU: 1.6, seconds: 56, cpu: 56},  // 70x, 35x
		{w1: 1.2, w1CPU: 2.4, seconds: 108, cpu: 96}, // 90x, 40x
	})
	want := btResult{rounds: 3, seconds: 80, cpu: 80, w1: 1.0, w1CPU: 2.0, ratio: 80, cpuRatio: 40}
	if bt != want {
		t.Fatalf("btOf = %+v, want %+v", bt, want)
	}
	two := btOf([]btRound{{w1: 1, w1CPU: 1, seconds: 60, cpu: 50}, {w1: 1, w1CPU: 1, seconds: 90, cpu: 70}})
	if two.ratio != 75 || two.cpuRatio != 60 || two.seconds != 75 {
		t.Fatalf("two rounds: %+v, want ratio 75, CPU ratio 60, seconds 75", two)
	}
}

// TestRunLoops: runLoops adds the events per second of the processes it
// runs at once, each read from its BenchmarkLoop line, and a process that
// prints none is an error.
func TestRunLoops(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "engine.test")
	// 10,000,000 events at 50 ns each: 20 M events/s.
	script := "#!/bin/sh\necho 'BenchmarkLoop-2   10000000   50.00 ns/op   19000000 cpu-events/s   20000000 events/s   0 B/op   0 allocs/op'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]float64{1: 20e6, 2: 40e6} {
		got, err := runLoops(fake, n)
		if err != nil || got != want {
			t.Fatalf("runLoops(%d) = %v, %v; want %v", n, got, err, want)
		}
	}
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho PASS\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := runLoops(fake, 2); err == nil || !strings.Contains(err.Error(), "no BenchmarkLoop result") {
		t.Fatalf("error %v, want one saying there was no result", err)
	}
}

// TestSweepTarget: issue 16's line gives --jobs 2's rate and its scaling
// over --jobs 1, with two sweeps at once, two W3 loops at once and, when
// measured, the sweeps with their stores in memory beside it.
func TestSweepTarget(t *testing.T) {
	const bars = 5_000_000 // bar-runs of one sweep
	one := sweepResult{jobs: 1, barRuns: bars, seconds: 1.6}
	two := sweepResult{jobs: 2, barRuns: bars, seconds: 1}
	pair := sweepResult{jobs: 1, barRuns: 2 * bars, seconds: 1.9, pair: true} // 1.6 × 2 / 1.9 = 1.68x
	loops := loopPair{alone: 10e6, pair: 19.5e6}
	base := "issue 16: --jobs 2 >= 3 M bar-runs/s (stretch 5 M): 5.00 M, yes; --jobs 2 >= 1.7x --jobs 1: 1.60x, no (two sweeps at once: 1.68x; two W3 loops at once: 1.95x"
	for _, tc := range []struct {
		w    w5Result
		want string
	}{
		{w5Result{jobs: []sweepResult{one, two}, pair: pair}, base + ")"},
		{w5Result{jobs: []sweepResult{one, two}, pair: pair, mem: []sweepResult{{jobs: 1, seconds: 1.5}, {jobs: 2, seconds: 0.8}}},
			base + "; stores in memory: 1.88x)"},
		{w5Result{jobs: []sweepResult{one, two}, pair: pair, oneCore: sweepResult{jobs: 1, seconds: 1.8}},
			base + "; over --jobs 1 on one core: 1.80x)"},
		{w5Result{jobs: []sweepResult{{jobs: 1, barRuns: bars, seconds: 1.7}, two}, pair: pair}, // 1.70x: met
			"issue 16: --jobs 2 >= 3 M bar-runs/s (stretch 5 M): 5.00 M, yes; --jobs 2 >= 1.7x --jobs 1: 1.70x, yes (two sweeps at once: 1.79x; two W3 loops at once: 1.95x)"},
		{w5Result{jobs: []sweepResult{one}, pair: pair}, ""},
	} {
		if got := sweepTarget(&tc.w, loops); got != tc.want {
			t.Errorf("sweepTarget:\n got %q\nwant %q", got, tc.want)
		}
	}
}

// TestMeasureSweeps: each round runs one sweep with each number of jobs,
// then two --jobs 1 sweeps at once, then one --jobs 1 sweep with
// GOMAXPROCS=1, then, when the machine has memDir,
// the sweeps with each number of jobs again with their stores there, and
// every sweep gets a store of its own.
func TestMeasureSweeps(t *testing.T) {
	t.Setenv("GOMAXPROCS", "") // the sweeps' own, unless the bench sets it
	dir, data := t.TempDir(), t.TempDir()
	for _, f := range sweepData {
		if err := os.WriteFile(filepath.Join(data, f), []byte("Date,Open,High,Low,Close,Volume\n2001-01-02,1,1,1,1,1\n2001-01-03,1,1,1,1,1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(dir, "calls")
	fake := filepath.Join(dir, "quantloop")
	// Each call logs its --jobs, --store and GOMAXPROCS and prints the
	// summary line runSweeps reads.
	script := "#!/bin/sh\nwhile [ $# -gt 0 ]; do case $1 in --jobs) j=$2;; --store) s=$2;; esac; shift; done\n" +
		"echo \"$j $s ${GOMAXPROCS:-default}\" >> " + log + "\necho '  400 configurations, 400 run'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := measureSweeps(fake, dir, data, []int{1, 2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	calls := strings.Split(strings.TrimSpace(string(b)), "\n")
	_, statErr := os.Stat(memDir)
	mem := statErr == nil
	perRound := 5
	if mem {
		perRound = 7
	}
	if len(calls) != 2*perRound {
		t.Fatalf("%d sweeps, want %d:\n%s", len(calls), 2*perRound, b)
	}
	stores := map[string]bool{}
	for i, c := range calls {
		f := strings.Fields(c)
		if len(f) != 3 {
			t.Fatalf("call %q", c)
		}
		jobs, store, procs := f[0], f[1], f[2]
		k := i % perRound
		wantJobs, wantDir, wantProcs := map[int]string{0: "1", 1: "2", 5: "1", 6: "2"}[k], dir, "default"
		switch k {
		case 2, 3:
			wantJobs = "1" // the pair
		case 4:
			wantJobs, wantProcs = "1", "1" // on one core
		}
		if k >= 5 {
			wantDir = memDir
		}
		if jobs != wantJobs || !strings.HasPrefix(store, wantDir+"/") || procs != wantProcs {
			t.Errorf("sweep %d: --jobs %s --store %s GOMAXPROCS %s, want --jobs %s, a store in %s, GOMAXPROCS %s", i, jobs, store, procs, wantJobs, wantDir, wantProcs)
		}
		if i < perRound {
			stores[store] = true
		}
	}
	// The pair's first store and the one-core sweep's have the name of
	// the --jobs 1 sweep's, which that sweep removed when it ended.
	if len(stores) != perRound-2 {
		t.Errorf("stores of a round: %v, want %d different", stores, perRound-2)
	}
	if len(w.jobs) != 2 || w.jobs[0].jobs != 1 || w.jobs[1].jobs != 2 || !w.pair.pair || w.pair.runsDone != 800 || w.jobs[0].barRuns != 400*6 ||
		w.oneCore.jobs != 1 || w.oneCore.pair || w.oneCore.runsDone != 400 {
		t.Errorf("result %+v, want --jobs 1 and 2, a pair of 800 runs, a one-core sweep, 2,400 bar-runs a sweep", w)
	}
	if mem != (len(w.mem) == 2) {
		t.Errorf("%d sweeps in memory, memDir there: %v", len(w.mem), mem)
	}
}
