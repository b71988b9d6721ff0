// Command bench runs quantloop's whole-run workloads and prints a table of
// bars per second, wall and CPU time, allocations per bar, peak resident
// memory and the ratio to the cost of decoding the CSV alone, measured in
// the same invocation (medians of interleaved runs), then issue 18's
// targets with what was measured against each.
//
//	go run ./bench                    # all workloads, 3 runs each
//	go run ./bench -quick             # smaller inputs, for a smoke test
//	go run ./bench -base /work/main   # each workload also with another checkout's build, taking turns
//
// Inputs are generated deterministically with `quantloop gen` into
// bench/out (ignored by git) and reused while their flags do not change.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	quick := flag.Bool("quick", false, "use inputs 10x smaller")
	dir := flag.String("dir", "bench/out", "where to build the binary and keep the inputs")
	only := flag.String("only", "", "run only the workloads whose names contain this")
	dataDir := flag.String("data", "/work/shared/data", "the folder of W5's real daily files (W5 is skipped without them)")
	runs := flag.Int("runs", 3, "interleaved runs of each workload; the table shows medians")
	base := flag.String("base", "", "a checkout of quantloop to measure against: its build runs each workload too (W3 and W1-W4), taking turns with this one's")
	flag.Parse()
	if err := run(*dir, *quick, *only, *dataDir, *base, max(*runs, 1)); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// workload is one measured command.
type workload struct {
	name  string
	about string
	bars  int
	args  func(inputs map[string][]string, out string) []string // quantloop args
	floor string                                                // the input whose decode is the floor
	// prepare, if set, runs once before the workload's first run (a
	// catalog's ingest); a workload whose prepare reports false is
	// skipped with the reason it gives.
	prepare func(inputs map[string][]string) (ok bool, why string, err error)
	// command, if set, is a quantloop command the workload needs besides
	// run; a -base build without it does not run the workload.
	command string
}

// result is what one measured process reported, or the median of
// several (see median).
type result struct {
	name    string
	bars    int
	seconds float64 // wall
	cpu     float64 // user + system seconds of the process
	allocs  float64 // per bar
	rssMiB  float64
	floor   float64 // decode-only bars/s of the same input
	ratio   float64 // bars/s over the floor's, the same round's
	fills   int     // -1 where there are none to count
}

// baseSuffix marks the rows of the -base build.
const baseSuffix = " (base)"

