package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/dedup"
)

// The near-duplicate state of a store: each article's MinHash signature,
// kept with the content hash it was computed from, so that a refresh signs
// only the new and changed articles and compares them with the stored
// signatures; and the groups of copies the last refresh found.
var (
	bucketSignatures = []byte("signatures") // article id -> content hash, NUL, dedup signature
	keyCopies        = []byte("copies")     // in bucketResults: the []dedup.Group of the last refresh
)

// signatures collects the signature of every stored article in a pass of
// its own before the articles are read for reconciliation (loadSignatures),
// signing only those whose stored signature is missing or was computed from
// other content. The stored signatures are read with a cursor beside the
// articles, both in id order, so that the ones whose article is gone are
// found in the same pass (stale) and the pages read are counted (mapped):
// a scan of its own, in saveSignatures' write transaction, held the whole
// bucket resident until its commit (386 MB of mapped pages at 50x, 1.1 GB at
// 200x, the peak of a 200x ingest).
type signatures struct {
	stored *bolt.Cursor
	at     []byte // the key at stored, nil past its end
	atVal  []byte
	mapped *mappedReads
	// fresh are the signatures made by this refresh, of articles whose
	// stored signature was missing or made from other content, to be
	// stored: the others are read again from the store when the copies are
	// grouped (storedSignatures), not held.
	fresh map[string]freshSignature
	// stale are the ids of stored signatures whose article is no longer
	// stored, in id order.
	stale [][]byte
}

// freshSignature is a signature made by a refresh and the content hash of
// the text it was made from.
type freshSignature struct {
	hash string
	sig  dedup.Signature
}

func newSignatures(tx *bolt.Tx, mapped *mappedReads) *signatures {
	sg := &signatures{stored: tx.Bucket(bucketSignatures).Cursor(), mapped: mapped, fresh: map[string]freshSignature{}}
	sg.at, sg.atVal = sg.stored.First()
	return sg
}

// upTo moves the cursor of stored signatures to the first id not below
// id, recording the ids it passes as stale, and returns the stored value of
// id, nil when there is none.
func (sg *signatures) upTo(id []byte) []byte {
	for sg.at != nil && bytes.Compare(sg.at, id) < 0 {
		sg.stale = append(sg.stale, slices.Clone(sg.at))
		sg.next()
	}
	if sg.at == nil || !bytes.Equal(sg.at, id) {
		return nil
	}
	raw := sg.atVal
	sg.next()
	return raw
}

func (sg *signatures) next() {
	sg.mapped.read(len(sg.at) + len(sg.atVal))
	sg.at, sg.atVal = sg.stored.Next()
}

// add checks the stored signature of the article stored under key, read
// only as far as signing needs (see signingFields): its id, content hash
// and text, slices of the stored record. A signature missing, or made from
// other content, is made again (fresh). Articles come in key order.
func (sg *signatures) add(key []byte, id string, hash, text []byte) error {
	if raw := sg.upTo(key); raw != nil && id == string(key) {
		if h, enc, ok := bytes.Cut(raw, []byte{0}); ok && bytes.Equal(h, hash) && len(hash) > 0 {
			if _, err := dedup.Unmarshal(enc); err != nil {
				return fmt.Errorf("store: signature of article %q: %w", id, err)
			}
			return nil
		}
	}
	sg.fresh[id] = freshSignature{string(hash), dedup.Sign(string(text))}
	return nil
}

// done records the stored signatures past the last article as stale.
func (sg *signatures) done() {
	for sg.at != nil {
		sg.stale = append(sg.stale, slices.Clone(sg.at))
		sg.next()
	}
}

// signingFields reads, from the stored form v of an article, what its
// signature needs: its id, content hash and text, as slices of v, without
// decoding the rest (the mentions above all). Articles stored as JSON by
// older versions are decoded whole.
func signingFields(v []byte) (id string, hash, text []byte, err error) {
	if len(v) == 0 || v[0] != articleCodec {
		var a trawl.Article
		if err := decodeArticle(v, &a); err != nil {
			return "", nil, nil, err
		}
		return strings.Clone(a.ID), []byte(a.Hash), []byte(a.Text), nil
	}
	// The fields in the order encodeArticle writes them, up to the hash.
	d := articleDecoder{b: v[1:]}
	text = d.bytes()
	id = string(d.bytes())
	d.bytes() // path
	d.int()   // line
	for range 8 {
		d.bytes() // title, source, author, URL, title source, published, its source and note
	}
	d.int()   // body offset
	d.bytes() // encoding
	hash = d.bytes()
	if d.err != nil {
		return "", nil, nil, d.err
	}
	return id, hash, text, nil
}

// encodeSignature is the value of the signatures bucket for the signature
// sig of an article with the content hash hash.
func encodeSignature(hash string, sig dedup.Signature) []byte {
	return append(append([]byte(hash), 0), sig.Marshal()...)
}

