// Package lexicon is trawl's language data: the embedded word lists every
// extractor and reconciliation read, one loader for all of them, and one
// source each for titles, countries, month and weekday names and given names.
//
// A list is a data file under data/: '#' starts a comment line, blank lines
// are ignored, and every other line is one entry whose fields are separated
// by spaces or tabs. Each file names its source and licence in its header.
package lexicon

import (
	"embed"
	"io/fs"
	"strings"
	"sync"
)

//go:embed data
var dataFS embed.FS

// files maps the name of every data file to the cached fields of its lines.
var files = sync.OnceValue(func() map[string]func() [][]string {
	m := map[string]func() [][]string{}
	names, err := fs.Glob(dataFS, "data/*")
	if err != nil {
		panic("lexicon: list data files: " + err.Error())
	}
	for _, p := range names {
		name := strings.TrimPrefix(p, "data/")
		m[name] = sync.OnceValue(func() [][]string { return parse(read(name), strings.Fields) })
	}
	return m
})

// read returns the text of the data file name; the files are part of the
// binary, so a missing one is a build defect and panics.
func read(name string) string {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		panic("lexicon: read data/" + name + ": " + err.Error())
	}
	return string(b)
}

// parse splits each line of text that is neither blank nor a comment into
// fields with split.
func parse(text string, split func(string) []string) [][]string {
	var out [][]string
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		if t := strings.TrimSpace(line); t == "" || t[0] == '#' {
			continue
		}
		out = append(out, split(line))
	}
	return out
}

// Lines returns the whitespace-separated fields of every entry line of the
// data file name ("titles.txt"), in file order. The result is parsed once
// and shared: callers must not modify it. An unknown name panics, since the
// data files are part of the binary.
func Lines(name string) [][]string {
	f, ok := files()[name]
	if !ok {
		panic("lexicon: no data file " + name)
	}
	return f()
}

// Columns returns the tab-separated columns of every entry line of the data
// file name, for files whose columns hold spaces (commodities.tsv). Empty
// columns are kept.
func Columns(name string) [][]string {
	return parse(read(name), func(line string) []string { return strings.Split(line, "\t") })
}

// Set returns the entries of a one-entry-a-line data file, lower-cased in
// ASCII with their inner spaces collapsed to one.
func Set(name string) map[string]bool {
	m := map[string]bool{}
	for _, f := range Lines(name) {
		m[lowerASCII(strings.Join(f, " "))] = true
	}
	return m
}

// Words returns every word of the data file name, whatever line it is on
// (stopwords.txt lists many a line).
func Words(name string) map[string]bool {
	m := map[string]bool{}
	for _, f := range Lines(name) {
		for _, w := range f {
			m[w] = true
		}
	}
	return m
}

// Names returns the names of the embedded data files, sorted.
func Names() []string {
	names, err := fs.Glob(dataFS, "data/*")
	if err != nil {
		panic("lexicon: list data files: " + err.Error())
	}
	for i, p := range names {
		names[i] = strings.TrimPrefix(p, "data/")
	}
	return names
}

// Header returns the leading comment lines of the data file name, without
// their '#', so tests can check that each names its source and licence.
func Header(name string) []string {
	var out []string
	for line := range strings.Lines(read(name)) {
		t, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "#")
		if !ok {
			break
		}
		out = append(out, strings.TrimSpace(t))
	}
	return out
}

// lowerASCII lower-cases the ASCII letters of s and leaves other bytes as
// they are, as the extractors do when they look a word up.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
