package document

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLower checks that Lower gives what strings.ToLower gives for every
// span of a text mixing ASCII, accented capitals and invalid UTF-8.
func TestLower(t *testing.T) {
	const s = "Mr BESSENT said 5% of ÉLYSÉE's \xff Budget was İstanbul-bound; ÖL and OIL."
	d := New(s, time.Time{})
	defer d.Release()
	var want, got []string
	for i := 0; i <= len(s); i++ {
		for j := i; j <= len(s); j++ {
			want = append(want, strings.ToLower(s[i:j]))
			got = append(got, d.Lower(i, j))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lower differs from strings.ToLower (-want +got):\n%s", diff)
	}
}
