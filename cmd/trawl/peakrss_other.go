//go:build !linux

package main

// peakRSS is unknown where there is no /proc/self/status.
func peakRSS() (kb int64, ok bool) { return 0, false }
