package main

import (
	"fmt"
	"io"
	"os"
)

// peakRSSEnv names the environment variable that makes trawl ingest print
// its peak resident set size when it ends (see writePeakRSS).
const peakRSSEnv = "TRAWL_PEAK_RSS"

// writePeakRSS writes to w, when the environment sets TRAWL_PEAK_RSS=1,
// the process's peak resident set size as the kernel counted it (VmHWM of
// /proc/self/status): "peak RSS: N kB (VmHWM)". A tool that polls the
// process from outside misses the moments between two polls; this is exact.
// Where the system does not say (not Linux) nothing is written.
func writePeakRSS(w io.Writer) {
	if os.Getenv(peakRSSEnv) != "1" {
		return
	}
	if kb, ok := peakRSS(); ok {
		fmt.Fprintf(w, "peak RSS: %d kB (VmHWM)\n", kb)
	}
}
