package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/internal/text"
	"github.com/trawlnews/trawl/reconcile"
)

// TestThinArticlesReconcileAlike checks that reconciling the thinned
// articles refresh keeps in memory, with the evidence of names quoted from
// the full text as the refresh quotes it, gives the same entities and
// discrepancies, evidence offsets included, as reconciling the full ones.
func TestThinArticlesReconcileAlike(t *testing.T) {
	files, _, err := corpus.Walk(context.Background(), "../testdata/articles", corpus.Options{})
	if err != nil || len(files) == 0 {
		t.Fatalf("sample articles: %d files, %v", len(files), err)
	}
	x := extract.New(extract.Options{})
	var full []trawl.Article
	var thin []reconcile.Article
	segs := map[string][]textSegment{}
	strs := reconcile.NewStrings()
	for _, f := range files {
		arts, _, err := corpus.Read(f, corpus.Options{})
		if err != nil {
			continue
		}
		for _, a := range arts {
			x.Extract(&a)
			full = append(full, a)
			ta, sg := thinArticle(a, strs)
			if len(ta.Text) >= len(a.Text) && len(a.Text) > 2000 {
				t.Errorf("%s: thin text %d bytes, full %d: nothing was left out", a.ID, len(ta.Text), len(a.Text))
			}
			thin = append(thin, ta)
			segs[a.ID] = sg
		}
	}
	want, err := reconcile.Reconcile(t.Context(), full, reconcile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := reconcile.ReconcileArticles(t.Context(), thin, strs, reconcile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, a := range full {
		texts[a.ID] = a.Text
	}
	quoted := mapEvidence(got.Discrepancies, segs)
	for _, ev := range quoted {
		quoteSentence(ev, texts[ev.Article], text.Sentences(texts[ev.Article]))
	}
	if len(quoted) == 0 {
		t.Error("no evidence was quoted from the full text: the test checks no name-only piece")
	}
	if len(want.Discrepancies) == 0 {
		t.Fatal("the samples give no discrepancy: the test checks nothing")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reconcile of thinned articles differs (-full +thin):\n%s", diff)
	}
}

// TestThinArticleHolds counts what a thinned article keeps in memory: only
// the mentions reconciliation reads, and one copy of each distinct string
// however many articles repeat it (here fifty decoded copies of one
// article, as the store's JSON decoder gives them), the id aside.
func TestThinArticleHolds(t *testing.T) {
	files, _, err := corpus.Walk(context.Background(), "../testdata/articles", corpus.Options{})
	if err != nil || len(files) == 0 {
		t.Fatalf("sample articles: %d files, %v", len(files), err)
	}
	x := extract.New(extract.Options{})
	var a trawl.Article
	for _, f := range files {
		arts, _, err := corpus.Read(f, corpus.Options{})
		if err != nil || len(arts) == 0 {
			continue
		}
		x.Extract(&arts[0])
		kinds := map[trawl.Kind]int{}
		for _, m := range arts[0].Mentions {
			kinds[m.Type]++
		}
		if kinds[trawl.Person] > 0 && kinds[trawl.Date] > 0 && kinds[trawl.Organization]+kinds[trawl.Location]+kinds[trawl.Commodity] > 0 {
			a = arts[0]
			break
		}
	}
	if a.ID == "" {
		t.Fatal("no sample article has people, dates and other mentions: the test checks nothing")
	}
	enc, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	table := reconcile.NewStrings()
	strs := map[*byte]bool{}
	// The PERSON and PERCENT mentions, and the DATE mentions the rules
	// read: of day precision, or in a sentence with one or with a PERCENT.
	sents := text.Sentences(a.Text)
	sentence := func(m trawl.Mention) int {
		sp, _ := text.SentenceAt(sents, m.Start)
		return sp.Start
	}
	read := map[int]bool{}
	for _, m := range a.Mentions {
		if k := reconcile.KindOf(m.Type); reconcile.ReadsSentence(k, m.Value) {
			read[sentence(m)] = true
		}
	}
	var want []trawl.Mention
	for _, m := range a.Mentions {
		if m.Type == trawl.Person || m.Type == trawl.Percent || m.Type == trawl.Date && read[sentence(m)] {
			want = append(want, m)
		}
	}
	if len(want) == len(slices.DeleteFunc(slices.Clone(a.Mentions), func(m trawl.Mention) bool { return reconcile.KindOf(m.Type) == reconcile.Other })) {
		t.Error("the sample article has no DATE mention the rules do not read: the test checks no dropping")
	}
	var one int
	for i := range 50 {
		var c trawl.Article
		if err := json.Unmarshal(enc, &c); err != nil {
			t.Fatal(err)
		}
		thin, _ := thinArticle(c, table)
		var got []trawl.Mention
		for _, cm := range thin.Mentions {
			x := table.Extra(cm)
			m := trawl.Mention{
				Start: int(cm.Start), End: int(cm.End),
				Text: table.String(cm.Text), Value: table.String(cm.Value), Entity: table.String(cm.Entity), Role: table.String(x.Role),
				Unit: table.String(x.Unit), From: table.String(x.From), Change: table.String(x.Change), Subject: table.String(x.Subject),
			}
			m.Type = map[reconcile.Kind]trawl.Kind{reconcile.Person: trawl.Person, reconcile.Date: trawl.Date, reconcile.Percent: trawl.Percent}[cm.Type]
			got = append(got, m)
			for _, s := range []string{m.Text, m.Value, m.Entity, m.Role, m.Unit, m.From, m.Change, m.Subject, thin.Title, thin.Source, thin.Published} {
				if s != "" {
					strs[unsafe.StringData(s)] = true
				}
			}
		}
		if i == 0 {
			one = len(strs)
			// The same mentions, at their places in the thin text.
			ignore := cmpopts.IgnoreFields(trawl.Mention{}, "Start", "End", "Category", "Parents", "Warning")
			if diff := cmp.Diff(want, got, ignore); diff != "" {
				t.Errorf("thin mentions (-want +got):\n%s", diff)
			}
			for _, m := range got {
				if m.Start >= 0 && thin.Text[m.Start:m.End] != m.Text {
					t.Errorf("thin text at %d-%d is %q, mention %q", m.Start, m.End, thin.Text[m.Start:m.End], m.Text)
				}
			}
		}
	}
	if one == 0 || len(strs) != one {
		t.Errorf("50 copies of one article hold %d distinct strings, one copy %d: want the same", len(strs), one)
	}
}

// TestThinLeavesOutUnreadDates checks what a thin article keeps of its DATE
// mentions: those of day precision and those in a sentence with one or
// with a PERCENT mention, which the rules read, with their sentences; not
// the others, nor their sentences, unless the mentions are out of order.
func TestThinLeavesOutUnreadDates(t *testing.T) {
	const text = "In 2019 the mill closed. Output rose 5% in May 2024. " +
		"On 3 March 2024 the board met, as in 2023. Anne Rowe spoke in 2021."
	mention := func(kind trawl.Kind, s, value string) trawl.Mention {
		i := strings.Index(text, s)
		return trawl.Mention{Type: kind, Start: i, End: i + len(s), Text: s, Value: value, Entity: value}
	}
	y2019 := mention(trawl.Date, "2019", "2019")
	pct := mention(trawl.Percent, "5%", "5")
	may := mention(trawl.Date, "May 2024", "2024-05")
	day := mention(trawl.Date, "3 March 2024", "2024-03-03")
	y2023 := mention(trawl.Date, "2023", "2023")
	rowe := mention(trawl.Person, "Anne Rowe", "Anne Rowe")
	y2021 := mention(trawl.Date, "2021", "2021")
	for _, tc := range []struct {
		name     string
		mentions []trawl.Mention
		want     []string // the texts of the kept mentions
		text     string   // the thin text
	}{
		{
			name:     "in order",
			mentions: []trawl.Mention{y2019, pct, may, day, y2023, rowe, y2021},
			want:     []string{"5%", "May 2024", "3 March 2024", "2023", "Anne Rowe"},
			text:     "Output rose 5% in May 2024.\nOn 3 March 2024 the board met, as in 2023.\nAnne Rowe",
		},
		{
			name:     "out of order",
			mentions: []trawl.Mention{pct, y2019, may, day, y2023, rowe, y2021},
			want:     []string{"5%", "2019", "May 2024", "3 March 2024", "2023", "Anne Rowe", "2021"},
			text:     "In 2019 the mill closed.\nOutput rose 5% in May 2024.\nOn 3 March 2024 the board met, as in 2023.\nAnne Rowe spoke in 2021.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			strs := reconcile.NewStrings()
			ta, _ := thinArticle(trawl.Article{ID: "a", Text: text, Mentions: tc.mentions}, strs)
			var got []string
			for _, m := range ta.Mentions {
				got = append(got, strs.String(m.Text))
				if s := ta.Text[m.Start:m.End]; s != strs.String(m.Text) {
					t.Errorf("thin text at %d-%d is %q, mention %q", m.Start, m.End, s, strs.String(m.Text))
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("kept mentions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.text, ta.Text); diff != "" {
				t.Errorf("thin text (-want +got):\n%s", diff)
			}
		})
	}
}
