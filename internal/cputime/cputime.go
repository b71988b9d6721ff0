// Package cputime reads the CPU time the process has used, for benchmarks
// that report work per CPU second beside work per wall second: on a shared
// machine the CPU time moves less with the load than the wall time.
package cputime
