package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/trawlnews/trawl"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// record is one line of a JSONL input, in the shape of
// ../shared/eval/FORMAT.md. Other fields (gold mentions...) are ignored.
type record struct {
	ID        json.RawMessage `json:"id"`
	Text      json.RawMessage `json:"text"`
	Published json.RawMessage `json:"published"`
	Title     json.RawMessage `json:"title"`
	Source    json.RawMessage `json:"source"`
	Author    json.RawMessage `json:"author"`
	URL       json.RawMessage `json:"url"`
}

// readJSONL reads one article per line of r, the contents of the JSONL file
// name. Blank lines are ignored. A bad line (invalid JSON, a missing or
// mistyped field, an id seen before in the file) becomes a problem naming the
// file and line, and reading goes on. err is set when r as a whole cannot
// be read or is binary. Text is taken exactly as in the record; Hash is the
// SHA-256 of the line's bytes without its line end.
func readJSONL(name string, r io.Reader, opts Options) (arts []trawl.Article, problems []error, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(8 << 10)
	enc := EncUTF8
	switch {
	case bytes.HasPrefix(head, bomUTF16LE):
		enc = EncUTF16LE
		br = bufio.NewReaderSize(transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), 64<<10)
	case bytes.HasPrefix(head, bomUTF16BE):
		enc = EncUTF16BE
		br = bufio.NewReaderSize(transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), 64<<10)
	default:
		if kind := sniffBinary(head); kind != "" {
			return nil, nil, notArticle{fmt.Errorf("corpus: %s: binary file (%s), skipped", name, kind)}
		}
		if bytes.HasPrefix(head, bomUTF8) {
			br.Discard(len(bomUTF8))
		}
	}
	limit := opts.maxFileSize()
	var read int64
	firstLine := map[string]int{}
	for lineNo := 1; ; lineNo++ {
		line, rerr := br.ReadBytes('\n')
		read += int64(len(line))
		if read > limit {
			return arts, problems, fmt.Errorf("corpus: read %s: %s", name, tooBig(read, limit))
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) > 0 {
			art, perr := parseRecord(line, opts)
			if perr == nil {
				if first, dup := firstLine[art.ID]; dup {
					perr = fmt.Errorf("duplicate id %q (first on line %d)", art.ID, first)
				} else {
					firstLine[art.ID] = lineNo
				}
			}
			if perr != nil {
				problems = append(problems, fmt.Errorf("corpus: %s line %d: %w", name, lineNo, perr))
			} else {
				art.Path, art.Line, art.Encoding = name, lineNo, enc
				arts = append(arts, art)
				if art.PublishedNote != "" {
					date := art.Published
					if date == "" {
						date = "unknown"
					}
					problems = append(problems, fmt.Errorf("corpus: %s line %d: %s; kept, published date %s", name, lineNo, art.PublishedNote, date))
				}
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return arts, problems, fmt.Errorf("corpus: read %s: %w", name, unwrapPath(rerr))
		}
	}
	return arts, problems, nil
}

// parseRecord turns one JSONL line into an article.
func parseRecord(line []byte, opts Options) (trawl.Article, error) {
	var rec record
	if err := json.Unmarshal(line, &rec); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field == "" {
			return trawl.Article{}, fmt.Errorf("not a JSON object but %s", typeErr.Value)
		}
		return trawl.Article{}, fmt.Errorf("invalid JSON: %w", err)
	}
	id, err := stringField("id", rec.ID, true)
	if err != nil {
		return trawl.Article{}, err
	}
	text, err := stringField("text", rec.Text, true)
	if err != nil {
		return trawl.Article{}, err
	}
	if strings.TrimSpace(text) == "" {
		return trawl.Article{}, errors.New(`empty "text"`)
	}
	art := trawl.Article{ID: id, Text: text, Hash: Hash(line)}
	for _, f := range []struct {
		name string
		raw  json.RawMessage
		dst  *string
	}{
		{"title", rec.Title, &art.Title},
		{"source", rec.Source, &art.Source},
		{"author", rec.Author, &art.Author},
		{"url", rec.URL, &art.URL},
	} {
		if *f.dst, err = stringField(f.name, f.raw, false); err != nil {
			return trawl.Article{}, err
		}
	}
	published, err := stringField("published", rec.Published, false)
	if err != nil {
		return trawl.Article{}, err
	}
	var notes []string
	if published != "" {
		if d, ok := parseDate(published); ok {
			art.Published, art.PublishedSource = d, trawl.PublishedRecord
		} else {
			notes = append(notes, dateNote("published field", published))
		}
	}
	settleDate(&art, opts, notes)
	settleTitle(&art, trawl.TitleRecord)
	return art, nil
}

// stringField decodes a string field of a record. A required field must be
// present and not empty; null counts as absent.
func stringField(name string, raw json.RawMessage, required bool) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		if required {
			return "", fmt.Errorf("missing %q", name)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%q is %s, not a string", name, jsonKind(raw))
	}
	if required && s == "" {
		return "", fmt.Errorf("empty %q", name)
	}
	return s, nil
}

// jsonKind names the JSON type of a raw value.
func jsonKind(raw json.RawMessage) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	default:
		return "a number"
	}
}
