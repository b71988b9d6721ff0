//go:build linux || darwin

package cli

import "syscall"

// diskFree returns the bytes that an unprivileged process may still write
// on the filesystem of the existing path dir, and whether it could tell.
func diskFree(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
