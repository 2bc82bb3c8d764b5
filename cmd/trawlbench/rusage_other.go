//go:build !unix

package main

import (
	"os"
	"time"
)

// cpuTime is unknown on this system.
func cpuTime() time.Duration { return 0 }

// childUsage reports the CPU time of a finished child; peak RSS is unknown.
func childUsage(ps *os.ProcessState) (cpu time.Duration, maxRSS int64, ok bool) {
	return ps.UserTime() + ps.SystemTime(), 0, false
}

// watchPeak is unknown on this system.
func watchPeak(pid int) (stop func() int64) { return func() int64 { return 0 } }
