package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/ingest"
)

// trawlRun runs the CLI in-process and returns stdout, stderr and the exit code.
func trawlRun(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"trawl"}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// mustRun runs the CLI and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := trawlRun(t, "", args...)
	if code != 0 {
		t.Fatalf("trawl %s: exit %d\nstderr:\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

func ingestJSON(t *testing.T, storeDir, dir string) ingest.Summary {
	t.Helper()
	out := mustRun(t, "--store", storeDir, "ingest", "--quiet", "--json", dir)
	var s ingest.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("ingest --json: %v\n%s", err, out)
	}
	return s
}

// seeds are the three sample articles that spell Scott Bessent and Jamieson
// Greer in different ways.
var seeds = []string{"000_ac9690d5760d0952.txt", "001_65d83bc85e607672.txt", "003_a17ed81ac00cb93e.txt"}
