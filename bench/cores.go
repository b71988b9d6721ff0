package main

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// loopPair is what this machine's cores give two single-threaded
// processes that share nothing: W3's event loop (engine BenchmarkLoop,
// which allocates nothing and keeps its bars in memory) run alone, and
// two of it at once, in separate processes. Its ratio is the most any
// two workers get of two cores here, whatever their program.
type loopPair struct {
	alone float64 // events per second of one process alone
	pair  float64 // events per second of two at once, together
}

// ratio returns the events per second of two at once over one alone.
func (p loopPair) ratio() float64 { return p.pair / p.alone }

// loopPairEvents is how many events each process of a loopPair handles:
// about half a second alone on this project's machines.
const loopPairEvents = 10_000_000

// measureLoopPair builds the engine's test binary into dir and runs
// rounds of one BenchmarkLoop process alone, then two at once, taking
// turns, and returns the medians of each.
func measureLoopPair(dir string, runs int) (loopPair, error) {
	bin, err := filepath.Abs(filepath.Join(dir, "engine.test"))
	if err != nil {
		return loopPair{}, err
	}
	if out, err := exec.Command("go", "test", "-c", "-o", bin, "./engine").CombinedOutput(); err != nil {
		return loopPair{}, fmt.Errorf("build the engine's tests: %v\n%s", err, out)
	}
	var alone, pair []float64
	for range runs {
		one, err := runLoops(bin, 1)
		if err != nil {
			return loopPair{}, err
		}
		two, err := runLoops(bin, 2)
		if err != nil {
			return loopPair{}, err
		}
		alone, pair = append(alone, one), append(pair, two)
	}
	id := func(v float64) float64 { return v }
	return loopPair{alone: medianOf(alone, id), pair: medianOf(pair, id)}, nil
}

// runLoops runs n BenchmarkLoop processes at once and returns the sum of
// their events per second.
func runLoops(bin string, n int) (float64, error) {
	cmds := make([]*exec.Cmd, n)
	outs := make([]strings.Builder, n)
	for i := range cmds {
		cmds[i] = exec.Command(bin, "-test.run", "^$", "-test.bench", "^BenchmarkLoop$", "-test.benchtime", fmt.Sprintf("%dx", loopPairEvents))
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			return 0, fmt.Errorf("W3 pair: %v", err)
		}
	}
	var errs []error
	sum := 0.0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("W3 pair: %v\n%s", err, outs[i].String()))
			continue
		}
		r := parseLoopBench(outs[i].String())
		if r.seconds <= 0 {
			errs = append(errs, fmt.Errorf("W3 pair: no BenchmarkLoop result in\n%s", outs[i].String()))
			continue
		}
		sum += float64(r.bars) / r.seconds
	}
	return sum, errors.Join(errs...)
}
