package ingest

import (
	"context"
	"sync"
	"testing"

	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/store"
)

// TestWorkersMakeThinForms checks that a worker hands the store, with each
// article it extracts, the thin form the refresh reconciles
// (store.ThinForm), so that a refresh after a local ingest makes none.
func TestWorkersMakeThinForms(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt": sample,
		"c.jsonl": `{"id":"c-1","text":"Wheat fell 3 pct on Monday, said Janet Yellen."}
{"id":"c-2","text":"Oil rose 5% on Tuesday."}
`,
	})
	files, _, err := corpus.Walk(context.Background(), dir, corpus.Options{})
	if err != nil || len(files) != 2 {
		t.Fatalf("walk: %d files, %v", len(files), err)
	}
	x := extract.New(extract.Options{})
	var warm sync.Once
	forms := 0
	for _, f := range files {
		r := readFile(context.Background(), f, store.FileKey(dir, f.Rel), nil, x, &warm, corpus.Options{}, false)
		w, ok := r.write()
		if !ok || len(w.Articles) == 0 {
			t.Fatalf("%s: nothing to write (%v)", f.Rel, r.problems)
		}
		if len(w.Thin) != len(w.Articles) {
			t.Fatalf("%s: %d thin forms for %d articles", f.Rel, len(w.Thin), len(w.Articles))
		}
		for i := range w.Articles {
			if string(w.Thin[i]) != string(store.ThinForm(&w.Articles[i])) {
				t.Errorf("%s: the thin form of %s is not that of the article written", f.Rel, w.Articles[i].ID)
			}
			forms++
		}
	}
	if forms != 3 {
		t.Errorf("%d thin forms, want one for each of 3 articles", forms)
	}
}
