package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/reconcile"
)

// sampleWrites are the files of ../testdata/articles, extracted, as an
// ingest commits them; with thin set each carries its articles' thin forms
// as the ingest's workers make them.
func sampleWrites(t testing.TB, thin bool) []FileWrite {
	t.Helper()
	files, _, err := corpus.Walk(context.Background(), "../testdata/articles", corpus.Options{})
	if err != nil || len(files) == 0 {
		t.Fatalf("sample articles: %d files, %v", len(files), err)
	}
	x := extract.New(extract.Options{})
	var ws []FileWrite
	for _, f := range files {
		arts, _, err := corpus.Read(f, corpus.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f.Rel, err)
		}
		w := FileWrite{Key: FileKey("/samples", f.Rel), Hash: f.Rel, Size: f.Size, Read: time.Now()}
		for i := range arts {
			x.Extract(&arts[i])
			if thin {
				w.Thin = append(w.Thin, ThinForm(&arts[i]))
			}
		}
		w.Articles = arts
		ws = append(ws, w)
	}
	return ws
}

// thinForms are the values of s's thin bucket, by article id.
func thinForms(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	must(t, s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketThin).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	}))
	return out
}

// TestThinFormsMadeOnce follows the thin forms of the sample articles
// through the ways a store gets them: from the ingest's workers, from a
// refresh when a coordinator committed the articles without them, again
// for a new build of trawl, for an article that a trawl unaware of them
// rewrote, and for an article a coordinator rewrote. Each refresh must make
// exactly the forms that are missing or out of date, the forms must be the
// same bytes however they were made, and the people and discrepancies must
// be those of a store whose forms all came from the workers.
func TestThinFormsMadeOnce(t *testing.T) {
	ctx := context.Background()
	open := func(ws []FileWrite) *Store {
		t.Helper()
		s := mustOpen(t, t.TempDir())
		must(t, s.MarkDirty())
		_, err := s.Commit(ws)
		must(t, err)
		return s
	}
	refresh := func(s *Store, step string, wantMade int) {
		t.Helper()
		n, err := s.Refresh(ctx)
		must(t, err)
		if n.Thinned != wantMade {
			t.Errorf("%s: the refresh made %d thin forms, want %d", step, n.Thinned, wantMade)
		}
	}
	results := func(s *Store) ([]trawl.Entity, []trawl.Discrepancy) {
		t.Helper()
		es, err := s.Entities()
		must(t, err)
		ds, err := s.Discrepancies()
		must(t, err)
		return es, ds
	}

	withThin := sampleWrites(t, true)
	n := 0
	for _, w := range withThin {
		n += len(w.Articles)
	}
	worker := open(withThin)
	defer worker.Close()
	refresh(worker, "forms from the workers", 0)
	wantEntities, wantDiscrepancies := results(worker)
	if len(wantDiscrepancies) == 0 {
		t.Fatal("the samples give no discrepancy: the test checks little")
	}
	want := thinForms(t, worker)
	if len(want) != n {
		t.Fatalf("%d thin forms stored for %d articles", len(want), n)
	}
	same := func(s *Store, step string) {
		t.Helper()
		if diff := cmp.Diff(want, thinForms(t, s)); diff != "" {
			t.Errorf("%s: thin forms differ from the workers' (-workers +store):\n%s", step, diff)
		}
		es, ds := results(s)
		if diff := cmp.Diff(wantEntities, es); diff != "" {
			t.Errorf("%s: people differ (-workers' forms +store):\n%s", step, diff)
		}
		if diff := cmp.Diff(wantDiscrepancies, ds); diff != "" {
			t.Errorf("%s: discrepancies differ (-workers' forms +store):\n%s", step, diff)
		}
	}

	coordinator := open(sampleWrites(t, false))
	defer coordinator.Close()
	refresh(coordinator, "articles committed without forms", n)
	same(coordinator, "forms made by the refresh")
	refresh(coordinator, "nothing changed", 0)

	// A new build makes every form again, from the stored articles.
	was := codeIdentity
	codeIdentity = func() []byte { return []byte("another build") }
	refresh(coordinator, "a new build", n)
	refresh(coordinator, "a new build, again", 0)
	codeIdentity = was
	refresh(coordinator, "back to this build", n)

	// A trawl that knows nothing of the forms rewrites an article, and
	// leaves its old form: the content hash shows it out of date.
	id := withThin[0].Articles[0].ID
	changed := withThin[0].Articles[0]
	changed.Text, changed.Hash = "Someone else entirely. "+changed.Text[:len(changed.Text)/2], "rewritten"
	changed.Mentions = nil
	x := extract.New(extract.Options{})
	x.Extract(&changed)
	must(t, coordinator.MarkDirty())
	must(t, coordinator.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArticles).Put([]byte(id), encodeArticle(&changed))
	}))
	refresh(coordinator, "an article rewritten behind the forms' back", 1)
	if got := thinForms(t, coordinator)[id]; got != string(ThinForm(&changed)) {
		t.Errorf("the rewritten article's form is not made from its new text")
	}

	// A form whose build and hash are right but which cannot be decoded
	// (cut short by a byte) is made again from its article when it is
	// read, and stored.
	must(t, coordinator.MarkDirty())
	must(t, coordinator.db.Update(func(tx *bolt.Tx) error {
		form := ThinForm(&changed)
		return tx.Bucket(bucketThin).Put([]byte(id), form[:len(form)-1])
	}))
	refresh(coordinator, "a damaged form", 0)
	if got := thinForms(t, coordinator)[id]; got != string(ThinForm(&changed)) {
		t.Errorf("the damaged form was not made again")
	}

	// Commit drops the form of an article it writes without one, and the
	// refresh makes it; the file's removal drops its forms.
	w := withThin[0]
	w.Thin = nil
	must(t, coordinator.MarkDirty())
	_, err := coordinator.Commit([]FileWrite{w})
	must(t, err)
	if _, ok := thinForms(t, coordinator)[id]; ok {
		t.Errorf("Commit kept the form of %s, written without one", id)
	}
	refresh(coordinator, "an article committed without a form", 1)
	same(coordinator, "after the rewrites")
	must(t, coordinator.MarkDirty())
	must(t, coordinator.RemoveFiles([]string{w.Key}))
	refresh(coordinator, "a file removed", 0)
	gone := thinForms(t, coordinator)
	for _, a := range w.Articles {
		if _, ok := gone[a.ID]; ok {
			t.Errorf("the form of %s outlived its file", a.ID)
		}
	}
	if len(gone) != n-len(w.Articles) {
		t.Errorf("%d forms for %d articles", len(gone), n-len(w.Articles))
	}
}

// BenchmarkThinForm compares what a refresh does per stored article to
// get its thin form: before the forms were stored, decode the article and
// thin it (article); now, decode the stored form (form). Over the sample
// articles; the bytes counted are the stored articles' in both.
func BenchmarkThinForm(b *testing.B) {
	var arts, forms [][]byte
	var ids []string
	for _, w := range sampleWrites(b, true) {
		for i := range w.Articles {
			arts = append(arts, encodeArticle(&w.Articles[i]))
			forms = append(forms, w.Thin[i])
			ids = append(ids, w.Articles[i].ID)
		}
	}
	size := func(vs [][]byte) (n int64) {
		for _, v := range vs {
			n += int64(len(v))
		}
		return n
	}
	b.Run("article", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size(arts))
		strs := reconcile.NewStrings()
		for b.Loop() {
			for _, v := range arts {
				var a trawl.Article
				if err := decodeArticle(v, &a); err != nil {
					b.Fatal(err)
				}
				thinArticle(a, strs)
			}
		}
	})
	b.Run("form", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size(arts))
		strs := reconcile.NewStrings()
		for b.Loop() {
			for i, v := range forms {
				var ta reconcile.Article
				if _, err := decodeThinForm([]byte(ids[i]), v, strs, &ta); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
