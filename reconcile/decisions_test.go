package reconcile

import (
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
	r := reconcileT(t, base(t), Options{Decisions: d})
	// The renamed entity keeps its id.
	want := map[string]string{
		"anna-karlsen":  "Anna Karlsen|Anna Karlson",
		"scott-bessent": "Scott Bessent",
		"scott-besset":  "Scott Besset",
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

	// Bound to names, the decisions survive more
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
	// The bound decisions, as the store saves and reloads them.
	d2 := &Decisions{}
	for _, x := range d.List() {
		if err := d2.Add(x); err != nil {
			t.Fatal(err)
		}
	}
	more := append(base(t),
		article(t, "a4", "2025-06-10", "D", "Anna Karlson spoke.", per("Anna Karlson", "", "")),
		article(t, "a5", "2025-06-10", "E", "Anna Karlson and Scott Besset spoke.", per("Anna Karlson", "", ""), per("Scott Besset", "", "Treasury Secretary")),
	)
	r2 := reconcileT(t, more, Options{Decisions: d2})
	// It keeps it even when another spelling now wins.
	want2 := map[string]string{
		"anna-karlsen":  "Anna Karlson|Anna Karlsen",
		"scott-bessent": "Scott Bessent",
		"scott-besset":  "Scott Besset",
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
	r := reconcileT(t, arts, Options{Decisions: d})
	got := byID(r.Discrepancies)["name-spelling:anna-karlson"]
	if !strings.HasPrefix(got.Decided, "decided by user") {
		t.Errorf("Decided = %q, want it to say the user decided", got.Decided)
	}
	if got.Versions[1].Value != "Anna Karlsen" || got.Versions[1].Status != "probable misspelling" {
		t.Errorf("versions = %+v, want Anna Karlsen as the probable misspelling", got.Versions)
	}
}

func TestDecisionsAdd(t *testing.T) {
	d := &Decisions{}
	d.Merge("scott-bessent", "Scott Besset")
	d.Split("he-lifeng", `He "the pronoun"`)
	d.Rename("kim", "Kim Jong Un")
	d.Rename("kim", "Kim Jong-un") // replaces the earlier rename
	d.Merge("scott-bessent", " Scott Besset ")
	if err := d.Add(Decision{Op: "forget", A: "x", B: "y"}); err == nil {
		t.Error(`Add(forget) = nil, want an error`)
	}
	want := []Decision{
		{Op: OpMerge, A: "scott-bessent", B: "Scott Besset"},
		{Op: OpSplit, A: "he-lifeng", B: `He "the pronoun"`},
		{Op: OpRename, A: "kim", B: "Kim Jong-un", ID: "kim"},
	}
	if diff := cmp.Diff(want, d.List()); diff != "" {
		t.Errorf("decisions (-want +got):\n%s", diff)
	}
	if got, want := d.List()[1].String(), `split he-lifeng "He \"the pronoun\""`; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}
