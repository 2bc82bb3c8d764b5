// Package corpus reads folders and files of raw news articles into
// trawl.Article values: it finds the files (Walk), decodes them (UTF-8,
// UTF-16, windows-1252), splits off an optional header block, settles the
// publication date and hashes the raw bytes. It extracts nothing.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
)

// DefaultMaxFileSize is the size above which files are skipped when
// Options.MaxFileSize is zero.
const DefaultMaxFileSize = 20 << 20

// Options tunes reading. Zero value: no fallback date, MaxFileSize 20 MB.
type Options struct {
	Published   string // fallback publication date YYYY-MM-DD (the --published flag); "" = none
	MaxFileSize int64  // files above this are skipped with a reason; 0 means 20<<20
	// FollowSymlinks follows symlinks whose target is outside the walked
	// folder; by default they are skipped and reported.
	FollowSymlinks bool
}

// maxFileSize returns the effective size limit.
func (o Options) maxFileSize() int64 {
	if o.MaxFileSize <= 0 {
		return DefaultMaxFileSize
	}
	return o.MaxFileSize
}

// ErrNotArticle is wrapped by the errors of Read and Parse for a file that
// was read but holds no article: empty, binary, a header with no body, or an
// encoding trawl cannot read. Such a file is no longer an article, so an
// ingest removes what it stored of it; any other read error leaves the
// stored articles in place.
var ErrNotArticle = errors.New("not an article")

// notArticle marks err as ErrNotArticle without changing its message.
type notArticle struct{ error }

func (e notArticle) Unwrap() error { return e.error }

func (notArticle) Is(target error) bool { return target == ErrNotArticle }

// Hash returns the hex SHA-256 of raw, the content hash stored in
// Article.Hash.
func Hash(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Read reads the articles of one file found by Walk: one article for a text
// file, one per good line for a JSONL file. Bad JSONL lines are returned as
// problems naming the file and line, and the good lines are kept. err is set
// when the file as a whole cannot be used (vanished or changed since Walk
// listed it, binary, empty, unknown encoding...); it names the file.
func Read(f File, opts Options) (arts []trawl.Article, problems []error, err error) {
	fh, err := os.Open(f.Abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("corpus: read %s: file vanished since it was listed: %w", f.Rel, fs.ErrNotExist)
		}
		return nil, nil, fmt.Errorf("corpus: read %s: %w", f.Rel, unwrapPath(err))
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: read %s: %w", f.Rel, unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("corpus: read %s: not a regular file", f.Rel)
	}
	if changed(f, fi) {
		return nil, nil, fmt.Errorf("corpus: read %s: file changed since it was listed (%d bytes then, %d now)", f.Rel, f.Size, fi.Size())
	}
	limit := opts.maxFileSize()
	if fi.Size() > limit {
		return nil, nil, fmt.Errorf("corpus: read %s: %s", f.Rel, tooBig(fi.Size(), limit))
	}
	if f.Format == FormatJSONL {
		return readJSONL(f.Rel, io.LimitReader(fh, limit+1), opts)
	}
	// One read of the listed size, plus a byte to notice a file that grew.
	raw := make([]byte, fi.Size()+1)
	n, err := io.ReadFull(fh, raw)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("corpus: read %s: %w", f.Rel, unwrapPath(err))
	}
	if int64(n) != fi.Size() {
		return nil, nil, fmt.Errorf("corpus: read %s: file changed while it was read (%d bytes listed, more or fewer read)", f.Rel, fi.Size())
	}
	raw = raw[:n]
	art, err := Parse(f.Rel, raw, opts)
	if err != nil {
		return nil, nil, err
	}
	art.Path = f.Rel
	return []trawl.Article{art}, keptNotes(f.Rel, raw, art), nil
}

