package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEscapeControls(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain\ttext\n", "plain\ttext\n"},
		{"\x1b[2J\x1b]0;title\x07", `\u001b[2J\u001b]0;title\u0007`},
		{"a\rb\x7fc", `a\u000db\u007fc`},
		{"csi \u009b2J", `csi \u009b2J`},
		{"café – ok", "café – ok"},
	} {
		if got := string(escapeControls([]byte(tt.in))); got != tt.want {
			t.Errorf("escapeControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A C1 character split across two writes is still escaped.
	var b bytes.Buffer
	w := newSafeWriter(&b)
	w.Write([]byte("x\xc2"))
	w.Write([]byte("\x9b2J"))
	w.Flush()
	if diff := cmp.Diff(`x\u009b2J`, b.String()); diff != "" {
		t.Errorf("split C1 (-want +got):\n%s", diff)
	}
}

// TestNoControlCharactersReachTheTerminal ingests an article whose file
// name, title, source and text carry escape sequences, and checks that no
// command prints one raw, while JSON output still decodes to the text.
func TestNoControlCharactersReachTheTerminal(t *testing.T) {
	dir := t.TempDir()
	name := "evil\x1b]0;pwned\x07.txt"
	article := "Title: Tariffs \x1b[2J\x1b]52;c;ZXZpbA==\x07 cleared\nSource: Wire \u009b31m\nPublished: 2025-06-10\n\n" +
		"Treasury Secretary Scott Bessent said tariffs \x1b[31mon steel\x1b[0m rose to 50% on Monday.\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(article), 0o644); err != nil {
		t.Skipf("cannot make a file name with control characters here: %v", err)
	}
	st := filepath.Join(t.TempDir(), "store")
	for _, args := range [][]string{
		{"--store", st, "ingest", "--quiet", dir},
		{"--store", st, "search", "tariffs"},
		{"--store", st, "search", "--json", "tariffs"},
		{"--store", st, "entities"},
		{"--store", st, "discrepancies"},
		{"extract", "--format", "text", dir},
		{"extract", dir},
	} {
		out, errs, code := trawlRun(t, "", args...)
		if code != 0 {
			t.Fatalf("trawl %s: exit %d\n%s", strings.Join(args, " "), code, errs)
		}
		for _, s := range []string{out, errs} {
			if strings.ContainsAny(s, "\x1b\x07\u009b") {
				t.Errorf("trawl %s printed a raw control character:\n%q", strings.Join(args, " "), s)
			}
		}
		if args[len(args)-2] == "--json" {
			var r struct{ Hits []struct{ Title string } }
			if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Hits) == 0 || !strings.Contains(r.Hits[0].Title, "\x1b[2J") {
				t.Errorf("search --json: %v %+v; want the title decoded with its escape", err, r.Hits)
			}
		}
	}
}
