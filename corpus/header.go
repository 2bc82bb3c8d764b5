package corpus

import (
	"strings"
)

// headerKeys are the keys a header block may hold, lower-case, mapped to the
// name used in messages.
var headerKeys = map[string]string{
	"title":     "Title",
	"published": "Published",
	"date":      "Date",
	"source":    "Source",
	"author":    "Author",
	"url":       "URL",
}

// maxHeaderLine is the longest line taken as a header line: a longer
// "Source: ..." line is a sentence of the article, not metadata.
const maxHeaderLine = 300

// maxFrontMatter is the most lines searched for the closing "---" of YAML
// front matter.
const maxFrontMatter = 100

// header is the metadata block at the top of a text article.
type header struct {
	// length is the byte length of the block in the decoded text, including
	// the blank lines that end it; 0 when there is no header.
	length int
	// fields maps lower-case keys to their values, first occurrence wins.
	fields map[string]string
}

// date returns the key (as named in messages) and value of the date field:
// Published, else Date.
func (h header) date() (key, value string) {
	if v := h.fields["published"]; v != "" {
		return "Published", v
	}
	if v := h.fields["date"]; v != "" {
		return "Date", v
	}
	return "", ""
}

// parseHeader finds the header block at the very top of text: YAML front
// matter between "---" lines, or lines "Key: value" with known keys (case
// insensitive) ended by a blank line or the end of the text. A block with
// any other line is not a header and stays part of the text.
func parseHeader(text string) header {
	if h, ok := frontMatter(text); ok {
		return h
	}
	h := header{fields: map[string]string{}}
	pos := 0
	for pos < len(text) {
		line, next := nextLine(text, pos)
		if strings.TrimSpace(line) == "" {
			if pos == 0 {
				return header{}
			}
			break
		}
		key, value, ok := headerLine(line)
		if !ok {
			return header{}
		}
		if _, dup := h.fields[key]; !dup && value != "" {
			h.fields[key] = value
		}
		pos = next
	}
	h.length = skipBlankLines(text, pos)
	return h
}

// frontMatter parses YAML front matter: a first line "---", lines
// "key: value" (unknown keys, comments, list items and indented
// continuations are allowed and ignored), and a closing "---" or "...".
func frontMatter(text string) (header, bool) {
	line, pos := nextLine(text, 0)
	if strings.TrimRight(line, " \t") != "---" {
		return header{}, false
	}
	h := header{fields: map[string]string{}}
	for n := 0; n < maxFrontMatter && pos < len(text); n++ {
		line, next := nextLine(text, pos)
		pos = next
		trimmed := strings.TrimRight(line, " \t")
		if trimmed == "---" || trimmed == "..." {
			h.length = skipBlankLines(text, pos)
			return h, true
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || line[0] == ' ' || line[0] == '\t' || strings.HasPrefix(trimmed, "- ") {
			continue
		}
		i := strings.IndexByte(line, ':')
		if i <= 0 || !isKey(line[:i]) {
			return header{}, false
		}
		key := strings.ToLower(strings.TrimSpace(line[:i]))
		value := unquote(strings.TrimSpace(line[i+1:]))
		if _, known := headerKeys[key]; known {
			if _, dup := h.fields[key]; !dup && value != "" {
				h.fields[key] = value
			}
		}
	}
	return header{}, false
}

// headerLine splits a "Key: value" line with a known key.
func headerLine(line string) (key, value string, ok bool) {
	if len(line) > maxHeaderLine {
		return "", "", false
	}
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	key = strings.ToLower(strings.TrimSpace(line[:i]))
	if _, known := headerKeys[key]; !known || strings.TrimSpace(line[:i]) != line[:i] {
		return "", "", false
	}
	return key, strings.TrimSpace(line[i+1:]), true
}

// isKey reports whether s looks like a YAML mapping key.
func isKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == ' ' || r == '.') {
			return false
		}
	}
	return true
}

// unquote strips YAML quotes from a scalar and drops a trailing comment from
// an unquoted one.
func unquote(v string) string {
	if len(v) >= 2 {
		switch {
		case v[0] == '"' && v[len(v)-1] == '"':
			return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(v[1 : len(v)-1])
		case v[0] == '\'' && v[len(v)-1] == '\'':
			return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}

// nextLine returns the line starting at pos, without its newline, and the
// position after the newline.
func nextLine(text string, pos int) (line string, next int) {
	i := strings.IndexByte(text[pos:], '\n')
	if i < 0 {
		return text[pos:], len(text)
	}
	return text[pos : pos+i], pos + i + 1
}

// skipBlankLines returns the position after the blank (whitespace-only)
// lines starting at pos.
func skipBlankLines(text string, pos int) int {
	for pos < len(text) {
		line, next := nextLine(text, pos)
		if strings.TrimSpace(line) != "" {
			break
		}
		pos = next
	}
	return pos
}
