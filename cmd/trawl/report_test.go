package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/ingest"
	"github.com/trawlnews/trawl/internal/proctest"
)

func discrepanciesJSON(t *testing.T, st string, args ...string) []trawl.Discrepancy {
	t.Helper()
	out := mustRun(t, append([]string{"--store", st, "discrepancies", "--format", "json"}, args...)...)
	var doc struct {
		Version       int                 `json:"version"`
		Count         int                 `json:"count"`
		Discrepancies []trawl.Discrepancy `json:"discrepancies"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("discrepancies --format json: %v\n%s", err, out)
	}
	if doc.Version != 1 || doc.Count != len(doc.Discrepancies) {
		t.Fatalf("discrepancies --format json: version %d, count %d for %d discrepancies", doc.Version, doc.Count, len(doc.Discrepancies))
	}
	return doc.Discrepancies
}

func personEntitiesJSON(t *testing.T, st string) []trawl.Entity {
	t.Helper()
	out := mustRun(t, "--store", st, "entities", "--json")
	var es []trawl.Entity
	if err := json.Unmarshal([]byte(out), &es); err != nil {
		t.Fatalf("entities --json: %v\n%s", err, out)
	}
	return es
}

// TestEveryDiscrepancyKindOnSamples checks the sample articles written so that
// each kind of disagreement occurs, and that a change of rate is not one.
func TestEveryDiscrepancyKindOnSamples(t *testing.T) {
	dir := proctest.CopyArticles(t)
	st := filepath.Join(t.TempDir(), "store")
	sum := ingestJSON(t, st, dir)
	ds := discrepanciesJSON(t, st)
	changes := 0
	for _, d := range ds {
		if d.Kind == trawl.FigureChange {
			changes++
		}
	}
	// The ingest summary counts changes apart from discrepancies, on a
	// first ingest and on one that finds nothing new.
	again := ingestJSON(t, st, dir)
	for _, s := range []ingest.Summary{sum, again} {
		if s.Discrepancies != len(ds)-changes || s.Changes != changes || changes == 0 {
			t.Errorf("ingest summary: %d discrepancies and %d changes, want %d and %d", s.Discrepancies, s.Changes, len(ds)-changes, changes)
		}
	}
	byID := map[string]trawl.Discrepancy{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	for _, want := range []struct {
		id       string
		versions []string
	}{
		{"name-spelling:scott-bessent", []string{"Scott Bessent", "Scott Besset"}},
		{"name-form:jamieson-greer", []string{"Jamieson Greer", "Jamie Greer"}},
		{"role:howard-lutnick", []string{"Commerce Secretary", "Trade Representative"}},
		{"figure:chinese-good-tariff:2025-05", []string{"30%", "35%"}},
	} {
		d, ok := byID[want.id]
		if !ok {
			t.Errorf("no discrepancy %s; have %v", want.id, ids(ds))
			continue
		}
		var got []string
		for _, v := range d.Versions {
			got = append(got, v.Value)
			if len(v.Evidence) == 0 || v.Evidence[0].Sentence == "" {
				t.Errorf("%s version %q has no evidence sentence", d.ID, v.Value)
			}
		}
		if !slices.Equal(got, want.versions) {
			t.Errorf("%s versions %q, want %q", d.ID, got, want.versions)
		}
	}
	dates := 0
	for _, d := range ds {
		switch d.Kind {
		case trawl.DateConflict:
			dates++
			if !strings.Contains(d.Summary, "2025-06-10") || !strings.Contains(d.Summary, "2025-06-11") {
				t.Errorf("date discrepancy %s: %q, want the end of the London talks June 10 vs June 11", d.ID, d.Summary)
			}
		case trawl.FigureConflict:
			for _, v := range d.Versions {
				if v.Value == "25%" {
					t.Errorf("the steel and aluminum rise from 25%% to 50%% is reported as a conflict: %s", d.Summary)
				}
			}
		}
		if d.Confidence <= 0 || d.Confidence > 1 {
			t.Errorf("%s: confidence %v outside (0,1]", d.ID, d.Confidence)
		}
	}
	if dates != 1 {
		t.Errorf("%d date discrepancies, want 1 (the end of the London talks)", dates)
	}
	// The rise of the steel and aluminum tariffs is shown, as a change.
	steel := false
	for _, d := range ds {
		if d.Kind != trawl.FigureChange || len(d.Versions) != 2 {
			continue
		}
		before, after := d.Versions[0], d.Versions[1]
		if before.Value == "25%" && before.Status == "before" && after.Value == "50%" && after.Status == "after" && strings.Contains(d.Subject, "steel") {
			steel = true
			for _, v := range d.Versions {
				for _, e := range v.Evidence {
					if got := e.Sentence[e.MentionStart:e.MentionEnd]; got != v.Value {
						t.Errorf("%s: %s evidence marks %q, want %q", d.ID, v.Status, got, v.Value)
					}
				}
			}
		}
	}
	if !steel {
		t.Errorf("no figure-change from 25%% to 50%% for the steel and aluminum tariffs; have %v", ids(ds))
	}
	for _, d := range discrepanciesJSON(t, st, "--kind", "figure") {
		if d.Kind != trawl.FigureConflict {
			t.Errorf("--kind figure returned %s", d.ID)
		}
	}
	for _, d := range discrepanciesJSON(t, st, "--kind", "change") {
		if d.Kind != trawl.FigureChange {
			t.Errorf("--kind change returned %s", d.ID)
		}
	}
	// Filters.
	for _, d := range discrepanciesJSON(t, st, "--kind", "name") {
		if d.Kind != trawl.NameSpelling && d.Kind != trawl.NameForm {
			t.Errorf("--kind name returned %s", d.ID)
		}
	}
	for _, d := range discrepanciesJSON(t, st, "--min-confidence", "0.85") {
		if d.Confidence < 0.85 {
			t.Errorf("--min-confidence 0.85 returned %s at %.2f", d.ID, d.Confidence)
		}
	}
	// Every format renders and is deterministic.
	for _, f := range []string{"text", "md", "json", "html"} {
		a := mustRun(t, "--store", st, "discrepancies", "--format", f)
		b := mustRun(t, "--store", st, "discrepancies", "--format", f)
		if a != b || !strings.Contains(a, "Besset") {
			t.Errorf("--format %s: not deterministic or lacks the Besset discrepancy", f)
		}
	}
}

func ids(ds []trawl.Discrepancy) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

// TestDecisionsSurviveReingest splits a variant out, re-ingests with a new
// article, and checks the decision still holds and is marked as the user's.
func TestDecisionsSurviveReingest(t *testing.T) {
	dir := proctest.CopyArticles(t, seeds...)
	st := filepath.Join(t.TempDir(), "store")
	ingestJSON(t, st, dir)

	mustRun(t, "--store", st, "entities", "split", "scott-bessent", "--variant", "Scott Besset")
	mustRun(t, "--store", st, "entities", "rename", "jamieson-greer", "Jamieson L. Greer")
	check := func(when string) {
		t.Helper()
		es := personEntitiesJSON(t, st)
		var besset, greer *trawl.Entity
		for i := range es {
			for _, v := range es[i].Variants {
				if v.Name == "Scott Besset" {
					besset = &es[i]
				}
				if v.Name == "Jamie Greer" {
					greer = &es[i]
				}
			}
		}
		if besset == nil || slices.ContainsFunc(besset.Variants, func(v trawl.Variant) bool { return v.Name == "Scott Bessent" }) {
			t.Errorf("%s: 'Scott Besset' is not split from Scott Bessent", when)
		} else if len(besset.Decided) == 0 {
			t.Errorf("%s: split entity %s does not say it was decided by the user", when, besset.ID)
		}
		if greer == nil || greer.Canonical != "Jamieson L. Greer" {
			t.Errorf("%s: renamed entity: %+v", when, greer)
		}
		for _, d := range discrepanciesJSON(t, st) {
			if d.Kind == trawl.NameSpelling && strings.Contains(d.Summary, "Besset") {
				t.Errorf("%s: Besset misspelling still reported after the user split it: %s", when, d.Summary)
			}
		}
	}
	check("after the decisions")
	b, err := os.ReadFile(filepath.Join(st, "decisions.json"))
	if err != nil || !strings.Contains(string(b), "Scott Besset") {
		t.Errorf("decisions file: %v %q, want a readable record naming the variant", err, b)
	}
	src, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "articles", "004_london_framework.txt"))
	os.WriteFile(filepath.Join(dir, "004_london_framework.txt"), src, 0o644)
	ingestJSON(t, st, dir)
	check("after adding an article and re-ingesting")

	if _, errs, code := trawlRun(t, "", "--store", st, "entities", "merge", "scott-bessent", "no-such-person"); code == 0 || !strings.Contains(errs, "no-such-person") {
		t.Errorf("merge with an unknown id: exit %d, stderr %q", code, errs)
	}
}
