// Command bench runs quantloop's whole-run workloads and prints a table of
// bars per second, allocations per bar, peak resident memory and the ratio
// to the cost of decoding the CSV alone, measured in the same invocation.
//
//	go run ./bench            # all workloads
//	go run ./bench -quick     # smaller inputs, for a smoke test
//
// Inputs are generated deterministically with `quantloop gen` into
// bench/out (ignored by git) and reused while their flags do not change.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	flag.Parse()
	if err := run(*dir, *quick, *only, *dataDir); err != nil {
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
}

// result is what one measured process reported.
type result struct {
	name    string
	bars    int
	seconds float64
	allocs  float64 // per bar
	rssMiB  float64
	floor   float64 // decode-only bars/s of the same input
	fills   int     // -1 where there are none to count
}

func run(dir string, quick bool, only, dataDir string) error {
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

	w1Bars, w2Syms, w2Bars, w4Bars := 1_000_000/scale, 100, 10_000/scale, 10_000_000/scale
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
		if only != "" && !strings.Contains("W"+g.key[1:], only) && !strings.Contains(g.key, strings.ToLower(only)) {
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

	workloads := []workload{
		{"W1", "1 symbol, 1-minute bars, smacross 10/30 longshort, size 100, commission 0.02 %, cash 1,000,000, outputs written", w1Bars,
			func(in map[string][]string, out string) []string {
				return []string{"run", "--data", in["w1"][0], "--param", "mode=longshort", "--size", "100", "--commission-pct", "0.02", "--cash", "1000000", "--out", out}
			}, "w1"},
		{"W2", fmt.Sprintf("%d symbols x %d daily bars, smacross long, 1 %% of equity each", w2Syms, w2Bars), w2Syms * w2Bars,
			func(in map[string][]string, out string) []string {
				return []string{"run", "--data", strings.Join(in["w2"], ","), "--size-pct", "1", "--out", out}
			}, "w2"},
		{"W4", "1 symbol, 10x W1's bars and cash: memory must not grow with length", w4Bars,
			func(in map[string][]string, out string) []string {
				return []string{"run", "--data", in["w4"][0], "--param", "mode=longshort", "--size", "100", "--commission-pct", "0.02", "--cash", "10000000", "--out", out}
			}, "w4"},
	}
	var results []result
	for _, w := range workloads {
		if only != "" && !strings.Contains(w.name, only) {
			continue
		}
		fmt.Fprintf(os.Stderr, "running %s ...\n", w.name)
		floor, err := measureFloor(floorBin, inputs[w.floor])
		if err != nil {
			return err
		}
		out := filepath.Join(dir, "out-"+w.name)
		r, err := measure(bin, w.args(inputs, out), w.bars)
		if err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		r.name, r.floor = w.name, floor
		if r.fills, err = checkTrading(out); err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		results = append(results, r)
	}
	if only == "" || strings.Contains("W3", only) {
		fmt.Fprintln(os.Stderr, "running W3 ...")
		out, err := exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkLoop$", "-benchtime", "2000000x", "./engine").CombinedOutput()
		if err != nil {
			return fmt.Errorf("W3: %v\n%s", err, out)
		}
		results = append(results, parseLoopBench(string(out)))
	}
	var sweeps []sweepResult
	if only == "" || strings.Contains("W5", only) {
		fmt.Fprintln(os.Stderr, "running W5 ...")
		var err error
		if sweeps, err = measureSweeps(bin, dir, dataDir, []int{1, 2}); err != nil {
			return err
		}
		if sweeps == nil {
			fmt.Fprintf(os.Stderr, "W5 skipped: the real daily files are not in %s\n", dataDir)
		}
	}
	if len(results) == 0 && len(sweeps) == 0 {
		return fmt.Errorf("no workload matches -only %q", only)
	}

	fmt.Printf("quantloop bench, %s/%s, %d CPUs, %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	if len(results) == 0 {
		printSweeps(sweeps)
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tbars\tfills\tseconds\tbars/s\tallocs/bar\tpeak RSS MiB\tdecode floor bars/s\tratio to floor\t")
	for _, r := range results {
		floor, ratio := "-", "-"
		if r.floor > 0 {
			floor = fmt.Sprintf("%.0f", r.floor)
			ratio = fmt.Sprintf("%.2f", float64(r.bars)/r.seconds/r.floor)
		}
		rss := "-"
		if r.rssMiB > 0 {
			rss = fmt.Sprintf("%.1f", r.rssMiB)
		}
		fills := "-"
		if r.fills >= 0 {
			fills = strconv.Itoa(r.fills)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.3f\t%.0f\t%.2f\t%s\t%s\t%s\t\n", r.name, r.bars, fills, r.seconds, float64(r.bars)/r.seconds, r.allocs, rss, floor, ratio)
	}
	tw.Flush()
	if results[len(results)-1].name == "W3" {
		fmt.Println("\nW3 is the event loop alone over bars in memory (engine BenchmarkLoop): bars = market events.")
	}
	if len(sweeps) > 0 {
		printSweeps(sweeps)
	}
	return nil
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
	r := result{bars: bars, seconds: wall, allocs: float64(st.Mallocs) / float64(bars)}
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
			if f[i+1] == "allocs/op" {
				r.allocs, _ = strconv.ParseFloat(f[i], 64)
			}
		}
	}
	return r
}
