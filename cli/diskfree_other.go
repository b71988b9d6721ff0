//go:build !(linux || darwin)

package cli

// diskFree reports that it cannot tell the free space on this system.
func diskFree(string) (uint64, bool) { return 0, false }
