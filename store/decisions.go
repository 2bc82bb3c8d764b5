package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
)

// decisionsFile is the name of the user's decisions in a store directory.
const decisionsFile = "decisions.json"

// Decisions loads the user's entity decisions.
func (s *Store) Decisions() (*reconcile.Decisions, error) {
	return readDecisions(s.DecisionsPath())
}

// Decide loads the user's decisions, lets change record new ones, saves them
// atomically and re-runs reconciliation and indexing so that every report
// reflects them at once.
func (s *Store) Decide(ctx context.Context, change func(d *reconcile.Decisions, es []trawl.Entity) error) error {
	if s.readOnly {
		return errReadOnly
	}
	d, err := s.Decisions()
	if err != nil {
		return err
	}
	es, err := s.Entities()
	if err != nil {
		return err
	}
	if err := change(d, es); err != nil {
		return err
	}
	if err := writeDecisions(s.DecisionsPath(), d); err != nil {
		return err
	}
	_, err = s.Refresh(ctx)
	return err
}

// decisionsDoc is the JSON form of the decisions file:
//
//	{
//	  "decisions": [
//	    {"op": "merge", "a": "scott-bessent", "b": "Scott Besset"}
//	  ]
//	}
//
// Decisions apply in order after automatic grouping: merge A B (A and B are
// the same person), split A V (the spelling V grouped under A is someone
// else), rename A N (call A by the name N). A, B and V are entity ids or
// names; names survive new articles.
type decisionsDoc struct {
	Decisions []reconcile.Decision `json:"decisions"`
}

// readDecisions reads a decisions file; a missing file gives empty
// decisions and no error. A file whose first non-space byte is not '{' is
// read in the line format of earlier versions (see parseDecisionLines); the
// next save rewrites it as JSON.
func readDecisions(path string) (*reconcile.Decisions, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &reconcile.Decisions{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: decisions: %w", err)
	}
	return parseDecisions(path, b)
}

// parseDecisions reads the decisions file at path from its content b: JSON
// when the first non-space byte is '{', else the old line format.
// Names must be valid UTF-8, which JSON can hold unchanged.
func parseDecisions(path string, b []byte) (*reconcile.Decisions, error) {
	parse := parseDecisionLines
	if t := bytes.TrimLeftFunc(b, unicode.IsSpace); len(t) > 0 && t[0] == '{' {
		parse = parseDecisionsJSON
	}
	d, err := parse(path, b)
	if err != nil {
		return nil, err
	}
	for i, x := range d.List() {
		if !utf8.ValidString(x.A) || !utf8.ValidString(x.B) {
			return nil, fmt.Errorf("store: decisions %s: decision %d (%s): not valid UTF-8", path, i+1, x)
		}
	}
	return d, nil
}

// parseDecisionsJSON reads the JSON form of the decisions file.
func parseDecisionsJSON(path string, b []byte) (*reconcile.Decisions, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var doc decisionsDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("store: decisions %s: %w", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("store: decisions %s: data after the decisions object", path)
	}
	d := &reconcile.Decisions{}
	for i, x := range doc.Decisions {
		if err := d.Add(x); err != nil {
			return nil, fmt.Errorf("store: decisions %s: decision %d: %w", path, i+1, err)
		}
	}
	return d, nil
}

// parseDecisionLines reads the line format that decisions files had before
// they were JSON: one decision a line ("merge A B", values with spaces in
// double quotes with Go escapes), blank lines and #-comments ignored.
func parseDecisionLines(path string, b []byte) (*reconcile.Decisions, error) {
	d := &reconcile.Decisions{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		args, err := splitArgs(line)
		if err != nil {
			return nil, fmt.Errorf("store: decisions %s:%d: %w", path, n, err)
		}
		if len(args) != 3 {
			return nil, fmt.Errorf("store: decisions %s:%d: want \"merge|split|rename A B\", got %q", path, n, line)
		}
		if err := d.Add(reconcile.Decision{Op: reconcile.Op(args[0]), A: args[1], B: args[2]}); err != nil {
			return nil, fmt.Errorf("store: decisions %s:%d: want \"merge|split|rename A B\", got %q", path, n, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("store: decisions %s: %w", path, err)
	}
	return d, nil
}

// splitArgs splits a line into words; a word in double quotes may hold
// spaces and Go escapes.
func splitArgs(line string) ([]string, error) {
	var out []string
	for {
		line = strings.TrimLeftFunc(line, unicode.IsSpace)
		if line == "" {
			return out, nil
		}
		if line[0] == '"' {
			q, err := strconv.QuotedPrefix(line)
			if err != nil {
				return nil, fmt.Errorf("bad quoted value %s", line)
			}
			s, _ := strconv.Unquote(q)
			out = append(out, s)
			line = line[len(q):]
			continue
		}
		i := strings.IndexFunc(line, unicode.IsSpace)
		if i < 0 {
			i = len(line)
		}
		out = append(out, line[:i])
		line = line[i:]
	}
}

// marshalDecisions is the JSON form of d: indented, one decision after
// another in the order they apply, so that a file changes by the lines of
// the decisions that change.
func marshalDecisions(d *reconcile.Decisions) ([]byte, error) {
	doc := decisionsDoc{Decisions: d.List()}
	if doc.Decisions == nil {
		doc.Decisions = []reconcile.Decision{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeDecisions writes the decisions atomically: a temporary file in the
// same directory, synced, then renamed over path.
func writeDecisions(path string, d *reconcile.Decisions) error {
	b, err := marshalDecisions(d)
	if err != nil {
		return fmt.Errorf("store: save decisions %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("store: save decisions %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("store: save decisions %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: save decisions %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: save decisions %s: %w", path, err)
	}
	if dh, err := os.Open(dir); err == nil {
		dh.Sync() // best effort: make the rename durable
		dh.Close()
	}
	return nil
}
