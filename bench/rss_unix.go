//go:build linux || darwin

package main

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSSMiB returns the peak resident set size of the ended process p in
// MiB, or 0 when the system does not report it. getrusage reports it in
// kilobytes on Linux and in bytes on macOS.
func peakRSSMiB(p *os.ProcessState) float64 {
	ru, ok := p.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return float64(ru.Maxrss) / (1 << 20)
	}
	return float64(ru.Maxrss) / 1024
}
