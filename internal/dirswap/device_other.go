//go:build !unix

package dirswap

// sameDevice returns true: mount points are told apart on Unix only.
func sameDevice(a, b string) bool { return true }

// isBusy returns false: mount points are told apart on Unix only.
func isBusy(err error) bool { return false }
