package eval

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

func golds(ids ...string) []Gold {
	out := make([]Gold, len(ids))
	for i, id := range ids {
		out[i] = Gold{Article: trawl.Article{ID: id}}
	}
	return out
}

func TestSplit(t *testing.T) {
	var train []string
	for i := range 20 {
		train = append(train, fmt.Sprintf("conll2003-train/%04d", i))
	}
	tests := []struct {
		name  string
		gold  []Gold
		want  []Part
		rule  string
		split bool
	}{
		{"meantime by topic", golds("meantime/airbus/a", "meantime/apple/b", "meantime/airbus/c"),
			[]Part{{"airbus", []int{0, 2}}, {"apple", []int{1}}}, "by topic", true},
		{"ecb+ odd and even topics", golds("ecbplus/1/1_1ecb", "ecbplus/2/2_1ecb", "ecbplus/13/13_4ecbplus"),
			[]Part{{"odd topics", []int{0, 2}}, {"even topics", []int{1}}}, "by topic number", true},
		{"training file: the last 15% held out", golds(train...),
			[]Part{{"first 85% (trained on)", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}, {"last 15% (held out)", []int{17, 18, 19}}}, "by record order", true},
		{"seeds have no rule", golds("seeds/000", "seeds/001"), nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule, a, b, ok := Split(tt.gold)
			if ok != tt.split || rule != tt.rule {
				t.Fatalf("Split = %q, %v; want %q, %v", rule, ok, tt.rule, tt.split)
			}
			if !ok {
				return
			}
			if diff := cmp.Diff(tt.want, []Part{a, b}); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
		})
	}
}
