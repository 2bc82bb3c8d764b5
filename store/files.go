package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/dedup"
)

// FileRecord is what the store remembers of an ingested file.
type FileRecord struct {
	Hash    string    `json:"sha256"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	// IDs are the ids of the articles read from the file.
	IDs []string `json:"ids"`
	// Read is when the file was last read and hashed; with Size and ModTime
	// it lets a re-ingest skip reading a file that has not been touched
	// since. Zero in stores written before it existed.
	Read time.Time `json:"read,omitzero"`
	// Refused are the ids of articles the file holds that another file
	// already held when it was read (see Commit); the file is read again
	// once one of them is free.
	Refused []string `json:"refused,omitempty"`
	// Stale is set by FileRecords when the store does not hold what the
	// record says: an article of the file is missing or held by another
	// file, or a refused id is free again. The file must be read again
	// even if it is unchanged.
	Stale bool `json:"-"`
}

// FilePath is the path of the file a file key names, for messages.
func FilePath(key string) string {
	root, rel, ok := strings.Cut(key, "\x00")
	if !ok {
		return key
	}
	if filepath.Base(root) == filepath.Base(filepath.FromSlash(rel)) && !strings.Contains(rel, "/") {
		if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
			return root // a single-file root
		}
	}
	return filepath.Join(root, filepath.FromSlash(rel))
}

// FileKey identifies a file across runs: the absolute path of the root it
// was found under and its path under that root.
func FileKey(absRoot, rel string) string { return absRoot + "\x00" + rel }

// FileRecords returns the record of each file key, nil for a file the
// store does not know, in the order of keys.
//
// The pages it reads through the database's map are counted from one call
// to the next and released as a pass of Refresh releases its own
// (mappedReads): a re-ingest calls it for every file, a chunk at a time,
// the records' pages lie between other buckets' in the file, and the
// owners of each file's articles are read out of key order.
func (s *Store) FileRecords(keys []string) ([]*FileRecord, error) {
	recs := make([]*FileRecord, len(keys))
	s.recordReads.Lock()
	defer s.recordReads.Unlock()
	mapped := &s.recordReads.mappedReads
	err := s.view(func(tx *bolt.Tx) error {
		b, owners := tx.Bucket(bucketFiles), tx.Bucket(bucketOwners)
		for i, k := range keys {
			v := b.Get([]byte(k))
			mapped.read(os.Getpagesize())
			if v != nil {
				var rec FileRecord
				if err := decodeFileRecord(v, &rec); err == nil {
					rec.Stale = stale(&rec, k, owners, mapped)
					recs[i] = &rec
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: read file records: %w", err)
	}
	return recs, nil
}

// stale reports whether the store does not hold what rec, the record of
// the file key, says (see FileRecord.Stale). It reads only the owners
// bucket: an article and its owner are written and deleted in the same
// transaction, and recordOwners gives an owner only to a stored article,
// so an id the file owns is stored. Not touching the articles bucket keeps
// a re-ingest from paging in the whole database. Each read is counted in
// mapped as one out of key order.
func stale(rec *FileRecord, key string, owners *bolt.Bucket, mapped *mappedReads) bool {
	for _, id := range rec.IDs {
		mapped.readScattered(0)
		if string(owners.Get([]byte(id))) != key {
			return true
		}
	}
	for _, id := range rec.Refused {
		mapped.readScattered(0)
		if owners.Get([]byte(id)) == nil {
			return true
		}
	}
	return false
}

// Conflict is an article Commit refused because another file holds its id.
type Conflict struct {
	ID    string // the article id
	File  string // the key of the file refused
	Owner string // the key of the file that holds the id
}

// Error describes the conflict, naming both files.
func (c Conflict) Error() string {
	return fmt.Sprintf("store: %s: article id %q is already held by %s; this article is not stored (give it another id, or remove one of the files)",
		FilePath(c.File), c.ID, FilePath(c.Owner))
}

// FileWrite is one file's change committed by Commit.
type FileWrite struct {
	Key string
	// Renew says the file's content is unchanged: only Size, ModTime and
	// Read of its record are written, its articles are kept.
	Renew bool
	// Hash, Size, ModTime and Read are the file's new record.
	Hash    string
	Size    int64
	ModTime time.Time
	Read    time.Time
	// Articles replace the file's articles (when not Renew); the ids the
	// file no longer holds are deleted.
	Articles []trawl.Article
	// Signatures, when set, are the near-duplicate signatures of Articles,
	// one each in the same order (dedup.Sign of the text): stored with
	// them, so that the refresh reads them instead of signing the articles
	// one after another (see signatures.add).
	Signatures []dedup.Signature
	// Thin, when set, are the thin forms of Articles (ThinForm), one each
	// in the same order, stored with them so that the refresh decodes them
	// instead of thinning the articles again (see bucketThin). The form of
	// an article written without one is dropped with the old article.
	Thin [][]byte
}

// Commit writes the changes of one chunk of files in a single transaction,
// so that an interrupted ingest keeps either all of them or none. An empty
// chunk writes nothing (no transaction, no fsync). Article ids are unique
// across the store: an article whose id another file holds is not stored
// (the first file keeps it) and is returned as a Conflict; the file is read
// again once the id is free.
func (s *Store) Commit(writes []FileWrite) (conflicts []Conflict, err error) {
	if s.readOnly {
		return nil, errReadOnly
	}
	if len(writes) == 0 {
		return nil, nil
	}
	err = s.update(func(tx *bolt.Tx) error {
		conflicts = nil
		files, arts, owners := tx.Bucket(bucketFiles), tx.Bucket(bucketArticles), tx.Bucket(bucketOwners)
		sigs, indexed, thin := tx.Bucket(bucketSignatures), tx.Bucket(bucketIndexed), tx.Bucket(bucketThin)
		for _, w := range writes {
			var old FileRecord
			if v := files.Get([]byte(w.Key)); v != nil {
				_ = decodeFileRecord(v, &old)
			}
			if w.Renew {
				old.Size, old.ModTime, old.Read = w.Size, w.ModTime, w.Read
				if err := files.Put([]byte(w.Key), encodeFileRecord(&old)); err != nil {
					return err
				}
				continue
			}
			rec := FileRecord{Hash: w.Hash, Size: w.Size, ModTime: w.ModTime, Read: w.Read}
			signed, thinned := len(w.Signatures) == len(w.Articles), len(w.Thin) == len(w.Articles)
			for i, a := range w.Articles {
				if owner := owners.Get([]byte(a.ID)); owner != nil && string(owner) != w.Key {
					conflicts = append(conflicts, Conflict{ID: a.ID, File: w.Key, Owner: string(owner)})
					rec.Refused = append(rec.Refused, a.ID)
					continue
				}
				if err := arts.Put([]byte(a.ID), encodeArticle(&a)); err != nil {
					return err
				}
				if err := dropInputsKey(indexed, a.ID); err != nil {
					return err
				}
				if err := owners.Put([]byte(a.ID), []byte(w.Key)); err != nil {
					return err
				}
				var form []byte
				if thinned {
					form = w.Thin[i]
				}
				if err := putThin(thin, a.ID, form); err != nil {
					return err
				}
				if signed && a.Hash != "" {
					if err := sigs.Put([]byte(a.ID), encodeSignature(a.Hash, w.Signatures[i])); err != nil {
						return err
					}
				}
				rec.IDs = append(rec.IDs, a.ID)
			}
			for _, id := range old.IDs {
				if !slices.Contains(rec.IDs, id) {
					if err := dropOwned(arts, owners, id, w.Key); err != nil {
						return err
					}
				}
			}
			if err := files.Put([]byte(w.Key), encodeFileRecord(&rec)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: write %s: %w", s.dir, err)
	}
	return conflicts, nil
}

// putThin stores form as the thin form of article id, or drops the one
// stored when form is nil.
func putThin(b *bolt.Bucket, id string, form []byte) error {
	if form == nil {
		return b.Delete([]byte(id))
	}
	return b.Put([]byte(id), form)
}

// dropOwned deletes the article id when the file key holds it; an id held
// by another file is that file's and stays.
func dropOwned(arts, owners *bolt.Bucket, id, key string) error {
	if owner := owners.Get([]byte(id)); owner != nil && string(owner) != key {
		return nil
	}
	if err := arts.Delete([]byte(id)); err != nil {
		return err
	}
	return owners.Delete([]byte(id))
}

// Unseen returns the keys of the files recorded under absRoot whose paths
// under it are not among rels: the files a walk of the root no longer
// found. rels are the walk's paths in ascending order, as corpus.Walk lists
// them (other orders are sorted first), so that they and the recorded keys
// are read side by side: a set of the keys seen was 100 MB of a 200x
// re-ingest's heap. It only reads.
func (s *Store) Unseen(absRoot string, rels []string) ([]string, error) {
	if !slices.IsSorted(rels) {
		rels = slices.Sorted(slices.Values(rels))
	}
	prefix := []byte(FileKey(absRoot, ""))
	var gone []string
	err := s.view(func(tx *bolt.Tx) error {
		mapped := s.mappedReads()
		c := tx.Bucket(bucketFiles).Cursor()
		i := 0
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			// Counted as a page each: the records' pages lie between
			// other buckets' in the file, and each fault maps the pages
			// around it too (faultAround), 770 bytes of them a record at
			// 50x, not the record's 150.
			mapped.read(os.Getpagesize())
			rel := k[len(prefix):]
			for i < len(rels) && rels[i] < string(rel) {
				i++
			}
			if i == len(rels) || rels[i] != string(rel) {
				gone = append(gone, string(k))
			}
		}
		return nil
	})
	releaseMapped(s.dir)
	if err != nil {
		return nil, fmt.Errorf("store: list files: %w", err)
	}
	return gone, nil
}

// RemoveFiles drops the files with the given keys and their articles, in
// one transaction.
func (s *Store) RemoveFiles(keys []string) error {
	if s.readOnly {
		return errReadOnly
	}
	if len(keys) == 0 {
		return nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		files, arts, owners := tx.Bucket(bucketFiles), tx.Bucket(bucketArticles), tx.Bucket(bucketOwners)
		for _, k := range keys {
			var rec FileRecord
			_ = decodeFileRecord(files.Get([]byte(k)), &rec)
			for _, id := range rec.IDs {
				if err := dropOwned(arts, owners, id, k); err != nil {
					return err
				}
			}
			if err := files.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: remove deleted files: %w", err)
	}
	return nil
}

// errReadOnly is returned by the writing methods of a store opened
// read-only.
var errReadOnly = errors.New("store: opened read-only")