func run(dir string, quick bool, only, dataDir, base string, runs int) error {
	scale := 1
	if quick {
		scale = 10
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(dir, "quantloop")
	floorBin := filepath.Join(dir, "decodefloor")
	for _, b := range [][2]string{{bin, "./cmd/quantloop"}, {floorBin, "./bench/decodefloor"}} {
		if out, err := exec.Command("go", "build", "-o", b[0], b[1]).CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %v\n%s", b[1], err, out)
		}
	}
	baseBin := ""
	if base != "" {
		abs, err := filepath.Abs(filepath.Join(dir, "quantloop-base"))
		if err != nil {
			return err
		}
		if out, err := exec.Command("go", "build", "-C", base, "-o", abs, "./cmd/quantloop").CombinedOutput(); err != nil {
			return fmt.Errorf("build %s/cmd/quantloop: %v\n%s", base, err, out)
		}
		baseBin = abs
	}

	w1Bars, w2Syms, w2Bars, w4Bars := 1_000_000/scale, 100, 10_000/scale, 10_000_000/scale
	w1 := func(in map[string][]string, out string) []string {
		return []string{"run", "--data", in["w1"][0], "--param", "mode=longshort", "--size", "100", "--commission-pct", "0.02", "--cash", "1000000", "--out", out}
	}
	flip := func(in map[string][]string, out string) []string {
		return append(w1(in, out), "--param", "fast=2", "--param", "slow=3", "--cash", "10000000")
	}
	hold := func(in map[string][]string, out string) []string {
		return []string{"run", "--data", in["w1"][0], "--strategy", "buyhold", "--size", "100", "--commission-pct", "0.02", "--cash", "10000000", "--out", out}
	}
	// withOutputs returns args with --outputs level.
	withOutputs := func(level string, args func(map[string][]string, string) []string) func(map[string][]string, string) []string {
		return func(in map[string][]string, out string) []string {
			return append(args(in, out), "--outputs", level)
		}
	}
	catalog := filepath.Join(dir, "catalog-w1-"+strconv.Itoa(scale))
	workloads := []workload{
		{name: "W1", about: "1 symbol, 1-minute bars, smacross 10/30 longshort, size 100, commission 0.02 %, cash 1,000,000, outputs full", bars: w1Bars,
			args: w1, floor: "w1"},
		{name: "W1-flip", about: "W1 trading on nearly every bar (smacross 2/3), 10,000,000 cash: the fills of the cost per fill", bars: w1Bars,
			args: flip, floor: "w1"},
		{name: "W1-hold", about: "W1 holding one position from the first bar (buyhold), 10,000,000 cash: the base of the cost per fill", bars: w1Bars,
			args: hold, floor: "w1"},
		{name: "W1-flip-metrics", about: "W1-flip with --outputs metrics: the fills without their rows", bars: w1Bars,
			args: withOutputs("metrics", flip), floor: "w1"},
		{name: "W1-hold-metrics", about: "W1-hold with --outputs metrics: the base of the cost per fill without the rows", bars: w1Bars,
			args: withOutputs("metrics", hold), floor: "w1"},
		{name: "W1-lean", about: "W1 with --outputs lean", bars: w1Bars,
			args: withOutputs("lean", w1), floor: "w1"},
		{name: "W1-catalog", about: "W1 from a Parquet catalog made by quantloop ingest, with --outputs lean", bars: w1Bars, command: "ingest",
			args: func(in map[string][]string, out string) []string {
				return []string{"run", "--catalog", catalog, "--param", "mode=longshort", "--size", "100", "--commission-pct", "0.02", "--cash", "1000000",
					"--outputs", "lean", "--out", out}
			}, floor: "w1",
			prepare: func(in map[string][]string) (bool, string, error) {
				if !hasCommand(bin, "ingest") {
					return false, "this build has no quantloop ingest", nil
				}
				os.RemoveAll(catalog)
				if out, err := exec.Command(bin, "ingest", "--data", in["w1"][0], "--catalog", catalog).CombinedOutput(); err != nil {
					return false, "", fmt.Errorf("ingest: %v\n%s", err, out)
				}
				return true, "", nil
			}},
		{name: "W2", about: fmt.Sprintf("%d symbols x %d daily bars, smacross long, 1 %% of equity each", w2Syms, w2Bars), bars: w2Syms * w2Bars,
			args: func(in map[string][]string, out string) []string {
				return []string{"run", "--data", strings.Join(in["w2"], ","), "--size-pct", "1", "--out", out}
			}, floor: "w2"},
		{name: "W4", about: "1 symbol, 10x W1's bars and cash: memory must not grow with length", bars: w4Bars,
			args: func(in map[string][]string, out string) []string {
				return []string{"run", "--data", in["w4"][0], "--param", "mode=longshort", "--size", "100", "--commission-pct", "0.02", "--cash", "10000000", "--out", out}
			}, floor: "w4"},
	}
	// The inputs of the workloads that -only selects.
	needed := map[string]bool{}
	for _, w := range workloads {
		if only == "" || strings.Contains(w.name, only) {
			needed[w.floor] = true
		}
	}
	inputs := map[string][]string{}
	gens := []struct {
		key  string
		args []string
	}{
		{"w1", []string{"--symbols", "W1", "--bars", strconv.Itoa(w1Bars), "--interval", "1m", "--seed", "1"}},
		{"w2", []string{"--symbols", symbols(w2Syms), "--bars", strconv.Itoa(w2Bars), "--interval", "24h", "--seed", "2", "--start", "1980-01-01"}},
		{"w4", []string{"--symbols", "W4", "--bars", strconv.Itoa(w4Bars), "--interval", "1m", "--seed", "4"}},
	}
	for _, g := range gens {
		if !needed[g.key] {
			continue
		}
		gdir := filepath.Join(dir, "in-"+g.key+"-"+strconv.Itoa(scale))
		stamp := filepath.Join(gdir, ".args")
		want := strings.Join(g.args, " ")
		if b, err := os.ReadFile(stamp); err != nil || string(b) != want {
			fmt.Fprintf(os.Stderr, "generating %s ...\n", g.key)
			if out, err := exec.Command(bin, append([]string{"gen", "--out", gdir}, g.args...)...).CombinedOutput(); err != nil {
				return fmt.Errorf("gen %s: %v\n%s", g.key, err, out)
			}
			if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
				return err
			}
		}
		paths, err := filepath.Glob(filepath.Join(gdir, "*.csv"))
		if err != nil {
			return err
		}
		inputs[g.key] = paths
	}

	var active []workload
	skipped := map[string]string{}
	for _, w := range workloads {
		if only != "" && !strings.Contains(w.name, only) {
			continue
		}
		if w.prepare != nil {
			ok, why, err := w.prepare(inputs)
			if err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			if !ok {
				skipped[w.name] = why
				continue
			}
		}
		active = append(active, w)
	}
	// The runs take turns, round after round, each with its own floor
	// measured just before it, so that a change in the machine's load
	// falls on every workload alike.
	// With -base, the base build runs each workload right after this
	// one's in even rounds and right before it in odd ones, both against
	// the floor of the round.
	type build struct{ suffix, outSuffix, bin string }
	builds := []build{{"", "", bin}}
	if baseBin != "" {
		builds = append(builds, build{baseSuffix, "-base", baseBin})
		for _, w := range active {
			if w.command != "" && !hasCommand(baseBin, w.command) {
				skipped[w.name+baseSuffix] = "the base build has no quantloop " + w.command
			}
		}
	}
	samples := map[string][]result{}
	for round := range runs {
		for _, w := range active {
			fmt.Fprintf(os.Stderr, "running %s (%d of %d) ...\n", w.name, round+1, runs)
			floor, err := measureFloor(floorBin, inputs[w.floor])
			if err != nil {
				return err
			}
			for k := range builds {
				b := builds[(k+round)%len(builds)]
				name := w.name + b.suffix
				if _, skip := skipped[name]; skip {
					continue
				}
				out := filepath.Join(dir, "out-"+w.name+b.outSuffix)
				r, err := measure(b.bin, w.args(inputs, out), w.bars)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				r.name, r.floor = name, floor
				r.ratio = float64(r.bars) / r.seconds / floor
				if r.fills, err = checkTrading(out); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				samples[name] = append(samples[name], r)
			}
		}
	}
	var results []result
	for _, w := range active {
		for _, b := range builds {
			if rs := samples[w.name+b.suffix]; len(rs) > 0 {
				results = append(results, median(rs))
			}
		}
	}
	if only == "" || strings.Contains("W3", only) {
		fmt.Fprintln(os.Stderr, "running W3 ...")
		checkouts := []struct{ suffix, dir string }{{"", "."}}
		if base != "" {
			checkouts = append(checkouts, struct{ suffix, dir string }{baseSuffix, base})
		}
		w3 := map[string][]result{}
		for round := range runs {
			for k := range checkouts {
				c := checkouts[(k+round)%len(checkouts)]
				out, err := exec.Command("go", "test", "-C", c.dir, "-run", "^$", "-bench", "^BenchmarkLoop$", "-benchtime", "2000000x", "./engine").CombinedOutput()
				if err != nil {
					return fmt.Errorf("W3%s: %v\n%s", c.suffix, err, out)
				}
				r := parseLoopBench(string(out))
				r.name += c.suffix
				w3[c.suffix] = append(w3[c.suffix], r)
			}
		}
		for _, c := range checkouts {
			results = append(results, median(w3[c.suffix]))
		}
	}
	var sweeps *w5Result
	var btSweeps []sweepResult
	var btSweepsWhy string
	var loops loopPair
	if only == "" || strings.Contains("W5", only) {
		fmt.Fprintln(os.Stderr, "running W5 ...")
		var err error
		if sweeps, err = measureSweeps(bin, dir, dataDir, []int{1, 2}, runs); err != nil {
			return err
		}
		if sweeps == nil {
			fmt.Fprintf(os.Stderr, "W5 skipped: the real daily files are not in %s\n", dataDir)
		} else {
			fmt.Fprintln(os.Stderr, "running W3 alone and two at once ...")
			if loops, err = measureLoopPair(dir, runs); err != nil {
				return err
			}
			btSweeps, btSweepsWhy = measureBacktraderSweeps(dataDir, []int{1, 2})
		}
	}
	if len(results) == 0 && sweeps == nil {
		return fmt.Errorf("no workload matches -only %q", only)
	}

	host, _ := os.Hostname()
	fmt.Printf("quantloop bench, %s/%s, %d CPUs (%s), %s, host %s, load average %s; medians of %d interleaved runs\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel(), runtime.Version(), host, loadAverage(), runs)
	if len(results) == 0 {
		printSweeps(sweeps, loops, btSweeps, btSweepsWhy)
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tbars\tfills\twall s\tCPU s\tbars/s\tallocs/bar\tpeak RSS MiB\tdecode floor bars/s\tratio to floor\t")
	for _, r := range results {
		floor, ratio := "-", "-"
		if r.floor > 0 {
			floor = fmt.Sprintf("%.0f", r.floor)
			ratio = fmt.Sprintf("%.2f", r.ratio)
		}
		rss, cpu := "-", "-"
		if r.rssMiB > 0 {
			rss = fmt.Sprintf("%.1f", r.rssMiB)
		}
		if r.cpu > 0 {
			cpu = fmt.Sprintf("%.3f", r.cpu)
		}
		fills := "-"
		if r.fills >= 0 {
			fills = strconv.Itoa(r.fills)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.3f\t%s\t%.0f\t%.2f\t%s\t%s\t%s\t\n", r.name, r.bars, fills, r.seconds, cpu, float64(r.bars)/r.seconds, r.allocs, rss, floor, ratio)
	}
	tw.Flush()
	if byName(results, "W3") != nil {
		fmt.Println("\nW3 is the event loop alone over bars in memory (engine BenchmarkLoop): bars = market events;")
		fmt.Println("its CPU s is the events over the benchmark's cpu-events/s (the process's CPU time).")
	}
	if baseBin != "" {
		fmt.Printf("Rows marked%s are the build of %s, run in turn with this one's over the same inputs.\n", baseSuffix, base)
	}
	for _, name := range slices.Sorted(maps.Keys(skipped)) {
		fmt.Printf("%s skipped: %s.\n", name, skipped[name])
	}
	if sweeps != nil {
		printSweeps(sweeps, loops, btSweeps, btSweepsWhy)
	}
	fmt.Println()
	w1Run := func() (result, error) { return measure(bin, w1(inputs, filepath.Join(dir, "out-W1-bt")), w1Bars) }
	printTargets(os.Stdout, results, skipped, backtrader(inputs, only, runs, w1Run))
	return nil
}

// byName returns the result named name, or nil.
func byName(results []result, name string) *result {
	for i := range results {
		if results[i].name == name {
			return &results[i]
		}
	}
	return nil
}

// median returns a result whose every figure is the median of rs's
// (the middle value, or the mean of the two middle ones).
func median(rs []result) result {
	m := rs[0]
	pick := func(get func(r result) float64) float64 { return medianOf(rs, get) }
	m.seconds = pick(func(r result) float64 { return r.seconds })
	m.cpu = pick(func(r result) float64 { return r.cpu })
	m.allocs = pick(func(r result) float64 { return r.allocs })
	m.rssMiB = pick(func(r result) float64 { return r.rssMiB })
	m.floor = pick(func(r result) float64 { return r.floor })
	m.ratio = pick(func(r result) float64 { return r.ratio })
	return m
}

// medianOf returns the median of get over rs: the middle value, or the
// mean of the two middle ones.
func medianOf[R any](rs []R, get func(R) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = get(r)
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[n/2]
}

// target is one of issue 18's targets, as measured.
type target struct {
	what, goal, measured string
	met                  string // yes, no, or why it was not measured
}

// Issue 18's targets.
const (
	w1FloorGoal      = 0.5   // W1 from CSV, outputs full, of the decode floor
	catalogFloorGoal = 0.8   // W1 from the catalog, outputs lean
	catalogStretch   = 1.0   // its stretch
	backtraderGoal   = 75    // W1 against backtrader on the same file
	w2Goal           = 1.5e6 // W2 bars/s
	w3Goal           = 15e6  // W3 events/s
	rssGoal          = 64    // MiB, W1 and W4
	fillGoal         = 3.4   // µs a fill: half of issue 18's 6.8
)

// yes returns "yes" when a target is met, else "no".
func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// targets returns the targets of results; bt is backtrader's W1 run.
func targets(results []result, skipped map[string]string, bt btResult) []target {
	missing := func(name string) string {
		if why, ok := skipped[name]; ok {
			return "not measured: " + why
		}
		return "not measured (-only)"
	}
	var ts []target
	w1 := byName(results, "W1")
	if w1 != nil {
		ts = append(ts, target{"W1 from CSV, --outputs full, of the decode floor", fmt.Sprintf(">= %.1f", w1FloorGoal), fmt.Sprintf("%.2f", w1.ratio), yes(w1.ratio >= w1FloorGoal)})
	} else {
		ts = append(ts, target{"W1 from CSV, --outputs full, of the decode floor", fmt.Sprintf(">= %.1f", w1FloorGoal), "-", missing("W1")})
	}
	switch {
	case bt.rounds > 0:
		measured := fmt.Sprintf("%.0fx (%.1f s against %.2f s)", bt.ratio, bt.seconds, bt.w1)
		if bt.cpuRatio > 0 {
			measured += fmt.Sprintf("; CPU %.0fx (%.1f s against %.2f s)", bt.cpuRatio, bt.cpu, bt.w1CPU)
		}
		measured += fmt.Sprintf("; medians of %d rounds of W1 then backtrader", bt.rounds)
		ts = append(ts, target{"W1 against backtrader, same file (wall)", fmt.Sprintf(">= %dx", backtraderGoal), measured, yes(bt.ratio >= backtraderGoal)})
	default:
		ts = append(ts, target{"W1 against backtrader, same file (wall)", fmt.Sprintf(">= %dx", backtraderGoal), "-", "not measured: " + bt.why})
	}
	if c := byName(results, "W1-catalog"); c != nil {
		met := yes(c.ratio >= catalogFloorGoal)
		if c.ratio >= catalogStretch {
			met = "yes, stretch too"
		}
		ts = append(ts, target{"W1 from the catalog, --outputs lean, of the CSV decode floor", fmt.Sprintf(">= %.1f (stretch %.1f)", catalogFloorGoal, catalogStretch), fmt.Sprintf("%.2f", c.ratio), met})
	} else {
		ts = append(ts, target{"W1 from the catalog, --outputs lean, of the CSV decode floor", fmt.Sprintf(">= %.1f (stretch %.1f)", catalogFloorGoal, catalogStretch), "-", missing("W1-catalog")})
	}
	if w2 := byName(results, "W2"); w2 != nil {
		v := float64(w2.bars) / w2.seconds
		ts = append(ts, target{"W2 bars/s", fmt.Sprintf(">= %.1f M", w2Goal/1e6), fmt.Sprintf("%.2f M", v/1e6), yes(v >= w2Goal)})
	} else {
		ts = append(ts, target{"W2 bars/s", fmt.Sprintf(">= %.1f M", w2Goal/1e6), "-", missing("W2")})
	}
	if w3 := byName(results, "W3"); w3 != nil {
		v := float64(w3.bars) / w3.seconds
		measured := fmt.Sprintf("%.1f M, %.2f", v/1e6, w3.allocs)
		if w3.cpu > 0 {
			measured += fmt.Sprintf(" (%.1f M per CPU s)", float64(w3.bars)/w3.cpu/1e6)
		}
		ts = append(ts, target{"W3 events/s, allocations per event", fmt.Sprintf(">= %.0f M, 0", w3Goal/1e6), measured, yes(v >= w3Goal && w3.allocs == 0)})
	} else {
		ts = append(ts, target{"W3 events/s, allocations per event", fmt.Sprintf(">= %.0f M, 0", w3Goal/1e6), "-", missing("W3")})
	}
	for _, name := range []string{"W1", "W4"} {
		if r := byName(results, name); r != nil {
			ts = append(ts, target{name + " peak RSS", fmt.Sprintf("<= %d MiB", rssGoal), fmt.Sprintf("%.1f MiB", r.rssMiB), yes(r.rssMiB <= rssGoal)})
		} else {
			ts = append(ts, target{name + " peak RSS", fmt.Sprintf("<= %d MiB", rssGoal), "-", missing(name)})
		}
	}
	const perFill = "CPU per fill (W1-flip less W1-hold, over the extra fills)"
	if us, ok := cpuPerFill(results, "W1-flip", "W1-hold"); ok {
		measured := fmt.Sprintf("%.2f µs", us)
		if m, ok := cpuPerFill(results, "W1-flip-metrics", "W1-hold-metrics"); ok {
			measured += fmt.Sprintf("; %.2f µs with --outputs metrics (no rows written)", m)
		}
		ts = append(ts, target{perFill, fmt.Sprintf("<= %.1f µs", fillGoal), measured, yes(us <= fillGoal)})
	} else {
		ts = append(ts, target{perFill, fmt.Sprintf("<= %.1f µs", fillGoal), "-", "not measured (-only)"})
	}
	return ts
}

// cpuPerFill returns the CPU µs per fill of the workload flip over hold:
// the difference of their CPU seconds over their difference in fills;
// false when either is missing or flip has no more fills.
func cpuPerFill(results []result, flip, hold string) (float64, bool) {
	f, h := byName(results, flip), byName(results, hold)
	if f == nil || h == nil || f.fills <= h.fills {
		return 0, false
	}
	return (f.cpu - h.cpu) / float64(f.fills-h.fills) * 1e6, true
}

// printTargets prints the targets of results as a table.
func printTargets(w io.Writer, results []result, skipped map[string]string, bt btResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tgoal\tmeasured\tmet")
	for _, t := range targets(results, skipped, bt) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.what, t.goal, t.measured, t.met)
	}
	tw.Flush()
}

