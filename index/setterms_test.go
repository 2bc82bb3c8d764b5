package index

import (
	"fmt"
	"strings"
	"testing"
)

// TestSetTermsBudget: the remembered facet term sets stay within their
// budget, the set just recorded is known, and some older ones are dropped
// to make room.
func TestSetTermsBudget(t *testing.T) {
	var c setTerms
	terms := strings.Repeat("p/someone\xff", 100)
	n := 2 * setTermsBudget / len(terms)
	for i := range n {
		c.put(fmt.Sprintf("%032x", i), terms)
		if c.bytes > setTermsBudget {
			t.Fatalf("after %d sets: %d bytes, over the budget of %d", i+1, c.bytes, setTermsBudget)
		}
	}
	last := fmt.Sprintf("%032x", n-1)
	if got, ok := c.get(last); !ok || got != terms {
		t.Errorf("the last set recorded is not known")
	}
	if len(c.terms) >= n {
		t.Errorf("%d of %d sets kept: none dropped", len(c.terms), n)
	}
	if _, ok := c.get("unknown"); ok {
		t.Errorf("an unknown key is known")
	}
	var none *setTerms
	none.put("k", "t")
	if _, ok := none.get("k"); ok {
		t.Errorf("a nil setTerms knows a set")
	}
}
