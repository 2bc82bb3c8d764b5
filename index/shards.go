package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/sync/errgroup"
)

// An index is a directory of shards: manifestName says how many and which
// mapping they were built with, and shard i is the bleve index in
// shardPath(path, i). Documents are routed to a shard by a hash of their id
// (shardOf), so a document always lands in the same shard, run after run,
// whatever the machine: the number of shards is fixed when the index is
// created and read back from the manifest. The shards are written in
// parallel (bleve indexes one batch of one index on essentially one
// goroutine) and searched together through a bleve index alias.
const (
	manifestName = "trawl-shards.json"
	// legacyMeta is the file a single-index layout (before shards) has at
	// the top of the directory.
	legacyMeta = "index_meta.json"
	// maxDefaultShards bounds DefaultShards on large machines: past a few
	// shards, a search pays more for visiting them than indexing gains.
	maxDefaultShards = 8
)

// manifest is the content of manifestName.
type manifest struct {
	Version string `json:"mapping"`
	Shards  int    `json:"shards"`
}

// DefaultShards is the number of shards a new index gets: the number of
// cores, at most maxDefaultShards.
func DefaultShards() int {
	return max(1, min(runtime.NumCPU(), maxDefaultShards))
}

// shardPath is the directory of shard i of the index at path.
func shardPath(path string, i int) string {
	return filepath.Join(path, fmt.Sprintf("shard-%03d", i))
}

// shardOf routes a document id to one of n shards by its FNV-1a hash, which
// does not depend on the process, the machine or the order of writes.
func shardOf(id string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

// readManifest reads the manifest of the index at path. An index without
// one is either missing (an error wrapping os.ErrNotExist) or of the
// single-index layout, which is reported as ErrIncompatible so that the
// store rebuilds it.
func readManifest(path string) (manifest, error) {
	raw, err := os.ReadFile(filepath.Join(path, manifestName))
	if os.IsNotExist(err) {
		if _, serr := os.Stat(filepath.Join(path, legacyMeta)); serr == nil {
			return manifest{}, fmt.Errorf("index: open %s: single-index layout: %w", path, ErrIncompatible)
		}
		return manifest{}, err
	}
	if err != nil {
		return manifest{}, fmt.Errorf("index: open %s: %w", path, err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return manifest{}, fmt.Errorf("index: open %s: %s: %w", path, manifestName, err)
	}
	if m.Shards < 1 {
		return manifest{}, fmt.Errorf("index: open %s: %s: %d shards", path, manifestName, m.Shards)
	}
	return m, nil
}

// Check reports whether the index at path can be opened by this version of
// trawl without opening it: nil when it can, an error wrapping
// ErrIncompatible when it was built by another version (the store then
// rebuilds it), one wrapping os.ErrNotExist when there is none.
func Check(path string) error {
	m, err := readManifest(path)
	if err != nil {
		return err
	}
	if m.Version != mappingVersion {
		return fmt.Errorf("index: %s: mapping %q, want %q: %w", path, m.Version, mappingVersion, ErrIncompatible)
	}
	return nil
}

// writeManifest writes m durably: to a temporary file, synced, then renamed
// over the manifest.
func writeManifest(path string, m manifest) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	tmp := filepath.Join(path, manifestName+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = f.Write(append(raw, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, filepath.Join(path, manifestName))
}

// Shards is the number of shards of the index.
func (ix *Index) Shards() int { return len(ix.shards) }

// eachShard calls fn for every shard at the same time and returns the first
// error.
func (ix *Index) eachShard(fn func(i int, s bleve.Index) error) error {
	if len(ix.shards) == 1 {
		return fn(0, ix.shards[0])
	}
	var g errgroup.Group
	for i, s := range ix.shards {
		g.Go(func() error { return fn(i, s) })
	}
	return g.Wait()
}

// termsWithPrefix returns the terms of field that start with prefix, in
// every shard, sorted and distinct.
func (ix *Index) termsWithPrefix(field, prefix string) ([]string, error) {
	var terms []string
	for _, s := range ix.shards {
		d, err := s.FieldDictPrefix(field, []byte(prefix))
		if err != nil {
			return nil, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return nil, err
			}
			if e == nil {
				break
			}
			terms = append(terms, e.Term)
		}
		if err := d.Close(); err != nil {
			return nil, err
		}
	}
	slices.Sort(terms)
	return slices.Compact(terms), nil
}

// shardErrors is the failure of any shard in sr: an alias reports a shard
// that failed in the result's status rather than as an error, and a search
// must not pass off the other shards' hits as the whole answer.
func shardErrors(sr *bleve.SearchResult) error {
	if sr.Status == nil || len(sr.Status.Errors) == 0 {
		return nil
	}
	names := slices.Sorted(maps.Keys(sr.Status.Errors))
	errs := make([]error, 0, len(names))
	for _, n := range names {
		errs = append(errs, fmt.Errorf("shard %s: %w", filepath.Base(n), sr.Status.Errors[n]))
	}
	return errors.Join(errs...)
}
