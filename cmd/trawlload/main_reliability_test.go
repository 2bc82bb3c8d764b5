package main

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOnlyLoopbackIsLoadTested checks that the load test never targets a
// machine other than this one.
func TestOnlyLoopbackIsLoadTested(t *testing.T) {
	got := map[string]bool{}
	for _, u := range []string{
		"http://127.0.0.1:8080", "http://localhost:8080/", "http://[::1]:8080",
		"http://10.0.0.1:8080", "http://example.com", "http://0.0.0.0:8080", "127.0.0.1:8080",
	} {
		got[u] = checkLoopback(u) == nil
	}
	want := map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:8080/": true, "http://[::1]:8080": true,
		"http://10.0.0.1:8080": false, "http://example.com": false, "http://0.0.0.0:8080": false, "127.0.0.1:8080": false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loopback check (-want +got):\n%s", diff)
	}
	var errb strings.Builder
	if code := run([]string{"-url", "http://10.0.0.1:80", "-duration", "1s"}, io.Discard, &errb); code != 2 || !strings.Contains(errb.String(), "only loopback") {
		t.Errorf("run against 10.0.0.1: exit %d, %q; want 2 and a refusal", code, errb.String())
	}
}
