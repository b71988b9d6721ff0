//go:build !linux && !darwin

package main

import "os"

// peakRSSMiB returns 0: the system does not report the peak resident set
// size of an ended process through getrusage.
func peakRSSMiB(*os.ProcessState) float64 { return 0 }
