package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawlnews/trawl/dedup"
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

// TestWriteAdded checks the new files of the incremental ingest: as many
// as asked, each a title and the bodies of others, and none a near copy of
// a corpus file (a copy would make the ingest regroup copies, not add
// news).
func TestWriteAdded(t *testing.T) {
	src := t.TempDir()
	var files []string
	var sigs []dedup.Signature
	for i := range 150 {
		var b strings.Builder
		fmt.Fprintf(&b, "Title number %d\n", i)
		for j := range 8 {
			fmt.Fprintf(&b, "Line %d of story %d tells of w%dx%d and w%dy%d rising.\n", j, i, i, j, i, j)
		}
		p := filepath.Join(src, fmt.Sprintf("f%03d.txt", i))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
		sigs = append(sigs, dedup.Sign(b.String()))
	}
	dir := filepath.Join(t.TempDir(), "added")
	if err := writeAdded(dir, files, 10); err != nil {
		t.Fatal(err)
	}
	got, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(got) != 10 {
		t.Fatalf("%d files written (%v), want 10", len(got), err)
	}
	seen := map[string]bool{}
	for _, p := range got {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		if !strings.HasPrefix(text, "Title number ") || strings.Count(text, "\n\n") != 11 {
			t.Errorf("%s is not a title and ten bodies:\n%s", p, text)
		}
		if seen[text] {
			t.Errorf("%s repeats another added file", p)
		}
		seen[text] = true
		sig := dedup.Sign(text)
		for i, s := range sigs {
			if dedup.Near(sig, s) {
				t.Errorf("%s is a near copy of %s", p, files[i])
			}
		}
	}
}
