package trawl_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/trawlnews/trawl"

// stage orders the packages of the pipeline: a package may import only
// packages of a lower stage (docs/design.md draws the same map). Packages
// under extract/ share the stage of extract.
var stage = map[string]int{
	"":                  0, // the domain types
	"internal/lexicon":  1, // word lists
	"internal/golden":   1, // test helpers
	"internal/proctest": 1,
	"internal/text":     2, // tokens and sentences
	"corpus":            3,
	"dedup":             3, // near-duplicate articles
	"eval":              3,
	"extract":           4,
	"reconcile":         5,
	"index":             6,
	"figures":           6, // figure series (reconcile.SubjectKey)
	"tally":             6, // commodities, organisations and places as entities
	"report":            6,
	"store":             7,
	"ingest":            8,
	"web":               9,
	"cluster":           9, // distributed ingest on NATS JetStream, beside web
	"cmd/trawl":         10,
	"cmd/trawlbench":    10,
	"cmd/trawlload":     10,
	"cmd/trawlnats":     10,
}

// stageOf returns the stage of a package path relative to the module.
func stageOf(rel string) (int, bool) {
	f, ok := family(rel)
	return stage[f], ok
}

// family returns the entry of the stage map that a package path relative to
// the module falls under ("extract" for "extract/dates"); ok is false when
// it falls under none.
func family(rel string) (f string, ok bool) {
	for p := rel; ; {
		if _, ok := stage[p]; ok {
			return p, true
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return "", false
		}
		p = p[:i]
	}
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH: layering not checked")
	}
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func rel(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
}

// TestImportsFlowOneWay checks that no package imports a package of its own
// or a higher stage: corpus -> extract -> reconcile -> index/report -> store
// -> ingest -> web, cluster -> cmd.
func TestImportsFlowOneWay(t *testing.T) {
	for _, line := range goList(t, "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...") {
		f := strings.Fields(line)
		from := rel(f[0])
		s, ok := stageOf(from)
		if !ok {
			t.Errorf("package %q has no stage in layering_test.go: add it to the map and to docs/design.md", from)
			continue
		}
		for _, imp := range f[1:] {
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			to := rel(imp)
			ts, ok := stageOf(to)
			if !ok {
				continue // reported when the imported package itself is listed
			}
			// Packages of one family (extract and extract/dates, or
			// extract/dates and extract/document) import each other freely;
			// the go command rejects a cycle among them.
			ff, _ := family(from)
			tf, _ := family(to)
			sameFamily := ff == tf
			if ts >= s && !sameFamily {
				t.Errorf("%s (stage %d) imports %s (stage %d): data flows the other way", from, s, to, ts)
			}
		}
	}
}

// TestServerDoesNotLinkTheExtractor checks that the read-only web server and
// the reconciler link neither the extractor nor prose's model.
func TestServerDoesNotLinkTheExtractor(t *testing.T) {
	for _, pkg := range []string{"./web", "./reconcile", "./store", "./report", "./index"} {
		deps := goList(t, "-deps", pkg)
		for _, bad := range []string{"github.com/jdkato/prose/v2", module + "/extract"} {
			if slices.Contains(deps, bad) {
				t.Errorf("go list -deps %s contains %s", pkg, bad)
			}
		}
	}
}
