package reconcile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

func TestDecisionsApplied(t *testing.T) {
	base := func(t *testing.T) []trawl.Article {
		return []trawl.Article{
			article(t, "a1", "2025-06-08", "A", "Anna Karlsen spoke with Scott Besset.", per("Anna Karlsen", "", ""), per("Scott Besset", "", "Treasury Secretary")),
			article(t, "a2", "2025-06-08", "B", "Anna Karlson met Scott Bessent.", per("Anna Karlson", "", ""), per("Scott Bessent", "", "Treasury Secretary")),
			article(t, "a3", "2025-06-09", "C", "Scott Bessent spoke.", per("Scott Bessent", "", "")),
		}
	}
	d := &Decisions{}
	d.Merge("anna-karlsen", "anna-karlson")  // not merged automatically: no shared evidence
	d.Split("scott-bessent", "Scott Besset") // merged automatically, but the user knows better
	d.Rename("anna-karlsen", "Anna K. Karlsen")
	r := Reconcile(base(t), Options{Decisions: d})
	want := map[string]string{
		"anna-k-karlsen": "Anna Karlsen|Anna Karlson",
		"scott-bessent":  "Scott Bessent",
		"scott-besset":   "Scott Besset",
	}
	if diff := cmp.Diff(want, groups(r)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	for _, e := range r.Entities {
		if len(e.Decided) == 0 {
			t.Errorf("entity %s: Decided is empty, want the user decisions listed", e.ID)
		}
	}
	if _, ok := byID(r.Discrepancies)["name-spelling:scott-bessent"]; ok {
		t.Errorf("a split variant is still reported as a misspelling")
	}

	// Saved, reloaded and bound to names, the decisions survive more
	// articles that change which spelling wins.
	if err := d.Bind(r); err != nil {
		t.Fatalf("Bind: %v", err)
	}
	if got := d.List()[1]; got.A != "Scott Bessent" {
		t.Errorf("after Bind the split names %q, want the canonical name in place of the id", got.A)
	}
	bad := &Decisions{}
	bad.Merge("nobody-at-all", "scott-bessent")
	if err := bad.Bind(r); err == nil || !strings.Contains(err.Error(), "nobody-at-all") {
		t.Errorf("Bind(unknown) error = %v, want one naming the reference", err)
	}
	path := filepath.Join(t.TempDir(), "decisions.txt")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	d2, err := LoadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	more := append(base(t),
		article(t, "a4", "2025-06-10", "D", "Anna Karlson spoke.", per("Anna Karlson", "", "")),
		article(t, "a5", "2025-06-10", "E", "Anna Karlson and Scott Besset spoke.", per("Anna Karlson", "", ""), per("Scott Besset", "", "Treasury Secretary")),
	)
	r2 := Reconcile(more, Options{Decisions: d2})
	want2 := map[string]string{
		"anna-k-karlsen": "Anna Karlson|Anna Karlsen",
		"scott-bessent":  "Scott Bessent",
		"scott-besset":   "Scott Besset",
	}
	if diff := cmp.Diff(want2, groups(r2)); diff != "" {
		t.Errorf("entities after more articles (-want +got):\n%s", diff)
	}
}

func TestDecisionsMergeMarksDiscrepancy(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "2025-06-08", "A", "Anna Karlsen spoke.", per("Anna Karlsen", "", "")),
		article(t, "a2", "2025-06-08", "B", "Anna Karlson spoke.", per("Anna Karlson", "", "")),
		article(t, "a3", "2025-06-08", "C", "Anna Karlson spoke.", per("Anna Karlson", "", "")),
	}
	d := &Decisions{}
	d.Merge("Anna Karlson", "Anna Karlsen")
	r := Reconcile(arts, Options{Decisions: d})
	got := byID(r.Discrepancies)["name-spelling:anna-karlson"]
	if !strings.HasPrefix(got.Decided, "decided by user") {
		t.Errorf("Decided = %q, want it to say the user decided", got.Decided)
	}
	if got.Versions[1].Value != "Anna Karlsen" || got.Versions[1].Status != "probable misspelling" {
		t.Errorf("versions = %+v, want Anna Karlsen as the probable misspelling", got.Versions)
	}
}

func TestDecisionsSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "decisions.txt")
	missing, err := LoadDecisions(path)
	if err != nil || len(missing.List()) != 0 {
		t.Fatalf("LoadDecisions(missing) = %v, %v; want empty, nil", missing.List(), err)
	}
	d := &Decisions{}
	d.Merge("scott-bessent", "Scott Besset")
	d.Split("he-lifeng", `He "the pronoun"`)
	d.Rename("kim", "Kim Jong Un")
	d.Rename("kim", "Kim Jong-un") // replaces the earlier rename
	d.Merge("scott-bessent", "Scott Besset")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "merge scott-bessent \"Scott Besset\"\n") {
		t.Errorf("file is not the readable line format:\n%s", b)
	}
	got, err := LoadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Decision{
		{OpMerge, "scott-bessent", "Scott Besset"},
		{OpSplit, "he-lifeng", `He "the pronoun"`},
		{OpRename, "kim", "Kim Jong-un"},
	}
	if diff := cmp.Diff(want, got.List()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files after Save, want 1 (no temp file left)", len(entries))
	}
	// Saving into a missing directory fails and leaves nothing behind.
	if err := d.Save(filepath.Join(dir, "nope", "d.txt")); err == nil {
		t.Errorf("Save into a missing directory: want an error")
	}
	if err := os.WriteFile(path, []byte("merge onlyone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDecisions(path); err == nil || !strings.Contains(err.Error(), "decisions.txt:1") {
		t.Errorf("LoadDecisions(bad line) error = %v, want one naming the file and line", err)
	}
}
