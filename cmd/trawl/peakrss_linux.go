package main

import (
	"bytes"
	"os"
	"strconv"
)

// peakRSS returns the process's peak resident set size in kB, the VmHWM
// line of /proc/self/status.
func peakRSS() (kb int64, ok bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range bytes.Lines(b) {
		if v, found := bytes.CutPrefix(line, []byte("VmHWM:")); found {
			v = bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB"))
			n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
