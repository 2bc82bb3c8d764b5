package store

import (
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
