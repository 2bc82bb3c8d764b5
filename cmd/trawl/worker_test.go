package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/cluster/embedded"
	"github.com/trawlnews/trawl/internal/proctest"
)

// TestIngestNATS runs trawl ingest --nats with two trawl worker commands
// on an embedded JetStream server: entities and discrepancies are those of
// a local ingest, and a re-run queues nothing.
func TestIngestNATS(t *testing.T) {
	srv, err := embedded.Server(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { embedded.Shutdown(srv) })
	url := srv.ClientURL()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for i := range 2 {
		wctx, stop := context.WithCancel(ctx)
		done := make(chan string, 1)
		go func() {
			var out, errb bytes.Buffer
			run(wctx, []string{"trawl", "worker", "--nats", url, "--quiet", "--workers", "1"}, strings.NewReader(""), &out, &errb)
			done <- errb.String()
		}()
		t.Cleanup(func() {
			stop()
			if errs := <-done; strings.Contains(errs, "trawl:") {
				t.Errorf("worker %d: %s", i, errs)
			}
		})
	}
	articles := filepath.Join(proctest.Root(t), "testdata", "articles")
	local, remote := t.TempDir(), t.TempDir()
	mustRun(t, "--store", local, "ingest", "--quiet", articles)
	out := mustRun(t, "--store", remote, "ingest", "--quiet", "--nats", url, articles)
	if !strings.Contains(out, "  batches:  1 queued, 1 done, 0 redelivered") {
		t.Errorf("ingest --nats summary has no batches line:\n%s", out)
	}
	for _, args := range [][]string{{"entities", "--json"}, {"discrepancies", "--format", "json"}} {
		want := mustRun(t, append([]string{"--store", local}, args...)...)
		got := mustRun(t, append([]string{"--store", remote}, args...)...)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("trawl %s after ingest --nats (-local +nats):\n%s", strings.Join(args, " "), diff)
		}
	}
	out = mustRun(t, "--store", remote, "ingest", "--quiet", "--nats", url, articles)
	if !strings.Contains(out, "  batches:  0 queued") {
		t.Errorf("re-run with nothing changed queued batches:\n%s", out)
	}
}
