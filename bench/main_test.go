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
