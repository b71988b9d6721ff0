//go:build !unix

package main

import "os"

// maxRSSMiB returns 0: the peak resident memory of a process is known on
// Unix only.
func maxRSSMiB(*os.ProcessState) float64 { return 0 }
