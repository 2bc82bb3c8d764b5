package store

import (
	"encoding/json"
	"time"
)

// The encoding of the files bucket. A re-ingest of an unchanged corpus
// reads every file's record and does little else, so the record is kept
// in a binary form that decodes without encoding/json's reflection: at
// 10x, decoding the 41,560 JSON records was a sixth of the CPU of such a
// run. Records written before it (JSON objects, which start with '{') are
// still read, and rewritten in this form when their file changes.
//
// The form: fileCodec, then Hash, Size, ModTime, IDs, Read and Refused,
// with the string, int and slice encodings of the articles (codec.go). A
// time is its Unix time in nanoseconds plus one as a varint, 0 for the zero
// time; it comes back in the local zone, which no caller looks at: the
// times are only compared (time.Time.Equal, Sub).

// fileCodec is the first byte of a file record in the binary form.
const fileCodec = 0x01

// encodeFileRecord returns the stored form of rec.
func encodeFileRecord(rec *FileRecord) []byte {
	n := 48 + len(rec.Hash)
	for _, id := range rec.IDs {
		n += 2 + len(id)
	}
	for _, id := range rec.Refused {
		n += 2 + len(id)
	}
	e := articleEncoder{b: make([]byte, 0, n)}
	e.b = append(e.b, fileCodec)
	e.str(rec.Hash)
	e.int(int(rec.Size))
	e.time(rec.ModTime)
	e.strs(rec.IDs)
	e.time(rec.Read)
	e.strs(rec.Refused)
	return e.b
}

// decodeFileRecord decodes a stored file record, in either form, into rec.
func decodeFileRecord(v []byte, rec *FileRecord) error {
	if len(v) == 0 || v[0] != fileCodec {
		return json.Unmarshal(v, rec)
	}
	d := articleDecoder{b: v[1:]}
	d.head = string(d.b)
	*rec = FileRecord{
		Hash:    d.str(),
		Size:    int64(d.int()),
		ModTime: d.time(),
		IDs:     d.strs(),
		Read:    d.time(),
		Refused: d.strs(),
	}
	if d.err == nil && d.off != len(d.b) {
		d.fail("end")
	}
	return d.err
}

func (e *articleEncoder) time(t time.Time) {
	if t.IsZero() {
		e.int(0)
		return
	}
	e.int(int(t.UnixNano()) + 1)
}

func (d *articleDecoder) time() time.Time {
	n := d.int()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(n-1))
}