// saveSignatures stores the fresh signatures and drops the stale ones (see
// signatures), in one transaction; a refresh with neither writes nothing.
func (s *Store) saveSignatures(sg *signatures) error {
	if len(sg.fresh) == 0 && len(sg.stale) == 0 {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSignatures)
		for _, id := range slices.Sorted(maps.Keys(sg.fresh)) {
			f := sg.fresh[id]
			if err := b.Put([]byte(id), encodeSignature(f.hash, f.sig)); err != nil {
				return err
			}
		}
		for _, k := range sg.stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// storedSignatures are the signatures of a store's articles, read from
// its signatures bucket in a read transaction for dedup.GroupsOf: once for
// their ids, then a few bands of every one at a time, and the two of each
// pair compared, so that the grouping never holds every signature (516
// bytes an article; 430 MB of a 200x store). The pages read are counted
// (mapped).
type storedSignatures struct {
	ctx    context.Context
	b      *bolt.Bucket
	mapped *mappedReads
	ids    []string
	rows   []uint32
}

// IDs reads the ids of the articles with a valid signature, in key order.
func (ss *storedSignatures) IDs() ([]string, error) {
	ss.ids = nil
	err := ss.each(func(k, enc []byte) {
		ss.ids = append(ss.ids, string(k))
	})
	return ss.ids, err
}

// Rows reads the values at positions lo to hi of every valid signature.
func (ss *storedSignatures) Rows(lo, hi int, fn func(i int, rows []uint32)) error {
	i := 0
	return ss.each(func(_, enc []byte) {
		ss.rows = ss.rows[:0]
		for p := lo; p < hi; p++ {
			ss.rows = append(ss.rows, binary.LittleEndian.Uint32(enc[4+4*p:]))
		}
		fn(i, ss.rows)
		i++
	})
}

// Signature reads the signature of the i-th article of IDs.
func (ss *storedSignatures) Signature(i int) (dedup.Signature, error) {
	id := ss.ids[i]
	raw := ss.b.Get([]byte(id))
	ss.mapped.readScattered(len(raw))
	_, enc, _ := bytes.Cut(raw, []byte{0})
	sig, err := dedup.Unmarshal(enc)
	if err != nil {
		return sig, fmt.Errorf("store: signature of article %q: %w", id, err)
	}
	return sig, nil
}

// each calls fn with the key and encoded signature of every valid stored
// signature, in key order, stopping when ss.ctx is done.
func (ss *storedSignatures) each(fn func(k, enc []byte)) error {
	return ss.b.ForEach(func(k, v []byte) error {
		if err := ss.ctx.Err(); err != nil {
			return err
		}
		ss.mapped.read(len(k) + len(v))
		if _, enc, ok := bytes.Cut(v, []byte{0}); ok && dedup.Valid(enc) {
			fn(k, enc)
		}
		return nil
	})
}

// faultAround is how much of a mapped file a read fault maps at once on
// Linux (fault_around_bytes, 64 kB by default).
const faultAround = 64 << 10

// groupMappedAbove is how much of the mapped files may be resident while
// copyGroups reads the signatures before their pages are released: the
// grouping reads every signature once per pass of dedup.BandsPerPass bands
// (eight passes) and those it compares out of order, and a release every
// releaseEvery made each pass fault every page in again: at 50x 3.1 of the
// grouping's 5.0 CPU-s were page faults. Over 113 MB of other mapped files
// (the binary's among them), the signatures of a 50x store made 180 MB
// resident by three quarters of one pass. At 200x, sampled every 5 s, the
// resident mapped files reached 549 MB and the process 971 MB while the
// copies were grouped, against a peak of 1,383 MB later, in
// reconciliation, which starts after copyGroups releases the pages.
// Scattered reads may map four times what they count (readScattered)
// between two looks, so the resident pages should stay under 640 MB.
const groupMappedAbove = 512 << 20

// copyGroups groups the stored articles' near-duplicates from their stored
// signatures (saveSignatures has written this refresh's).
func (s *Store) copyGroups(ctx context.Context) ([]dedup.Group, error) {
	var gs []dedup.Group
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		mapped := s.mappedReads()
		mapped.above = groupMappedAbove
		gs, err = dedup.GroupsOf(&storedSignatures{ctx: ctx, b: tx.Bucket(bucketSignatures), mapped: mapped})
		return err
	})
	releaseMapped(s.dir)
	return gs, err
}

// Copies returns the groups of near-duplicate articles (see package dedup)
// that the last refresh found, sorted by id; the copies of a group count as
// one source in the discrepancies and are one hit in search.
func (s *Store) Copies() ([]dedup.Group, error) {
	var gs []dedup.Group
	return gs, s.result(keyCopies, &gs)
}

// copyGroupsTx maps each article of a copy group to the group's id, as the
// last refresh recorded them; nil when there are none or they cannot be
// read (an article then shows no copies).
func copyGroupsTx(tx *bolt.Tx) map[string]string {
	r := tx.Bucket(bucketResults)
	if r == nil {
		return nil
	}
	var gs []dedup.Group
	if raw := r.Get(keyCopies); raw == nil || json.Unmarshal(raw, &gs) != nil {
		return nil
	}
	return dedup.Of(gs)
}

// encodeCopies encodes the groups for the results bucket.
func encodeCopies(gs []dedup.Group) ([]byte, error) {
	if gs == nil {
		gs = []dedup.Group{}
	}
	return json.Marshal(gs)
}
