package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFileRecordCodec: a file record comes back from its binary form and
// from the JSON of older stores with the same values (times as the same
// instants), whichever fields are empty; and every field of FileRecord is
// encoded (a new field fails here until the codec writes it).
func TestFileRecordCodec(t *testing.T) {
	mtime := time.Date(2024, 5, 1, 10, 30, 15, 123456789, time.FixedZone("CEST", 2*3600))
	full := FileRecord{
		Hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Size: 81234,
		ModTime: mtime, IDs: []string{"a.txt", "a.txt#2"}, Read: mtime.Add(3 * time.Second),
		Refused: []string{"b.txt"},
	}
	if n := reflect.TypeOf(full).NumField(); n != 7 {
		t.Fatalf("FileRecord has %d fields: encode the new one in encodeFileRecord and count it here", n)
	}
	for _, rec := range []FileRecord{full, {Hash: full.Hash, Size: 0, ModTime: mtime}, {}, {IDs: []string{}, Refused: []string{"x"}}} {
		var got FileRecord
		if err := decodeFileRecord(encodeFileRecord(&rec), &got); err != nil {
			t.Fatalf("%+v: %v", rec, err)
		}
		if diff := cmp.Diff(rec, got); diff != "" {
			t.Errorf("binary round trip (-want +got):\n%s", diff)
		}
		js, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var old FileRecord
		if err := decodeFileRecord(js, &old); err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		want := rec
		if len(want.Refused) == 0 {
			want.Refused = nil // omitempty
		}
		if diff := cmp.Diff(want, old); diff != "" {
			t.Errorf("JSON record %s (-want +got):\n%s", js, diff)
		}
	}
	if err := decodeFileRecord(append(encodeFileRecord(&full), 7), new(FileRecord)); err == nil {
		t.Error("a record with a trailing byte decodes without error")
	}
}
