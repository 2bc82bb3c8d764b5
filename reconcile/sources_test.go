package reconcile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// copiesArticles: three copies of one story spell a councillor "Damien
// Walcott"; two independent stories spell him "Damian Walcott". No file
// names its source.
func copiesArticles(t *testing.T, grouped bool) []trawl.Article {
	story := "Councillor Damien Walcott said the depot would close in the spring."
	arts := []trawl.Article{
		article(t, "c1", "", "", story, per("Damien Walcott", "", "Councillor")),
		article(t, "c2", "", "", story, per("Damien Walcott", "", "Councillor")),
		article(t, "c3", "", "", "Reporting by staff. "+story, per("Damien Walcott", "", "Councillor")),
		article(t, "i1", "", "", "The bus depot was the subject of a heated meeting, where Councillor Damian Walcott was heckled.", per("Damian Walcott", "", "Councillor")),
		article(t, "i2", "", "", "Councillor Damian Walcott, who chairs the transport committee, has proposed a new route.", per("Damian Walcott", "", "Councillor")),
	}
	if grouped {
		for i := range 3 {
			arts[i].CopyGroup = "c1"
		}
	}
	return arts
}

// TestCopiesCountOnce: near-duplicates are one source for the preferred
// spelling and the confidence, the summary counts articles (no file names
// a source) and says how many are copies, and the discrepancy lists the
// group of copies it counted once.
func TestCopiesCountOnce(t *testing.T) {
	preferred := func(ds []trawl.Discrepancy) string {
		for _, d := range ds {
			if d.Kind == trawl.NameSpelling {
				return d.Versions[0].Value
			}
		}
		return ""
	}
	if got := preferred(reconcileT(t, copiesArticles(t, false), Options{}).Discrepancies); got != "Damien Walcott" {
		t.Fatalf("without copy groups the preferred spelling is %q, want the copies' Damien Walcott (the test's premise)", got)
	}
	r := reconcileT(t, copiesArticles(t, true), Options{})
	var d trawl.Discrepancy
	for _, x := range r.Discrepancies {
		if x.Kind == trawl.NameSpelling {
			d = x
		}
	}
	if d.Versions == nil || d.Versions[0].Value != "Damian Walcott" {
		t.Fatalf("name-spelling discrepancy = %+v, want Damian Walcott preferred: two independent articles against one story copied thrice", d)
	}
	if want := "'Damien Walcott' in 3 articles (2 of them copies) is probably a misspelling of 'Damian Walcott' (2 articles)"; d.Summary != want {
		t.Errorf("summary = %q, want %q", d.Summary, want)
	}
	if d.Confidence >= .9 {
		t.Errorf("confidence = %.2f: two independent sources against one should not be near certain", d.Confidence)
	}
	if diff := cmp.Diff([][]string{{"c1", "c2", "c3"}}, d.Copies); diff != "" {
		t.Errorf("copies (-want +got):\n%s", diff)
	}
	for _, e := range r.Entities {
		if e.Canonical == "Damian Walcott" {
			if want := "'Damian Walcott' appears in 2 articles, the best-supported full form"; e.Reason != want {
				t.Errorf("reason = %q, want %q", e.Reason, want)
			}
		}
	}
}
