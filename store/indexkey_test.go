package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/reconcile"
)

// indexWrite is the file of one article naming person, its other words
// made from extra so that no two articles are copies of each other.
func indexWrite(id, person, extra string) FileWrite {
	var words []string
	for j := range 12 {
		words = append(words, fmt.Sprintf("%s%c", extra, 'a'+j))
	}
	text := fmt.Sprintf("%s said %s.", person, strings.Join(words, " "))
	art := trawl.Article{ID: id, Text: text, Hash: id + "/" + extra, Mentions: []trawl.Mention{
		{Type: trawl.Person, Text: person, Start: 0, End: len(person), Entity: person},
	}}
	return FileWrite{Key: FileKey("/root", id), Hash: art.Hash, Size: int64(len(text)), Read: time.Now(), Articles: []trawl.Article{art}}
}

// indexedDigests are the digests s records of its indexed documents, by
// article id.
func indexedDigests(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	must(t, s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketIndexed).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v[:min(len(v), digestLen)])
			return nil
		})
	}))
	return out
}

// refreshReading refreshes s and returns the articles its index phase read.
func refreshReading(t *testing.T, s *Store) (Counts, []string) {
	t.Helper()
	var read []string
	indexRead = func(id string) { read = append(read, id) }
	defer func() { indexRead = nil }()
	n, err := s.Refresh(context.Background())
	must(t, err)
	return n, read
}

// TestIndexReadsOnlyWhatChanged follows a store through the changes an
// ingest and a user make: files added, an article rewritten with the same
// people, a person renamed, a new build of trawl. After each refresh its
// index must hold the documents a store built at once from the same files
// holds (the digests it records are those of the documents it wrote), and
// the refresh must have read the articles whose documents could change and
// no others.
func TestIndexReadsOnlyWhatChanged(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	files := map[string]FileWrite{}
	commit := func(ws ...FileWrite) {
		t.Helper()
		must(t, s.MarkDirty())
		_, err := s.Commit(ws)
		must(t, err)
		for _, w := range ws {
			files[w.Key] = w
		}
	}
	// check compares s's recorded digests with those of a store built at
	// once from files with s's decisions.
	check := func(step string) {
		t.Helper()
		fresh := mustOpen(t, t.TempDir())
		defer fresh.Close()
		d, err := s.Decisions()
		must(t, err)
		must(t, writeDecisions(fresh.DecisionsPath(), d))
		must(t, fresh.MarkDirty())
		var ws []FileWrite
		for _, k := range slices.Sorted(maps.Keys(files)) {
			ws = append(ws, files[k])
		}
		_, err = fresh.Commit(ws)
		must(t, err)
		_, err = fresh.Refresh(context.Background())
		must(t, err)
		if diff := cmp.Diff(indexedDigests(t, fresh), indexedDigests(t, s)); diff != "" {
			t.Errorf("%s: indexed documents differ from a store built at once (-fresh +incremental):\n%s", step, diff)
		}
	}
	people := []string{"Scott Bessent", "Janet Yellen", "Howard Lutnick"}
	var ws []FileWrite
	for i := range 12 {
		ws = append(ws, indexWrite(fmt.Sprintf("a%02d.txt", i), people[i%3], fmt.Sprintf("word%d", i)))
	}
	commit(ws...)
	if _, read := refreshReading(t, s); len(read) != 12 {
		t.Errorf("first refresh read %d articles, want all 12", len(read))
	}
	check("first refresh")

	n, read := refreshReading(t, s)
	if len(read) != 0 || n.Indexed != 0 {
		t.Errorf("refresh of an unchanged store read %v and wrote %d documents, want none", read, n.Indexed)
	}

	// An article rewritten with the same people, and one more article on a
	// new person: those two are read, no other.
	commit(indexWrite("a04.txt", "Janet Yellen", "zebra"), indexWrite("a12.txt", "Maria Alvarez", "word12"))
	n, read = refreshReading(t, s)
	if diff := cmp.Diff([]string{"a04.txt", "a12.txt"}, read); diff != "" || n.Indexed != 2 {
		t.Errorf("after one change and one addition: %d written, read (-want +got):\n%s", n.Indexed, diff)
	}
	check("after a change and an addition")
	ix, err := s.OpenIndex()
	must(t, err)
	res, err := ix.Search(context.Background(), index.Query{Text: "zebrac"})
	ix.Close()
	must(t, err)
	if len(res.Hits) != 1 || res.Hits[0].ID != "a04.txt" {
		t.Errorf("search for the rewritten article's new word: %+v, want a04.txt", res.Hits)
	}

	// A rename keeps the person's id and changes the name every document
	// of theirs carries: those are read, and rewritten.
	must(t, s.Decide(context.Background(), func(d *reconcile.Decisions, es []trawl.Entity) error {
		for _, e := range es {
			if e.Canonical == "Howard Lutnick" {
				d.Rename(e.ID, "Howard W. Lutnick")
				return nil
			}
		}
		return fmt.Errorf("no Howard Lutnick among %d people", len(es))
	}))
	check("after a rename")
	n, read = refreshReading(t, s)
	if len(read) != 0 || n.Indexed != 0 {
		t.Errorf("refresh after the rename's refresh read %v, want none", read)
	}

	// A new build of trawl reads every article once, and rewrites none
	// whose document came out the same.
	was := codeIdentity
	codeIdentity = func() []byte { return []byte("another build") }
	defer func() { codeIdentity = was }()
	n, read = refreshReading(t, s)
	if len(read) != 13 || n.Indexed != 0 {
		t.Errorf("first refresh of a new build read %d of 13 articles and wrote %d, want 13 and 0", len(read), n.Indexed)
	}
	if _, read = refreshReading(t, s); len(read) != 0 {
		t.Errorf("second refresh of a new build read %v, want none", read)
	}
	check("after a new build")
}

