package dedup

import (
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// signReference is Sign as first written: a map of the shingle hashes seen
// and hash/fnv. Sign must give the same signatures, since stored ones are
// compared with new ones.
func signReference(text string) Signature {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return Signature{}
	}
	sig := make([]uint32, Hashes)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	n := max(1, len(words)-ShingleWords+1)
	seen := make(map[uint64]bool, n)
	h := fnv.New64a()
	for i := range n {
		h.Reset()
		for _, w := range words[i:min(len(words), i+ShingleWords)] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		if seen[x] {
			continue
		}
		seen[x] = true
		for j := range sig {
			if v := uint32((seedMul[j]*x + seedAdd[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return Signature{Shingles: len(seen), Mins: sig}
}

// benchTexts returns the texts of the shared benchmark corpus
// (../../shared/bench/corpus), or skips when it is not there.
func benchTexts(t testing.TB) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "bench", "corpus")
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err == nil && len(paths) == 0 {
		paths, err = filepath.Glob(filepath.Join(dir, "*.txt"))
	}
	if err != nil || len(paths) == 0 {
		t.Skipf("shared bench corpus %s not present", dir)
	}
	var texts []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	return texts
}

// TestSignMatchesReference checks that Sign gives the signatures of the
// reference implementation: on texts with upper case outside ASCII (whose
// lower case has another length), digits of other scripts, invalid UTF-8,
// fewer words than a shingle, repeated shingles, and on every article of
// the shared benchmark corpus when it is there.
func TestSignMatchesReference(t *testing.T) {
	texts := []string{
		"", "   ", "!!!", "one", "two words", "a b c d e", "a b c d e f",
		"the cat the cat the cat the cat the cat the cat the cat",
		"İSTANBUL ÇAĞLAYAN Şehir ΑΘΗΝΑ ΣΟΦΙΑ Ǆemal ǅ ǆ straße STRASSE",
		"prices rose ٣٤ per cent in १९८७ and 12.5% in 1988",
		"bad \xff\xfe bytes \xc3 here \xe2\x82 and there, then more words follow",
		"tab\tseparated\nlines\r\nand\u00a0no-break\u2009thin spaces, em\u2014dash",
		"Ⅻ roman numeral ½ fraction ² superscript ㊿ circled",
		story, sameTopic,
	}
	for _, text := range texts {
		if diff := cmp.Diff(signReference(text), Sign(text)); diff != "" {
			t.Errorf("Sign(%q) (-want +got):\n%s", text, diff)
		}
	}
	corpus := benchTexts(t)
	differ := 0
	for _, text := range corpus {
		if !cmp.Equal(signReference(text), Sign(text)) {
			differ++
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d articles of the bench corpus signed differently from the reference", differ, len(corpus))
	}
}

// BenchmarkSign signs every article of the shared benchmark corpus and
// reports MB/s of text.
func BenchmarkSign(b *testing.B) {
	texts := benchTexts(b)
	var size int64
	for _, t := range texts {
		size += int64(len(t))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			Sign(t)
		}
	}
}

// BenchmarkSignReference is BenchmarkSign for the reference implementation,
// to compare.
func BenchmarkSignReference(b *testing.B) {
	texts := benchTexts(b)
	var size int64
	for _, t := range texts {
		size += int64(len(t))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			signReference(t)
		}
	}
}
