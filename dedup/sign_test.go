package dedup

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	gocmp "github.com/google/go-cmp/cmp"
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
		if diff := gocmp.Diff(signReference(text), Sign(text)); diff != "" {
			t.Errorf("Sign(%q) (-want +got):\n%s", text, diff)
		}
	}
	corpus := benchTexts(t)
	differ := 0
	for _, text := range corpus {
		if !gocmp.Equal(signReference(text), Sign(text)) {
			differ++
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d articles of the bench corpus signed differently from the reference", differ, len(corpus))
	}
}

// BenchmarkSign signs every article of the shared benchmark corpus and
// reports MB/s of text.
func BenchmarkSign(b *testing.B) { benchSigning(b, func(t string) { Sign(t) }) }

// BenchmarkSignReference is BenchmarkSign for the reference implementation,
// to compare.
func BenchmarkSignReference(b *testing.B) { benchSigning(b, func(t string) { signReference(t) }) }

// benchSigning runs sign over every article of the benchmark corpus per
// iteration, with the corpus's bytes as the benchmark's size.
func benchSigning(b *testing.B, sign func(string)) {
	texts := benchTexts(b)
	var size int64
	for _, t := range texts {
		size += int64(len(t))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			sign(t)
		}
	}
}

// groupsReference is groups as first written, with a map of buckets per
// band; groups must find the same groups with the same comparisons.
func groupsReference(sigs map[string]Signature) ([]Group, int) {
	ids := make([]string, 0, len(sigs))
	for id, s := range sigs {
		if s.valid() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	parent := make([]int, len(ids))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	compared := map[[2]int]bool{}
	for band := range Bands {
		buckets := map[[Rows]uint32][]int{}
		for i, id := range ids {
			var key [Rows]uint32
			copy(key[:], sigs[id].Mins[band*Rows:(band+1)*Rows])
			buckets[key] = append(buckets[key], i)
		}
		lists := make([][]int, 0, len(buckets))
		for _, members := range buckets {
			if len(members) > 1 {
				lists = append(lists, members)
			}
		}
		slices.SortFunc(lists, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
		for _, members := range lists {
			var reps []int
			for _, j := range members {
				joined := false
				for _, i := range reps {
					if find(i) == find(j) {
						joined = true
						continue
					}
					if compared[[2]int{i, j}] {
						continue
					}
					compared[[2]int{i, j}] = true
					if Near(sigs[ids[i]], sigs[ids[j]]) {
						ri, rj := find(i), find(j)
						parent[max(ri, rj)] = min(ri, rj)
						joined = true
					}
				}
				if !joined {
					reps = append(reps, j)
				}
			}
		}
	}
	byRoot := map[int][]string{}
	for i, id := range ids {
		r := find(i)
		byRoot[r] = append(byRoot[r], id)
	}
	var out []Group
	for _, members := range byRoot {
		if len(members) > 1 {
			out = append(out, Group{ID: members[0], Articles: members})
		}
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Compare(a.ID, b.ID) })
	return out, len(compared)
}

// TestGroupsMatchReference checks that groups finds the groups and makes
// the comparisons of the reference on the bench corpus with two altered
// copies of every tenth article (lines in another order, the last line
// dropped), when the corpus is there.
func TestGroupsMatchReference(t *testing.T) {
	texts := benchTexts(t)
	sigs := map[string]Signature{}
	for i, text := range texts {
		id := fmt.Sprintf("a%05d", i)
		sigs[id] = Sign(text)
		if i%10 == 0 {
			lines := strings.Split(text, "\n")
			slices.Reverse(lines)
			sigs[id+"-reversed"] = Sign(strings.Join(lines, "\n"))
			sigs[id+"-cut"] = Sign(strings.Join(lines[1:], "\n"))
		}
	}
	want, wantCompared := groupsReference(sigs)
	got, gotCompared, _ := groups(newMemSource(sigs))
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if gotCompared != wantCompared {
		t.Errorf("groups compared %d pairs, the reference %d", gotCompared, wantCompared)
	}
	t.Logf("%d signatures, %d groups, %d pairs compared", len(sigs), len(got), gotCompared)
}

// BenchmarkGroups groups the signatures of the bench corpus and reports
// articles per second.
func BenchmarkGroups(b *testing.B) {
	sigs := map[string]Signature{}
	for i, text := range benchTexts(b) {
		sigs[fmt.Sprintf("a%05d", i)] = Sign(text)
	}
	b.ResetTimer()
	for b.Loop() {
		Groups(sigs)
	}
	b.ReportMetric(float64(len(sigs)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
