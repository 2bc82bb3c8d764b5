// Package store keeps trawl's state in a directory: the articles and their
// mentions, the files they came from (for incremental ingest), the reconciled
// entities and discrepancies, the user's decisions and the search index.
//
// Layout of a store directory:
//
//	trawl.db        bbolt database: the source of truth (articles, files, results)
//	index.bleve/    bleve index, derived from trawl.db and rebuilt when stale
//	decisions.json  the user's entity decisions as indented JSON, written atomically
//	lock            pid of the process that holds the store for writing
//
// One process at a time may write a store; readers that find it busy get
// ErrBusy naming the writer instead of waiting.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/index"
)

// Names of the files and buckets of a store.
const (
	dbFile   = "trawl.db"
	indexDir = "index.bleve"
	lockFile = "lock"

	schemaVersion = "1"
)

var (
	bucketMeta     = []byte("meta")     // schema, dirty flag, last summary
	bucketFiles    = []byte("files")    // file key -> fileRecord
	bucketArticles = []byte("articles") // article id -> trawl.Article (JSON)
	bucketIndexed  = []byte("indexed")  // article id -> digest of the indexed Doc
	bucketResults  = []byte("results")  // "entities", "discrepancies" -> JSON
	bucketAssign   = []byte("assign")   // article id -> entity id of each PERSON mention

	keySchema        = []byte("schema")
	keyDirty         = []byte("dirty")
	keyDecisionsHash = []byte("decisions-sha256") // of the decisions.json the last refresh applied
	keyEntities      = []byte("entities")
	keyDiscrepancies = []byte("discrepancies")
	keyCounts        = []byte("counts")       // resultCounts of the last reconciliation
	keyIndexPeople   = []byte("index-people") // set once a refresh has recorded the people in the index
)

// ErrBusy is returned when another process holds the store for writing.
var ErrBusy = errors.New("store is busy")

// Store is an open store directory.
type Store struct {
	dir      string
	db       *bolt.DB
	readOnly bool
	// dirtyChecked is set once this Store has looked for a dirty flag left
	// by an earlier process.
	dirtyChecked bool
}

// Options tunes Open. The zero value opens read-write and creates the store
// when it is missing.
type Options struct {
	// ReadOnly opens the store for reading only; the store must exist.
	ReadOnly bool
}

// Open opens the store in dir. A store that another process is writing
// returns an error wrapping ErrBusy that names the process.
func Open(dir string, opts Options) (*Store, error) {
	dbPath := filepath.Join(dir, dbFile)
	if opts.ReadOnly {
		if _, err := os.Stat(dbPath); err != nil {
			return nil, fmt.Errorf("store: %s: no trawl store here (run trawl ingest first)", dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", dir, err)
	}
	db, err := bolt.Open(dbPath, 0o644, &bolt.Options{Timeout: 200 * time.Millisecond, ReadOnly: opts.ReadOnly})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("store: %s: %w: %s", dir, ErrBusy, holder(dir))
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dbPath, err)
	}
	s := &Store{dir: dir, db: db, readOnly: opts.ReadOnly}
	if !opts.ReadOnly {
		if err := s.init(); err != nil {
			db.Close()
			return nil, err
		}
		// The lock file is informational: bbolt's flock is the real lock.
		_ = os.WriteFile(filepath.Join(dir, lockFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	}
	return s, nil
}

// holder describes the process that holds the store, from its lock file.
func holder(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, lockFile))
	pid := strings.TrimSpace(string(b))
	if err != nil || pid == "" {
		return "another trawl process is writing it"
	}
	return "trawl process " + pid + " is writing it; try again when it finishes"
}

