package text

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTokens(t *testing.T) {
	text := "Mr. O'Leary's 9th café—\n€5 e\u0301 \xff\fUSA"
	type tok struct {
		Text  string
		Class Class
		Case  Case
		Space bool
	}
	var got []tok
	for _, k := range Tokens(nil, text) {
		got = append(got, tok{text[k.Start:k.End], k.Class, k.Case, k.Space})
	}
	want := []tok{
		{"Mr", Alpha, Title, true},
		{".", Punct, NoCase, false},
		{"O", Alpha, Upper, true},
		{"'", Punct, NoCase, false},
		{"Leary", Alpha, Title, false},
		{"'", Punct, NoCase, false},
		{"s", Alpha, Lower, false},
		{"9", Digits, NoCase, true},
		{"th", Alpha, Lower, false},
		{"caf", Alpha, Lower, true},
		{"é", Letter, NoCase, false},
		{"—", Symbol, NoCase, false},
		{"\n", Break, NoCase, false},
		{"€", Symbol, NoCase, false},
		{"5", Digits, NoCase, false},
		{"e", Alpha, Lower, true},
		{"\u0301", Mark, NoCase, false},
		{"\xff", Invalid, NoCase, true},
		{"\f", Punct, NoCase, false},
		{"USA", Alpha, Upper, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tokens (-want +got):\n%s", diff)
	}
}

func TestClassString(t *testing.T) {
	got := []string{Alpha.String(), Invalid.String(), Class(0).String(), Class(42).String()}
	want := []string{"alpha", "invalid", "class(0)", "class(42)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Class.String (-want +got):\n%s", diff)
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range append(sentenceSeeds, "9th-quarter 1990s\r\n\xe2\x80 ‘x’ \xe2\x80\x94") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokens(nil, text)
		prev := 0
		for i, k := range toks {
			if k.Start < prev || k.Start >= k.End || k.End > len(text) {
				t.Fatalf("%q: token %d %+v out of order, empty or outside the text (previous end %d)", text, i, k, prev)
			}
			if k.Class < Alpha || k.Class > Invalid {
				t.Fatalf("%q: token %d has class %v", text, i, k.Class)
			}
			// Only blanks lie between tokens, and Space says whether any do.
			for j := prev; j < k.Start; j++ {
				if c := text[j]; c != ' ' && c != '\t' && c != '\r' {
					t.Fatalf("%q: byte %d (%q) is in no token", text, j, c)
				}
			}
			if want := i == 0 || k.Start > prev; k.Space != want {
				t.Errorf("%q: token %d Space = %v, want %v", text, i, k.Space, want)
			}
			prev = k.End
		}
		for j := prev; j < len(text); j++ {
			if c := text[j]; c != ' ' && c != '\t' && c != '\r' {
				t.Fatalf("%q: byte %d (%q) after the last token is in no token", text, j, c)
			}
		}
	})
}

// BenchmarkTokens cuts a 4 KB article-like text into tokens.
func BenchmarkTokens(b *testing.B) {
	text := strings.Repeat("Treasury Secretary Scott Bessent said on June 9, 2025 that tariffs on steel rose to 50% from 25%. “It’s fair,” he said.\n", 32)
	b.SetBytes(int64(len(text)))
	var toks []Token
	for b.Loop() {
		toks = Tokens(toks[:0], text)
	}
}

// BenchmarkSentences splits the same text into sentences.
func BenchmarkSentences(b *testing.B) {
	text := strings.Repeat("Treasury Secretary Scott Bessent said on June 9, 2025 that tariffs on steel rose to 50% from 25%. “It’s fair,” he said.\n", 32)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Sentences(text)
	}
}
