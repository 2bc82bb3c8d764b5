package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged is wrapped by the errors of a store whose database is damaged
// (a torn or overwritten page): the message says how to rebuild it.
var ErrDamaged = errors.New("store is damaged")

// damagedError is a damaged store, what gave it away and the way out.
type damagedError struct {
	dir   string
	cause string
}

func (e *damagedError) Error() string {
	return fmt.Sprintf("store: %s: %s (%s); rebuild it from the source files with `trawl --store %s ingest --repair FOLDER...` (decisions.json is kept; the damaged database is moved aside as %s)",
		e.dir, ErrDamaged, e.cause, e.dir, damagedName)
}

func (e *damagedError) Is(target error) bool { return target == ErrDamaged }

// damagedName is the name a repair gives the damaged database it moves
// aside.
const damagedName = dbFile + ".damaged"

// damagedOpen reports whether err from bolt.Open means a damaged file
// rather than a busy or missing one.
func damagedOpen(err error) bool {
	return errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) ||
		errors.Is(err, berrors.ErrVersionMismatch) || errors.Is(err, berrors.ErrInvalidMapping)
}

// guard runs fn, turning a panic of bbolt on a damaged page into an error
// wrapping ErrDamaged: no reader or writer of a damaged store crashes.
func (s *Store) guard(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &damagedError{dir: s.dir, cause: fmt.Sprint(r)}
		}
	}()
	return fn()
}

// view runs fn in a read transaction, guarded against a damaged database.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	return s.guard(func() error { return s.db.View(fn) })
}

// update runs fn in a write transaction, guarded against a damaged
// database.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	return s.guard(func() error { return s.db.Update(fn) })
}

// Check walks every page of the database and reports the first damage
// found, as an error wrapping ErrDamaged. It reads the whole file.
func (s *Store) Check() error {
	return s.guard(func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				return &damagedError{dir: s.dir, cause: err.Error()}
			}
			return nil
		})
	})
}

// MoveDamaged moves the damaged database of the store in dir aside (to
// trawl.db.damaged) and deletes its search index, so that an ingest can
// rebuild both from the source files; decisions.json stays. The store must
// not be open.
func MoveDamaged(dir string) error {
	db := filepath.Join(dir, dbFile)
	if err := renameIfExists(db, filepath.Join(dir, damagedName)); err != nil {
		return fmt.Errorf("store: move the damaged %s aside: %w", db, err)
	}
	if err := removeAll(filepath.Join(dir, indexDir)); err != nil {
		return fmt.Errorf("store: remove the index of %s: %w", dir, err)
	}
	return nil
}

// renameIfExists renames from to to; a missing from is not an error.
func renameIfExists(from, to string) error {
	if err := os.Rename(from, to); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// removeAll removes path and everything under it.
func removeAll(path string) error { return os.RemoveAll(path) }

// openBolt opens the database at path, turning a panic of bbolt on a
// damaged page into an error wrapping ErrDamaged. A writer's open reads
// the freelist, and bbolt panics on a damaged one after it has mapped the
// file, which then stays locked for as long as the process lives; so the
// freelist page is looked at first (checkFreelist).
func openBolt(dir, path string, opts *bolt.Options) (db *bolt.DB, err error) {
	if !opts.ReadOnly {
		if cause := checkFreelist(path); cause != "" {
			return nil, &damagedError{dir: dir, cause: cause}
		}
	}
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, &damagedError{dir: dir, cause: fmt.Sprint(r)}
		}
	}()
	return bolt.Open(path, 0o644, opts)
}

// checkFreelist says what is wrong with the freelist page named by the
// newer meta page of the bbolt file at path, or "" when it looks sound, the
// file is new or too short to tell (bbolt then decides). The layout is
// bbolt's: a 16-byte page header (id, flags, count, overflow) then the
// meta (magic, version, page size, flags, root bucket, freelist, high
// water mark, txid, checksum).
func checkFreelist(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 2*4096)
	if n, _ := f.ReadAt(head, 0); n < len(head) {
		return ""
	}
	le := binary.LittleEndian
	pageSize := int64(le.Uint32(head[16+8:]))
	if pageSize < 1024 || pageSize > 1<<16 {
		return ""
	}
	meta := func(i int64) []byte {
		b := make([]byte, 80)
		if _, err := f.ReadAt(b, i*pageSize); err != nil || le.Uint32(b[16:]) != 0xED0CDAED {
			return nil
		}
		return b
	}
	m0, m1 := meta(0), meta(1)
	m := m0
	if m == nil || m1 != nil && le.Uint64(m1[16+48:]) > le.Uint64(m0[16+48:]) {
		m = m1
	}
	if m == nil {
		return ""
	}
	freelist := le.Uint64(m[16+32:])
	if freelist == ^uint64(0) { // not synced
		return ""
	}
	page := make([]byte, 16)
	if _, err := f.ReadAt(page, int64(freelist)*pageSize); err != nil {
		return fmt.Sprintf("freelist page %d cannot be read: %v", freelist, err)
	}
	if id, flags := le.Uint64(page), le.Uint16(page[8:]); id != freelist || flags&0x10 == 0 {
		return fmt.Sprintf("freelist page %d is not a freelist (id %d, flags %#x)", freelist, id, flags)
	}
	return ""
}
