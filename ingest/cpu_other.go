//go:build !unix

package ingest

import "time"

// processCPU is unknown on this system.
func processCPU() (cpu time.Duration, ok bool) { return 0, false }