// btResult is backtrader's runs over W1's file, each right after a run
// of W1 by this build: the medians of backtrader's wall and CPU seconds,
// of W1's, and of each round's ratios of backtrader's to W1's; or no
// rounds and why they were not run.
type btResult struct {
	rounds          int
	seconds, cpu    float64 // backtrader's
	w1, w1CPU       float64 // W1's
	ratio, cpuRatio float64 // backtrader's over W1's, by wall and by CPU
	why             string
}

// btRound is one round of btResult: W1's and then backtrader's wall and
// CPU seconds.
type btRound struct{ w1, w1CPU, seconds, cpu float64 }

// btOf returns the btResult of rounds, which must not be empty.
func btOf(rounds []btRound) btResult {
	med := func(get func(btRound) float64) float64 { return medianOf(rounds, get) }
	bt := btResult{rounds: len(rounds),
		seconds: med(func(r btRound) float64 { return r.seconds }), cpu: med(func(r btRound) float64 { return r.cpu }),
		w1: med(func(r btRound) float64 { return r.w1 }), w1CPU: med(func(r btRound) float64 { return r.w1CPU }),
		ratio: med(func(r btRound) float64 { return r.seconds / r.w1 })}
	if bt.cpu > 0 && bt.w1CPU > 0 {
		bt.cpuRatio = med(func(r btRound) float64 { return r.cpu / r.w1CPU })
	}
	return bt
}

