package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestBadFlagsAreRefused checks that a mistyped scale stops the run at once
// with a message, before any measurement.
func TestBadFlagsAreRefused(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-scales", "1,ten"}, &out, &errb); code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if !strings.Contains(errb.String(), `"ten" is not a positive number`) {
		t.Errorf("stderr %q does not name the bad scale", errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout %q, want nothing", out.String())
	}
}

// TestRateAndMedian checks the arithmetic of the table: MB are 10^6 bytes
// and the median of an even count is the upper middle value.
func TestRateAndMedian(t *testing.T) {
	if got := rate(10_000_000, 2*time.Second); got != 5 {
		t.Errorf("rate(10 MB, 2s) = %v, want 5", got)
	}
	if got := median([]time.Duration{4, 1, 3, 2}); got != 3 {
		t.Errorf("median = %v, want 3", got)
	}
}

// TestReportedPeak reads the peak RSS column from the line trawl ingest
// prints with TRAWL_PEAK_RSS=1, and falls back (ok false) when the line is
// missing or garbled, as with a trawl built before it or off Linux.
func TestReportedPeak(t *testing.T) {
	for _, tc := range []struct {
		stderr string
		want   int64
		ok     bool
	}{
		{"warning: a.txt: empty\npeak RSS: 994152 kB (VmHWM)\n", 994152 * 1024, true},
		{"peak RSS: 1 kB (VmHWM)", 1024, true},
		{"", 0, false},
		{"warning: something\n", 0, false},
		{"peak RSS: lots kB (VmHWM)\n", 0, false},
		{"peak RSS: 994152\n", 0, false},
	} {
		got, ok := reportedPeak(tc.stderr)
		if got != tc.want || ok != tc.ok {
			t.Errorf("reportedPeak(%q) = %d, %v; want %d, %v", tc.stderr, got, ok, tc.want, tc.ok)
		}
	}
}
