//go:build unix

package main

import (
	"os"
	"strconv"
	"strings"
	"sync/atomic"
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

// watchPeak polls the peak resident set size (VmHWM) of the running process
// pid until stop is called, which returns the last value in bytes (0 when
// /proc cannot be read). getrusage's ru_maxrss cannot be used for a child of
// a big process: Go starts children with vfork, and the child's maximum
// starts at the parent's size.
func watchPeak(pid int) (stop func() int64) {
	var peak atomic.Int64
	done := make(chan struct{})
	finished := make(chan struct{})
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	go func() {
		defer close(finished)
		for {
			if b, err := os.ReadFile(path); err == nil {
				for _, l := range strings.Split(string(b), "\n") {
					if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
						kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
						if kb*1024 > peak.Load() {
							peak.Store(kb * 1024)
						}
					}
				}
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() int64 {
		close(done)
		<-finished
		return peak.Load()
	}
}
