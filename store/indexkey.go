package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// The indexed bucket records, for each article the index holds, the digest
// of its document (index.Doc.Digest, digestLen hex digits) and, after it,
// the key of what the document was built from (inputsKey, as many again).
// The key lets a refresh pass over an article without reading it: its
// document is the same when the stored article, its entity ids, its copy
// group, its people's canonical names and the code that builds documents
// are. A record of the digest alone (a store of an earlier version, or one
// whose article Commit rewrote since) has the article read, and its
// document built and compared by digest as before.
const digestLen = 2 * sha256.Size

// inputsKey is the key of the document of an article whose PERSON mentions
// carry the entity ids ids (as personEntities encodes them), in copy group
// copyGroup, with the canonical names names, built by the code code
// (codeIdentity): a hex SHA-256 of them all. The article itself is not in
// it: Commit drops the key of every article it writes (dropInputsKey).
// scratch is working memory a caller keeps from one call to the next.
func inputsKey(scratch *[]byte, code, ids []byte, copyGroup string, names map[string]string) string {
	b := append((*scratch)[:0], code...)
	b = append(b, 0)
	b = append(b, ids...)
	b = append(b, 0)
	b = append(b, copyGroup...)
	inner, plain := plainList(ids)
	switch {
	case string(ids) == "[]": // no people
	case plain:
		// Most lists: cut without a JSON decoder (half of the keys' cost).
		for {
			id, rest, more := bytes.Cut(inner, []byte(`","`))
			b = append(b, 0)
			b = append(b, names[string(id)]...)
			if !more {
				break
			}
			inner = rest
		}
	default:
		b = appendDecodedNames(b, ids, names)
	}
	*scratch = b
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// appendDecodedNames appends to b, for each id of the JSON list ids, a zero
// byte and the id's name in names, as a JSON decoder reads the list.
func appendDecodedNames(b, ids []byte, names map[string]string) []byte {
	var list []string
	if json.Unmarshal(ids, &list) == nil {
		for _, id := range list {
			b = append(b, 0)
			b = append(b, names[id]...)
		}
	}
	return b
}

// plainList returns what lies between the first and last quotes of a JSON
// list of one or more strings that holds no escape (`["a","b"]` gives
// `a","b`), and false for anything else.
func plainList(raw []byte) ([]byte, bool) {
	if len(raw) < 4 || string(raw[:2]) != `["` || string(raw[len(raw)-2:]) != `"]` || bytes.IndexByte(raw, '\\') >= 0 {
		return nil, false
	}
	return raw[2 : len(raw)-2], true
}

// codeIdentity identifies the code that builds index documents: the
// SHA-256 of the running executable, read once (some 30 ms), or nil where
// it cannot be read, and then no key is recorded. Any new build of trawl
// has each article read once more by its first refresh, which rewrites only
// the documents that came out different. A variable so that tests can
// stand for a new build.
var codeIdentity = sync.OnceValue(func() []byte {
	path, err := os.Executable()
	if err != nil {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil
	}
	return h.Sum(nil)
})

// dropInputsKey keeps of the indexed record of article id its digest
// alone, so that the next refresh reads the article (Commit has just
// written it) and compares its document by digest.
func dropInputsKey(indexed *bolt.Bucket, id string) error {
	v := indexed.Get([]byte(id))
	if len(v) <= digestLen {
		return nil
	}
	// A value read from the bucket lives in the map, which a write may
	// move: it is copied before it is written back.
	return indexed.Put([]byte(id), slices.Clone(v[:digestLen]))
}
