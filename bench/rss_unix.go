//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSSMiB returns the peak resident memory of the exited process ps in
// MiB, 0 if unknown.
func maxRSSMiB(ps *os.ProcessState) float64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return float64(ru.Maxrss) / (1 << 20) // bytes
	}
	return float64(ru.Maxrss) / 1024 // kilobytes
}
