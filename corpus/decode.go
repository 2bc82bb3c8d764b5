package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// The values of Article.Encoding.
const (
	EncUTF8        = "utf-8"
	EncUTF16LE     = "utf-16le"
	EncUTF16BE     = "utf-16be"
	EncWindows1252 = "windows-1252"
	// EncMixed is a UTF-8 file with a few stray bytes that are not UTF-8;
	// they are decoded as windows-1252 (smart quotes pasted from Word).
	EncMixed = "utf-8+windows-1252"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// magics are the leading bytes of binary formats people drop into article
// folders by mistake.
var magics = []struct {
	prefix, kind string
}{
	{"\x89PNG\r\n\x1a\n", "PNG image"},
	{"%PDF-", "PDF document"},
	{"PK\x03\x04", "zip archive"},
	{"PK\x05\x06", "zip archive"},
	{"PK\x07\x08", "zip archive"},
	{"\x1f\x8b", "gzip archive"},
	{"\xff\xd8\xff", "JPEG image"},
	{"GIF87a", "GIF image"},
	{"GIF89a", "GIF image"},
	{"II*\x00", "TIFF image"},
	{"MM\x00*", "TIFF image"},
	{"\x7fELF", "ELF executable"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"},
	{"\xfd7zXZ\x00", "xz archive"},
	{"7z\xbc\xaf\x27\x1c", "7-zip archive"},
	{"\x28\xb5\x2f\xfd", "zstd archive"},
	{"SQLite format 3\x00", "SQLite database"},
}

// errUnknownEncoding is returned for bytes that are neither UTF-8, UTF-16
// with a byte order mark, nor plausibly windows-1252.
var errUnknownEncoding = errors.New("unknown encoding (not UTF-8, UTF-16 or windows-1252), skipped")

// sniffBinary names the binary format of raw, or returns "" for what may be
// text. It looks at the leading magic number and at the share of control
// bytes: more than 1% NUL bytes, or more than 5% C0 control bytes other than
// tab, newline, vertical tab, form feed, carriage return and escape, is
// binary. A few stray NUL bytes in text are stripped by decode instead.
func sniffBinary(raw []byte) string {
	for _, m := range magics {
		if bytes.HasPrefix(raw, []byte(m.prefix)) {
			return m.kind
		}
	}
	if bytes.HasPrefix(raw, []byte("RIFF")) && len(raw) >= 12 && string(raw[8:12]) == "WEBP" {
		return "WebP image"
	}
	nul, ctrl := 0, 0
	for _, b := range raw {
		switch {
		case b == 0:
			nul++
			ctrl++
		case b < 0x20 && b != '\t' && b != '\n' && b != '\v' && b != '\f' && b != '\r' && b != 0x1b && b != 0x1a:
			ctrl++
		}
	}
	switch {
	case nul*100 > len(raw):
		return "contains NUL bytes"
	case ctrl*20 > len(raw):
		return "control characters"
	}
	return ""
}

// decode turns the raw bytes of a text file into valid UTF-8 with LF line
// ends and names the encoding it read. UTF-8 (with or without BOM) and
// UTF-16 with a BOM are decoded as such; UTF-16 without a BOM is recognised
// by its NUL bytes. Otherwise invalid UTF-8 is read as windows-1252 when the
// file has no valid multi-byte UTF-8 or fewer of them than bad bytes, and as
// UTF-8 with its bad bytes decoded one by one as windows-1252 (EncMixed)
// when it is mostly UTF-8. Stray NUL bytes and a trailing DOS end-of-file
// mark (0x1A) are removed.
func decode(raw []byte) (string, string, error) {
	var (
		text string
		enc  string
	)
	switch {
	case bytes.HasPrefix(raw, bomUTF16LE) && !bytes.HasPrefix(raw, []byte{0xFF, 0xFE, 0, 0}):
		text, enc = decodeUTF16(raw, unicode.LittleEndian, unicode.ExpectBOM), EncUTF16LE
	case bytes.HasPrefix(raw, bomUTF16BE):
		text, enc = decodeUTF16(raw, unicode.BigEndian, unicode.ExpectBOM), EncUTF16BE
	default:
		if kind := sniffBinary(raw); kind != "" {
			if e, ok := guessUTF16(raw); ok && kind == "contains NUL bytes" {
				text, enc = decodeUTF16(raw, e, unicode.IgnoreBOM), EncUTF16LE
				if e == unicode.BigEndian {
					enc = EncUTF16BE
				}
				break
			}
			return "", "", fmt.Errorf("binary file (%s), skipped", kind)
		}
		raw = bytes.TrimPrefix(raw, bomUTF8)
		var err error
		text, enc, err = decode8(raw)
		if err != nil {
			return "", "", err
		}
	}
	if enc == EncUTF16LE || enc == EncUTF16BE {
		text = strings.TrimPrefix(text, "\uFEFF")
		if nul := strings.Count(text, "\x00"); nul*100 > len(text) {
			return "", "", errors.New("binary file (contains NUL characters), skipped")
		}
	}
	return normalize(text), enc, nil
}

// decode8 decodes bytes that are not UTF-16: UTF-8, windows-1252, or UTF-8
// with stray windows-1252 bytes.
func decode8(raw []byte) (string, string, error) {
	if utf8.Valid(raw) {
		return string(raw), EncUTF8, nil
	}
	multi, bad, high := 0, 0, 0
	for i := 0; i < len(raw); {
		if raw[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
			high++
		} else {
			multi++
			high += size
		}
		i += size
	}
	// One valid multi-byte sequence is enough to call a file UTF-8: text
	// in windows-1252 rarely forms one, while a UTF-8 file with a few stray
	// bytes read wholly as windows-1252 turns every accented letter into
	// two ("café" into "cafÃ©"). The stray bytes are reported (keptNotes).
	if multi > 0 {
		return windows1252(raw, true), EncMixed, nil
	}
	// Western text in windows-1252 has a few accented letters and
	// punctuation marks; a high share of bytes above 0x7F means another
	// legacy encoding (a CJK or Cyrillic one), which would come out as
	// mojibake.
	if high*10 > len(raw)*3 {
		return "", "", errUnknownEncoding
	}
	return windows1252(raw, false), EncWindows1252, nil
}

// windows1252 decodes raw as windows-1252. With keepUTF8, valid multi-byte
// UTF-8 sequences are kept and only the bytes that are not UTF-8 are
// decoded. Bytes windows-1252 leaves undefined become U+FFFD.
func windows1252(raw []byte, keepUTF8 bool) string {
	var sb strings.Builder
	sb.Grow(len(raw) + len(raw)/8)
	for i := 0; i < len(raw); {
		b := raw[i]
		if b < utf8.RuneSelf {
			sb.WriteByte(b)
			i++
			continue
		}
		if keepUTF8 {
			if r, size := utf8.DecodeRune(raw[i:]); r != utf8.RuneError || size > 1 {
				sb.Write(raw[i : i+size])
				i += size
				continue
			}
		}
		sb.WriteRune(charmap.Windows1252.DecodeByte(b))
		i++
	}
	return sb.String()
}

// decodeUTF16 decodes UTF-16; unpaired surrogates and an odd trailing byte
// become U+FFFD.
func decodeUTF16(raw []byte, e unicode.Endianness, bom unicode.BOMPolicy) string {
	out, err := unicode.UTF16(e, bom).NewDecoder().Bytes(raw)
	if err != nil {
		return strings.ToValidUTF8(string(out), "\uFFFD")
	}
	return string(out)
}

// guessUTF16 recognises UTF-16 without a byte order mark: mostly-ASCII
// text whose every other byte is NUL.
func guessUTF16(raw []byte) (unicode.Endianness, bool) {
	sample := raw
	if len(sample) > 4096 {
		sample = sample[:4096]
	}
	pairs := len(sample) / 2
	if pairs < 2 {
		return unicode.BigEndian, false
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(sample); i += 2 {
		if sample[i] == 0 {
			even++
		}
		if sample[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*10 >= pairs*6 && even*20 <= pairs:
		return unicode.LittleEndian, true
	case even*10 >= pairs*6 && odd*20 <= pairs:
		return unicode.BigEndian, true
	}
	return unicode.BigEndian, false
}

// normalize turns CRLF and lone CR line ends into LF, drops NUL bytes and a
// trailing DOS end-of-file mark, and guarantees valid UTF-8.
func normalize(s string) string {
	s = strings.TrimRight(s, "\x1a")
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
