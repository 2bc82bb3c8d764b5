//go:build unix

package ingest

import (
	"syscall"
	"time"
)

// processCPU is the user plus system CPU time this process has used so
// far; ok is false when the system does not say.
func processCPU() (cpu time.Duration, ok bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
