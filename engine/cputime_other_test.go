//go:build !unix

package engine

import "time"

// cpuTime returns zero: the CPU time is not measured on this system.
func cpuTime() time.Duration { return 0 }