// keptNotes are the problems of a text article that was kept all the same:
// bytes that are not UTF-8 in an otherwise UTF-8 file, and a date that was
// given but could not be read. They name the file, so the user can fix it.
func keptNotes(rel string, raw []byte, art trawl.Article) []error {
	var notes []error
	if art.Encoding == EncMixed {
		at := 0
		for at < len(raw) {
			r, size := utf8.DecodeRune(raw[at:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			at += size
		}
		notes = append(notes, fmt.Errorf("corpus: %s: invalid UTF-8 at byte %d; kept, with the stray bytes read as windows-1252", rel, at))
	}
	if art.PublishedNote != "" {
		date := art.Published
		if date == "" {
			date = "unknown"
		}
		notes = append(notes, fmt.Errorf("corpus: %s: %s; kept, published date %s", rel, art.PublishedNote, date))
	}
	return notes
}

// changed reports whether the file differs from what Walk listed. A File
// built by hand, without a ModTime, is never considered changed.
func changed(f File, fi fs.FileInfo) bool {
	if f.ModTime.IsZero() {
		return false
	}
	return fi.Size() != f.Size || !fi.ModTime().Equal(f.ModTime)
}

// unwrapPath drops the *fs.PathError wrapper, whose message repeats the
// absolute path, so the error names the file once, by its relative path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse reads one text article from raw bytes (a file's contents or stdin):
// it decodes them, splits off the header block and settles the publication
// date. id becomes Article.ID and names the article in errors.
func Parse(id string, raw []byte, opts Options) (trawl.Article, error) {
	text, enc, err := decode(raw)
	if err != nil {
		return trawl.Article{}, notArticle{fmt.Errorf("corpus: %s: %w", id, err)}
	}
	if strings.TrimSpace(text) == "" {
		return trawl.Article{}, notArticle{fmt.Errorf("corpus: %s: empty file", id)}
	}
	h := parseHeader(text)
	body := text[h.length:]
	if h.length > 0 && strings.TrimSpace(body) == "" {
		return trawl.Article{}, notArticle{fmt.Errorf("corpus: %s: header but no body", id)}
	}
	art := trawl.Article{
		ID:         id,
		Title:      h.fields["title"],
		Source:     h.fields["source"],
		Author:     h.fields["author"],
		URL:        h.fields["url"],
		Text:       body,
		BodyOffset: h.length,
		Encoding:   enc,
		Hash:       Hash(raw),
	}
	var notes []string
	if key, value := h.date(); value != "" {
		if d, ok := parseDate(value); ok {
			art.Published, art.PublishedSource = d, trawl.PublishedHeader
		} else {
			notes = append(notes, dateNote(key+" header", value))
		}
	}
	settleDate(&art, opts, notes)
	settleTitle(&art, trawl.TitleHeader)
	return art, nil
}

// settleTitle sets TitleSource: given (TitleHeader or TitleRecord) when the
// header or record named a title, else TitleFirstLine when the first line
// of the text is a title (firstLineTitle), else TitleFileName, with Title
// left empty: the article's id, its file name, stands in for it.
func settleTitle(art *trawl.Article, given string) {
	switch {
	case art.Title != "":
		art.TitleSource = given
	default:
		if t := firstLineTitle(art.Text); t != "" {
			art.Title, art.TitleSource = t, trawl.TitleFirstLine
		} else {
			art.TitleSource = trawl.TitleFileName
		}
	}
}

// settleDate fills in Published from the fallbacks that come after the
// header or record: the --published flag, then a dateline or date line at
// the top of the text (topDate). An article with none of these is undated:
// no date is guessed from its body. notes explain values that were given
// but could not be used.
func settleDate(art *trawl.Article, opts Options, notes []string) {
	if art.Published == "" && opts.Published != "" {
		if d, ok := parseDate(opts.Published); ok {
			art.Published, art.PublishedSource = d, trawl.PublishedFlag
		} else {
			notes = append(notes, dateNote("--published", opts.Published))
		}
	}
	if art.Published == "" {
		if d, src, ok := topDate(art.Text); ok {
			art.Published, art.PublishedSource = d, src
		}
	}
	if art.Published == "" {
		art.PublishedSource = trawl.PublishedUnknown
	}
	art.PublishedNote = strings.Join(notes, "; ")
}
