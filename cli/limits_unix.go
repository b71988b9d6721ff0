//go:build unix

package cli

import (
	"strconv"
	"syscall"
)

// openFileLimit returns the process's soft limit on open files, as text.
func openFileLimit() string {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return "a limited number of"
	}
	return strconv.FormatUint(uint64(l.Cur), 10)
}
