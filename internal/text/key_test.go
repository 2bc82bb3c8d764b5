package text

import "testing"

func TestNameKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"The World Bank", "world-bank"},
		{"world  bank", "world-bank"},
		{"U.S. Treasury", "u-s-treasury"},
		{"  São Paulo ", "são-paulo"},
		{"Theatre Royal", "theatre-royal"},
		{"--", ""},
	} {
		if got := NameKey(tc.in); got != tc.want {
			t.Errorf("NameKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
