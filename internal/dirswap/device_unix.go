//go:build unix && !linux

package dirswap

import (
	"errors"
	"os"
	"syscall"
)

// sameDevice reports whether the files a and b are on the same device
// (file system); true if that cannot be told.
func sameDevice(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return true
	}
	ib, err := os.Stat(b)
	if err != nil {
		return true
	}
	sa, ok := ia.Sys().(*syscall.Stat_t)
	sb, ok2 := ib.Sys().(*syscall.Stat_t)
	return !ok || !ok2 || sa.Dev == sb.Dev
}

// isBusy reports whether err says a folder cannot be renamed because it
// is a mount point.
func isBusy(err error) bool { return errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.EXDEV) }
