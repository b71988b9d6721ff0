//go:build !linux

package dirswap

// exchange returns errNoExchange: only Linux swaps two folders in one
// step (renameat2 with RENAME_EXCHANGE).
func exchange(a, b string) error { return errNoExchange }