// backtrader runs bench/backtrader_w1.py over W1's file runs times, each
// right after a run of W1 (w1), when W1 is measured and python3 can import
// backtrader: backtrader's speed, like the machine's, changes from one
// hour to the next, and each round's ratio compares two runs made under
// the same load.
func backtrader(inputs map[string][]string, only string, runs int, w1 func() (result, error)) btResult {
	if only != "" && !strings.Contains("W1", only) {
		return btResult{why: "-only"}
	}
	if exec.Command("python3", "-c", "import backtrader").Run() != nil {
		return btResult{why: "python3 cannot import backtrader (install it, or set PYTHONPATH to its source)"}
	}
	var rounds []btRound
	for i := range runs {
		fmt.Fprintf(os.Stderr, "running W1 and then backtrader over its file (%d of %d) ...\n", i+1, runs)
		q, err := w1()
		if err != nil {
			return btResult{why: fmt.Sprintf("W1: %v", err)}
		}
		out, err := exec.Command("python3", "bench/backtrader_w1.py", inputs["w1"][0]).CombinedOutput()
		if err != nil {
			return btResult{why: fmt.Sprintf("bench/backtrader_w1.py failed: %v: %s", err, strings.TrimSpace(string(out)))}
		}
		r := btRound{w1: q.seconds, w1CPU: q.cpu}
		for _, line := range strings.Split(string(out), "\n") {
			for prefix, dst := range map[string]*float64{"seconds: ": &r.seconds, "cpu seconds: ": &r.cpu} {
				if s, ok := strings.CutPrefix(line, prefix); ok {
					if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && v > 0 {
						*dst = v
					}
				}
			}
		}
		if r.seconds == 0 {
			return btResult{why: "bench/backtrader_w1.py printed no seconds: " + strings.TrimSpace(string(out))}
		}
		rounds = append(rounds, r)
	}
	return btOf(rounds)
}