func (s *Store) init() error {
	// An existing store of this schema needs no write (and so no fsync) to
	// be opened.
	ready := false
	if err := s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketFiles, bucketArticles, bucketIndexed, bucketResults, bucketAssign, bucketSignatures} {
			if tx.Bucket(b) == nil {
				return nil
			}
		}
		v := tx.Bucket(bucketMeta).Get(keySchema)
		if v != nil && string(v) != schemaVersion {
			return fmt.Errorf("store: %s: schema version %s, this trawl reads %s", s.dir, v, schemaVersion)
		}
		ready = v != nil
		return nil
	}); err != nil || ready {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketFiles, bucketArticles, bucketIndexed, bucketResults, bucketAssign, bucketSignatures} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("store: create bucket %s: %w", b, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); v != nil && string(v) != schemaVersion {
			return fmt.Errorf("store: %s: schema version %s, this trawl reads %s", s.dir, v, schemaVersion)
		}
		return meta.Put(keySchema, []byte(schemaVersion))
	})
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// ReadOnly reports whether the store was opened for reading only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// DBPath is the path of the store's database, the source of truth; its size
// and modification time change with every write.
func (s *Store) DBPath() string { return filepath.Join(s.dir, dbFile) }

// IndexPath is the path of the store's search index.
func (s *Store) IndexPath() string { return filepath.Join(s.dir, indexDir) }

// DecisionsPath is the path of the user's decisions file.
func (s *Store) DecisionsPath() string { return filepath.Join(s.dir, decisionsFile) }

// Close releases the store.
func (s *Store) Close() error {
	if !s.readOnly {
		os.Remove(filepath.Join(s.dir, lockFile))
	}
	return s.db.Close()
}

// Article returns the stored article with the given id.
func (s *Store) Article(id string) (trawl.Article, bool, error) {
	var a trawl.Article
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(id))
		if v == nil {
			return nil
		}
		found = true
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		if as := tx.Bucket(bucketAssign); as != nil {
			applyEntities(&a, as.Get([]byte(id)))
		}
		a.CopyGroup = copyGroupsTx(tx)[id]
		return nil
	})
	if err != nil {
		return a, false, fmt.Errorf("store: article %q: %w", id, err)
	}
	return a, found, nil
}

// Articles calls fn for every stored article in id order, with PERSON
// mentions carrying their cross-article entity ids and the copy group the
// last refresh found.
func (s *Store) Articles(fn func(trawl.Article) error) error {
	return s.articles(true, fn)
}

// articles calls fn for every stored article; reconciled says whether to
// apply the cross-article entity ids (reconciliation itself wants the
// document-local keys).
func (s *Store) articles(reconciled bool, fn func(trawl.Article) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		if b == nil {
			return nil
		}
		as := tx.Bucket(bucketAssign)
		var copies map[string]string
		if reconciled {
			copies = copyGroupsTx(tx)
		}
		return b.ForEach(func(k, v []byte) error {
			var a trawl.Article
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("store: article %q: %w", k, err)
			}
			if reconciled && as != nil {
				applyEntities(&a, as.Get(k))
			}
			a.CopyGroup = copies[a.ID]
			return fn(a)
		})
	})
}

// Count returns the number of stored articles.
func (s *Store) Count() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketArticles); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n, err
}

// Entities returns the reconciled PERSON entities, sorted by id.
func (s *Store) Entities() ([]trawl.Entity, error) {
	var es []trawl.Entity
	return es, s.result(keyEntities, &es)
}

// Entity returns one entity by id.
func (s *Store) Entity(id string) (trawl.Entity, bool, error) {
	es, err := s.Entities()
	if err != nil {
		return trawl.Entity{}, false, err
	}
	for _, e := range es {
		if e.ID == id {
			return e, true, nil
		}
	}
	return trawl.Entity{}, false, nil
}

// Discrepancies returns the discrepancies, most important first.
func (s *Store) Discrepancies() ([]trawl.Discrepancy, error) {
	var ds []trawl.Discrepancy
	return ds, s.result(keyDiscrepancies, &ds)
}

func (s *Store) result(key []byte, v any) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults)
		if b == nil {
			return nil
		}
		raw := b.Get(key)
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("store: read %s: %w", key, err)
		}
		return nil
	})
}

// OpenIndex opens the store's search index for reading.
func (s *Store) OpenIndex() (*index.Index, error) {
	path := s.IndexPath()
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: %s has no search index yet (run trawl ingest)", s.dir)
	}
	return index.OpenReadOnly(path)
}
