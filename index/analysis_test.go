package index

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/google/go-cmp/cmp"
)

// bleveTokens is what bleve's en analyzer, the analyzer of the mapping,
// gives for s.
func bleveTokens(s string) []analysis.Token {
	return tokenValues(indexMapping().AnalyzerNamed(en.AnalyzerName).Analyze([]byte(s)))
}

// fastTokens is what indexAnalyzer gives for s.
func fastTokens(s string) []analysis.Token {
	return tokenValues(indexAnalyzer().Analyze([]byte(s)))
}

// diffTokens is cmp.Diff of the tokens bleve's en analyzer and
// indexAnalyzer give for s, "" when they are the same (checked first
// without cmp, which is slow on long texts).
func diffTokens(s string) string {
	want, got := bleveTokens(s), fastTokens(s)
	if slices.EqualFunc(want, got, func(a, b analysis.Token) bool {
		return bytes.Equal(a.Term, b.Term) && a.Start == b.Start && a.End == b.End &&
			a.Position == b.Position && a.Type == b.Type && a.KeyWord == b.KeyWord
	}) {
		return ""
	}
	return cmp.Diff(want, got)
}

func tokenValues(ts analysis.TokenStream) []analysis.Token {
	out := make([]analysis.Token, len(ts))
	for i, t := range ts {
		out[i] = *t
	}
	return out
}

// analyzerCases are texts where UAX #29 joins or splits words, or where
// bleve's filters do something particular.
var analyzerCases = []string{
	"", " ", "a", "The", "the running dogs' owner's cats", "U.S. officials", "U.S.A.", "don't won't",
	"1,000.50 and 3.5% of 2,5;6", "a:b a::b 1:2 a,b 1.a a.1", "x_.y _ __ a_1.b 1_000 _1_.2",
	"Bessent's BESSENT'S it's IT'S 's s' s", "e-mail co-operate", "\"quoted\" (brackets) [x]",
	"a\r\nb\tc\vd\fe", "tab\tbetween", "£5m for the £", "naïve café résumé", "Ω's ΣΑΣ Σ", "Ⱥ Ⱦ ⱥ",
	"she’s the boss’s", "ＡＢＣ＇ｓ", "e\u0301 x\u0301y a \u0301b", "東京 株式 カタカナ", "🇬🇧🇫🇷 flags",
	"a\u200db 👩\u200d👩", "word£word £word word£", "3£ £3 3.£ a.£", "end.", ".start", "a..b a''b 'a'",
	"Reuters - Oil prices rose 5.2 pct on Monday, traders said.\n\nOPEC's output fell.",
	"the and of to be or not", "generalizations relational conditional rational valenci",
}

func TestEnglishAnalyzerMatchesBleve(t *testing.T) {
	for _, s := range analyzerCases {
		if diff := diffTokens(s); diff != "" {
			t.Errorf("tokens of %q (-want +got):\n%s", s, diff)
		}
	}
}

// TestEnglishAnalyzerRandom compares the analyzers on random texts made of
// the characters UAX #29 treats differently, ASCII and not.
func TestEnglishAnalyzerRandom(t *testing.T) {
	alphabet := []string{"a", "B", "z", "S", "s", "0", "9", "_", ":", ",", ";", ".", "'", "\"", " ", " ", "\n", "\r", "\t",
		"-", "%", "\x00", "\x7f", "é", "£", "’", "\u0301", "\u200d", "Σ", "東", "カ", "🇬", "＇", "\u00a0", "\u2028"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(64) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		if diff := diffTokens(s); diff != "" {
			t.Fatalf("tokens of %q (-want +got):\n%s", s, diff)
		}
	}
}

// TestEnglishAnalyzerCorpus compares the analyzers on every article of the
// benchmark corpus.
func TestEnglishAnalyzerCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(benchCorpus, "*.txt"))
	if len(files) == 0 {
		t.Skipf("no benchmark corpus at %s", benchCorpus)
	}
	if testing.Short() {
		files = files[:200]
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffTokens(string(b)); diff != "" {
			t.Fatalf("tokens of %s (-want +got):\n%s", f, diff)
		}
	}
}

func FuzzEnglishAnalyzer(f *testing.F) {
	for _, s := range analyzerCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if diff := diffTokens(s); diff != "" {
			t.Errorf("tokens of %q (-want +got):\n%s", s, diff)
		}
	})
}
