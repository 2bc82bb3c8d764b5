package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseSize is issue 17 case 4: sizes with units were read by their
// leading digits ("20MiB" was 20 bytes, "1e100" was 1 byte), which emptied
// a store with exit 0. Units are read; anything else is refused.
func TestParseSize(t *testing.T) {
	ok := map[string]int64{
		"20MB": 20 << 20, "20MiB": 20 << 20, "20 mib": 20 << 20, "500KB": 500 << 10, "500KiB": 500 << 10,
		"1GB": 1 << 30, "2GiB": 2 << 30, "1000": 1000, "1000B": 1000, "7k": 7 << 10,
	}
	got := map[string]int64{}
	for in := range ok {
		n, err := parseSize(in)
		if err != nil {
			t.Errorf("parseSize(%q): %v", in, err)
		}
		got[in] = n
	}
	if diff := cmp.Diff(ok, got); diff != "" {
		t.Errorf("sizes (-want +got):\n%s", diff)
	}
	for _, in := range []string{"1e3", "2e6", "1e100", "2.5MB", "20XB", "", "MB", "-5", "0", "99999999999999999999", "9000000000GB"} {
		if n, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, n)
		}
	}
}

// TestRaisedLimit checks the refresh's memory limit: kept while the live
// heap is well under it, raised above the live heap when it nears it, so
// that the collector never runs without pause, and never lowered.
func TestRaisedLimit(t *testing.T) {
	const mb = 1 << 20
	for _, tt := range []struct{ live, limit, want int64 }{
		{100 * mb, 512 * mb, 512 * mb},
		{409 * mb, 512 * mb, 512 * mb},
		{450 * mb, 512 * mb, 1125 * mb / 2},
		{900 * mb, 675 * mb, 1125 * mb},
	} {
		if got := raisedLimit(tt.live, tt.limit); got != tt.want {
			t.Errorf("raisedLimit(%d MB live, %d MB) = %d MB, want %d MB", tt.live/mb, tt.limit/mb, got/mb, tt.want/mb)
		}
	}
}