// TestInputsKeyReadsEveryList checks the keys of lists of entity ids that
// the quick cut and the JSON decoder each read: every id's name goes into
// the key as the decoder reads the list, escapes and empty ids included,
// and two lists that differ in one name's id give two keys.
func TestInputsKeyReadsEveryList(t *testing.T) {
	names := map[string]string{"": "Nobody", "a": "Ann", "b": "Bob", `x","y`: "Odd", "é": "Eve", "<c>": "Cy"}
	reference := func(ids []byte) string {
		b := []byte("build\x00")
		b = append(b, ids...)
		b = append(b, 0)
		b = append(b, "g1"...)
		sum := sha256.Sum256(appendDecodedNames(b, ids, names))
		return hex.EncodeToString(sum[:])
	}
	var scratch []byte
	keys := map[string]string{}
	for _, ids := range [][]string{{}, {""}, {"a"}, {"a", "b"}, {"b", "a"}, {"a", "", "b"}, {`x","y`}, {"é", "a"}, {"<c>"}, {"a", "a"}} {
		raw, err := json.Marshal(ids)
		must(t, err)
		got := inputsKey(&scratch, []byte("build"), raw, "g1", names)
		if want := reference(raw); got != want {
			t.Errorf("inputsKey(%s) = %s, want %s as the JSON decoder reads it", raw, got, want)
		}
		if other, seen := keys[got]; seen {
			t.Errorf("inputsKey(%s) = inputsKey(%s)", raw, other)
		}
		keys[got] = string(raw)
	}
}

// BenchmarkInputsKey is the key of an article naming three people, as the
// index phase computes one for every stored article.
func BenchmarkInputsKey(b *testing.B) {
	names := map[string]string{"scott-bessent": "Scott Bessent", "he-lifeng": "He Lifeng", "jamieson-greer": "Jamieson Greer"}
	ids := []byte(`["scott-bessent","he-lifeng","jamieson-greer","scott-bessent"]`)
	code := bytes.Repeat([]byte{7}, 32)
	var scratch []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(ids)))
	for b.Loop() {
		inputsKey(&scratch, code, ids, "copy-group", names)
	}
}
