package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
)

// TestLostArticleMakesFileStale covers the repair half of issue 17 case 1:
// a store written before ids were owned could lose the article of a file
// whose record still listed it (the later file of the same id was removed),
// and the file then stayed "unchanged" forever. A record whose article is
// missing, or held by another file, is now stale, so the ingest reads the
// file again; and a store without the owners bucket gets it filled from the
// file records when opened.
func TestLostArticleMakesFileStale(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	key := FileKey("/A", "001.txt")
	a := trawl.Article{ID: "001.txt", Text: "Copper rose 2%."}
	if _, err := s.Commit([]FileWrite{{Key: key, Hash: "h", Size: 1, Read: time.Now(), Articles: []trawl.Article{a}}}); err != nil {
		t.Fatal(err)
	}
	recs, err := s.FileRecords([]string{key})
	if err != nil || recs[0] == nil || recs[0].Stale {
		t.Fatalf("a sound record: %+v, %v; want one, not stale", recs[0], err)
	}
	// What the old overwrite left behind: the article gone, the record
	// still listing it, and (an old store) no owners bucket.
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketArticles).Delete([]byte(a.ID)); err != nil {
			return err
		}
		return tx.DeleteBucket(bucketOwners)
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpen(t, dir)
	defer s.Close()
	recs, err = s.FileRecords([]string{key})
	if err != nil || recs[0] == nil || !recs[0].Stale {
		t.Fatalf("record of a file whose article was lost: %+v, %v; want it stale, so the file is read again", recs[0], err)
	}
	// Read again, the article is back and the record sound.
	if _, err := s.Commit([]FileWrite{{Key: key, Hash: "h", Size: 1, Read: time.Now(), Articles: []trawl.Article{a}}}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Article(a.ID); err != nil || !ok {
		t.Errorf("after the file was read again the article is missing (%v)", err)
	}
	if recs, _ := s.FileRecords([]string{key}); recs[0] == nil || recs[0].Stale {
		t.Errorf("after the repair the record is still stale")
	}
}
