package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawlnews/trawl/extract"
)

// TestCancelStopsLongFile is issue 17 case 6: extraction ignored the
// context, so a cancel (Ctrl-C, SIGTERM) waited for every article of a
// long JSONL file to be extracted and stored. Now the per-article loop
// checks it: the run stops as interrupted, stores nothing of the file it
// was cut off in, and the next run stores it whole. The models are loaded
// before the clock starts, and the file is long enough (about 0.3 MB, some
// 45 ms of extraction on one core without the race detector, ten times that
// with it) that the cancel after 10 ms lands in the middle of it.
func TestCancelStopsLongFile(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	const n = 1000
	for i := range n {
		fmt.Fprintf(&b, `{"id":"r%05d","published":"2025-06-09","text":"Treasury Secretary Scott Bessent said on Monday that copper rose %d%% in Lima. Vice Premier He Lifeng met him in London last Friday, and steel fell 3.4 per cent. Commerce Secretary Howard Lutnick said aluminium tariffs would go from 25%% to 50%% next week."}`+"\n", i, i%90+1)
	}
	must(t, os.WriteFile(filepath.Join(dir, "wire.jsonl"), []byte(b.String()), 0o644))
	st := filepath.Join(t.TempDir(), "store")
	s := mustOpen(t, st)
	defer s.Close()

	x := extract.New(extract.Options{})
	x.Warm()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	sum, err := Run(ctx, s, []string{dir}, Options{Workers: 1, Extractor: x})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted {
		t.Fatalf("the run was not interrupted: %+v", sum)
	}
	if got, err := s.Count(); err != nil || got != 0 {
		t.Errorf("after a cancel in the middle of wire.jsonl the store holds %d articles (%v), want none: the cancel was not seen until the whole file was extracted", got, err)
	}
	sum = mustIngest(t, s, dir)
	if sum.Articles != n || sum.Interrupted {
		t.Errorf("the run after the cancel stored %d articles (interrupted %v), want all %d", sum.Articles, sum.Interrupted, n)
	}
}

// TestCancelDuringReconcile cancels when the reconcile phase starts: the
// run ends interrupted with what it extracted stored, and the next run
// reconciles and indexes it, equal to an uninterrupted run.
func TestCancelDuringReconcile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": sample, "b.txt": "Copper rose 2% in Lima on Monday.\n"})
	st := filepath.Join(t.TempDir(), "store")
	s := mustOpen(t, st)
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := Run(ctx, s, []string{dir}, Options{Progress: func(p Progress) {
		if p.Phase != "" && p.Done == p.Total {
			cancel()
		}
	}})
	if err != nil || !sum.Interrupted {
		t.Fatalf("Run = %v, interrupted %v; want an interrupted run", err, sum != nil && sum.Interrupted)
	}
	if dirty, _ := s.Dirty(); !dirty {
		t.Errorf("an interrupted refresh left the store clean")
	}
	again := mustIngest(t, s, dir)
	fs := mustOpen(t, filepath.Join(t.TempDir(), "fresh"))
	defer fs.Close()
	fresh := mustIngest(t, fs, dir)
	if again.Entities != fresh.Entities || again.Discrepancies != fresh.Discrepancies || again.Articles != fresh.Articles {
		t.Errorf("after the interrupted run: %d articles, %d entities, %d discrepancies; a fresh store: %d, %d, %d",
			again.Articles, again.Entities, again.Discrepancies, fresh.Articles, fresh.Entities, fresh.Discrepancies)
	}
}
