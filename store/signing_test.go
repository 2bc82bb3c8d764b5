package store

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestSigningFields checks that the signature pass reads an article's id,
// hash and text as decodeArticle does, from the binary form (every field
// set, so that a field moved before the hash shows) and from the JSON of
// older stores.
func TestSigningFields(t *testing.T) {
	var a trawl.Article
	n := 0
	filled(reflect.ValueOf(&a).Elem(), &n)
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a.ID, a.Hash, a.Text}
	for name, v := range map[string][]byte{"binary": encodeArticle(&a), "json": js} {
		id, hash, text, err := signingFields(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, []string{id, string(hash), string(text)}); diff != "" {
			t.Errorf("%s: id, hash, text (-want +got):\n%s", name, diff)
		}
	}
	if _, _, _, err := signingFields(encodeArticle(&a)[:20]); err == nil {
		t.Error("a cut record: no error")
	}
}
