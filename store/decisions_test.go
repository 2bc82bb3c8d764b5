package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
)

// someDecisions are one decision of each op, with values that need
// quoting in the old line format.
func someDecisions() *reconcile.Decisions {
	d := &reconcile.Decisions{}
	d.Merge("scott-bessent", "Scott Besset")
	d.Split("he-lifeng", `He "the pronoun"`)
	d.Rename("kim", "Kim Jong-un")
	return d
}

func TestDecisionsFileIsJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, decisionsFile)
	missing, err := readDecisions(path)
	if err != nil || len(missing.List()) != 0 {
		t.Fatalf("readDecisions(missing) = %v, %v; want empty, nil", missing.List(), err)
	}
	if err := writeDecisions(path, someDecisions()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "decisions": [
    {
      "op": "merge",
      "a": "scott-bessent",
      "b": "Scott Besset"
    },
    {
      "op": "split",
      "a": "he-lifeng",
      "b": "He \"the pronoun\""
    },
    {
      "op": "rename",
      "a": "kim",
      "b": "Kim Jong-un",
      "id": "kim"
    }
  ]
}
`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("decisions file (-want +got):\n%s", diff)
	}
	got, err := readDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(someDecisions().List(), got.List()); diff != "" {
		t.Errorf("save and load (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files after a save, want 1 (no temp file left)", len(entries))
	}
	if err := writeDecisions(filepath.Join(dir, "nope", decisionsFile), got); err == nil {
		t.Errorf("save into a missing directory: want an error")
	}
	if err := writeDecisions(path, &reconcile.Decisions{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "{\n  \"decisions\": []\n}\n" {
		t.Errorf("no decisions saved as %q, want an empty list", b)
	}
}

// lineFormat is a decisions file as versions before JSON wrote it.
const lineFormat = `# trawl reconcile decisions: one a line, applied in order after automatic grouping.
#   merge A B    A and B are the same person
# A, B and V are entity ids or names (names survive new articles); quote values with spaces.
merge scott-bessent "Scott Besset"

split he-lifeng "He \"the pronoun\""
rename kim "Kim Jong Un"
rename kim "Kim Jong-un"
`

func TestDecisionsLineFormatIsReadAndConverted(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	defer s.Close()
	path := filepath.Join(dir, decisionsFile)
	if err := os.WriteFile(path, []byte(lineFormat), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := s.Decisions()
	if err != nil {
		t.Fatal(err)
	}
	// The line format never recorded the id a rename keeps.
	if diff := cmp.Diff(someDecisions().List(), d.List(), cmpopts.IgnoreFields(reconcile.Decision{}, "ID")); diff != "" {
		t.Errorf("line format read (-want +got):\n%s", diff)
	}
	// The next save writes JSON, with the same decisions and one more.
	err = s.Decide(context.Background(), func(d *reconcile.Decisions, _ []trawl.Entity) error {
		d.Merge("a", "b")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "{\n") {
		t.Errorf("decisions file after a save is not JSON:\n%s", b)
	}
	d, err = s.Decisions()
	if err != nil {
		t.Fatal(err)
	}
	want := append(someDecisions().List(), reconcile.Decision{Op: reconcile.OpMerge, A: "a", B: "b"})
	if diff := cmp.Diff(want, d.List(), cmpopts.IgnoreFields(reconcile.Decision{}, "ID")); diff != "" {
		t.Errorf("decisions after conversion (-want +got):\n%s", diff)
	}
}

func TestDecisionsFileErrors(t *testing.T) {
	for _, c := range []struct{ name, file, want string }{
		{"line with two words", "# c\nmerge onlyone\n", "decisions.json:2"},
		{"unknown op in a line", "forget a b\n", "decisions.json:1"},
		{"bad quote", "merge \"a b\n", "decisions.json:1"},
		{"unknown op in JSON", `{"decisions":[{"op":"forget","a":"x","b":"y"}]}`, "decision 1"},
		{"unknown field", `{"decisions":[{"op":"merge","a":"x","c":"y"}]}`, "unknown field"},
		{"broken JSON", `{"decisions":[`, "decisions.json"},
		{"two objects", `{"decisions":[]} {}`, "data after"},
		{"invalid UTF-8", "rename kim K\xc8m\n", "not valid UTF-8"},
		{"invalid UTF-8 by escape", `rename kim "K\xc8m"`, "not valid UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), decisionsFile)
			if err := os.WriteFile(path, []byte(c.file), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := readDecisions(path); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("readDecisions error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// FuzzParseDecisions feeds the decisions reader any file: it must not
// panic, and whatever it accepts must save and load back the same.
func FuzzParseDecisions(f *testing.F) {
	f.Add([]byte(lineFormat))
	f.Add([]byte(`{"decisions":[{"op":"merge","a":"x","b":"y z"}]}`))
	f.Add([]byte("rename a \"\\u00e9\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseDecisions("fuzz", b)
		if err != nil {
			return
		}
		out, err := marshalDecisions(d)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := parseDecisions("fuzz", out)
		if err != nil {
			t.Fatalf("saved decisions do not load: %v\n%s", err, out)
		}
		if diff := cmp.Diff(d.List(), again.List()); diff != "" {
			t.Errorf("save and load (-want +got):\n%s", diff)
		}
	})
}
