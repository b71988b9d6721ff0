//go:build !unix

package cli

// openFileLimit returns the process's limit on open files, as text: a
// system without RLIMIT_NOFILE does not say.
func openFileLimit() string { return "a limited number of" }
