//go:build unix

package main

import (
	"os"
	"syscall"
	"time"
)

// cpuTime is the user plus system CPU time this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childUsage returns the CPU time and the peak resident set size in bytes of
// a finished child process; ok is false where the system does not say.
func childUsage(ps *os.ProcessState) (cpu time.Duration, maxRSS int64, ok bool) {
	ru, isRU := ps.SysUsage().(*syscall.Rusage)
	if !isRU || ru == nil {
		return 0, 0, false
	}
	return ps.UserTime() + ps.SystemTime(), ru.Maxrss * 1024, true // Linux reports KiB
}
