package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/internal/proctest"
)

// TestIngestPeakRSS: with TRAWL_PEAK_RSS=1 an ingest ends with one line of
// its peak resident set size on stderr, a figure no smaller than (nearly) the
// process's resident set after it; without it stderr has no such line.
func TestIngestPeakRSS(t *testing.T) {
	dir := proctest.CopyArticles(t, seeds...)
	_, errs, code := trawlRun(t, "", "--store", filepath.Join(t.TempDir(), "st"), "ingest", "--quiet", dir)
	if code != 0 || strings.Contains(errs, "peak RSS") {
		t.Errorf("ingest without %s: exit %d, stderr %q; want 0 and no peak RSS line", peakRSSEnv, code, errs)
	}
	t.Setenv(peakRSSEnv, "1")
	_, errs, code = trawlRun(t, "", "--store", filepath.Join(t.TempDir(), "st"), "ingest", "--quiet", dir)
	m := regexp.MustCompile(`(?m)^peak RSS: (\d+) kB \(VmHWM\)\n\z`).FindStringSubmatch(errs)
	if code != 0 || m == nil {
		t.Fatalf("ingest with %s=1: exit %d, stderr %q; want 0 and a last line \"peak RSS: N kB (VmHWM)\"", peakRSSEnv, code, errs)
	}
	kb, _ := strconv.ParseInt(m[1], 10, 64)
	// The peak was read before the test went on; the test adds little.
	if now := residentKB(t); kb < now/2 {
		t.Errorf("peak RSS %d kB, but the process's resident set is %d kB now", kb, now)
	}
}

// residentKB is the VmRSS of this process, from /proc/self/status.
func residentKB(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^VmRSS:\s+(\d+) kB$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no VmRSS in /proc/self/status:\n%s", b)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb
}