// hasCommand reports whether the quantloop binary bin has the command
// name.
func hasCommand(bin, name string) bool {
	return exec.Command(bin, name, "--help").Run() == nil
}

func symbols(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("S%03d", i)
	}
	return strings.Join(s, ",")
}

// measure runs quantloop with --stats and reads back its own figures, and
// the peak RSS of the process from the kernel.
func measure(bin string, args []string, bars int) (result, error) {
	cmd := exec.Command(bin, append(args, "--stats")...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = nil
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%v\n%s", err, stderr.String())
	}
	wall := time.Since(start).Seconds()
	var st struct {
		Bars    int     `json:"bars"`
		Mallocs uint64  `json:"mallocs"`
		Seconds float64 `json:"seconds"`
	}
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "stats: ") {
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "stats: ")), &st); err != nil {
				return result{}, err
			}
		}
	}
	if st.Bars != bars {
		return result{}, fmt.Errorf("ran %d bars, want %d\n%s", st.Bars, bars, stderr.String())
	}
	r := result{bars: bars, seconds: wall, allocs: float64(st.Mallocs) / float64(bars),
		cpu: (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()}
	r.rssMiB = maxRSSMiB(cmd.ProcessState)
	return r, nil
}

// checkTrading reads the run's results.json in out and returns its
// number of fills. A run whose account stopped trading (its equity reached
// zero), or that had orders rejected, is an error: it would measure bars
// without the workload's fills, so its cash must be raised.
func checkTrading(out string) (int, error) {
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		return 0, err
	}
	var res struct {
		Fills    int  `json:"fills"`
		Rejected int  `json:"rejected_orders"`
		Stopped  bool `json:"trading_stopped"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return 0, fmt.Errorf("%s: %w", filepath.Join(out, "results.json"), err)
	}
	switch {
	case res.Stopped:
		return 0, fmt.Errorf("the account stopped trading after %d fills (%d orders rejected): the rest of the run measures bars without fills; give it more cash", res.Fills, res.Rejected)
	case res.Rejected > 0:
		return 0, fmt.Errorf("%d orders rejected (%d fills): the run does not measure the workload's orders; give it more cash", res.Rejected, res.Fills)
	}
	return res.Fills, nil
}

// measureFloor runs the decode-only program over paths and returns its
// bars per second.
func measureFloor(bin string, paths []string) (float64, error) {
	start := time.Now()
	out, err := exec.Command(bin, paths...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("decode floor: %v\n%s", err, out)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		return 0, fmt.Errorf("decode floor output %q: %w", out, err)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// parseLoopBench reads BenchmarkLoop's output.
func parseLoopBench(out string) result {
	r := result{name: "W3", fills: -1}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "BenchmarkLoop") {
			continue
		}
		r.bars, _ = strconv.Atoi(f[1])
		ns, _ := strconv.ParseFloat(f[2], 64)
		r.seconds = ns * float64(r.bars) / 1e9
		for i := 3; i+1 < len(f); i++ {
			switch f[i+1] {
			case "allocs/op":
				r.allocs, _ = strconv.ParseFloat(f[i], 64)
			case "cpu-events/s":
				if v, _ := strconv.ParseFloat(f[i], 64); v > 0 {
					r.cpu = float64(r.bars) / v
				}
			}
		}
	}
	return r
}

// cpuModel returns the machine's CPU model from /proc/cpuinfo, or
// "unknown CPU".
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// loadAverage returns the 1-minute load average from /proc/loadavg, or
// "unknown": other work on the machine shares its cores.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}
