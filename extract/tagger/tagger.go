// Package tagger holds trawl's two taggers. Names is a name tagger trained
// for trawl: an averaged perceptron over BIO labels of PER, ORG, LOC and
// MISC names, trained from the CoNLL-2003 training file (make train) with
// features that carry across sources (word shape, affixes, context words,
// capitals in context, position in the line, table rows, the project's
// gazetteers, the run of capitalised words a word is in and the words
// around the run, what the same word does elsewhere in the text, including
// a business context such as "shares of" or "airline", the labels the
// tagger gave it earlier in the text, and the word clusters of the word and
// its neighbours, learned from unlabelled news by make clusters); its
// model, ner.model, and the cluster table, clusters.txt.gz, are embedded and
// decoded once per process. Decoding is greedy, left to right, and a name
// begins with a capitalised word; two names that touch are joined when
// cross-validation found them to be one more often than two (a place or
// nationality before an organisation: "U.S. Federal District Court"). Tag is prose's
// part-of-speech tagger, which the commodity extractor asks about
// ambiguous words; this package is the only importer of prose.
//
// prose's tagger takes about a tenth of a second to load, so it is built
// once per process and shared; both taggers are read-only after loading, so
// concurrent use is safe.
package tagger

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
)

// model is prose's part-of-speech tagger alone: its named-entity model,
// which trawl does not use (Names is its own), would add 11 MB to the heap
// and double the load time.
var model = sync.OnceValue(func() *prose.Model {
	doc, err := prose.NewDocument("Warm up.", prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		panic("tagger: build prose model: " + err.Error())
	}
	return doc.Model
})

// Warm loads the model, once per process; Tag loads it itself when it first
// needs it.
func Warm() { model() }

// Token is one word of a sentence with its part-of-speech tag.
type Token struct {
	Text  string
	Tag   string // Penn Treebank tag from prose ("NNP", "VB"...)
	Start int    // byte offsets into the tagged text
	End   int
}

// Tag runs prose's tokenizer and part-of-speech tagger over s and returns
// the tokens with byte offsets into s. Tokens that prose rewrote so they
// cannot be found in s are dropped; text that is not valid UTF-8 gives no
// tokens.
func Tag(s string) []Token {
	if !utf8.ValidString(s) {
		return nil // prose's tokenizer panics on invalid UTF-8
	}
	doc, err := prose.NewDocument(s,
		prose.UsingModel(model()),
		prose.WithSegmentation(false),
		prose.WithExtraction(false),
	)
	if err != nil {
		return nil
	}
	toks := doc.Tokens()
	out := make([]Token, 0, len(toks))
	pos := 0
	for _, t := range toks {
		i := strings.Index(s[pos:], t.Text)
		if t.Text == "" || i < 0 {
			continue
		}
		start := pos + i
		out = append(out, Token{Text: t.Text, Tag: t.Tag, Start: start, End: start + len(t.Text)})
		pos = start + len(t.Text)
	}
	return out
}
