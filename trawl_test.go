package trawl

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDiscrepancyKinds(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []DiscrepancyKind
	}{
		{"name", []DiscrepancyKind{NameSpelling, NameForm}},
		{"change", []DiscrepancyKind{FigureChange}},
		{"name-spelling", []DiscrepancyKind{NameSpelling}},
		{"name-form", []DiscrepancyKind{NameForm}},
		{"role", []DiscrepancyKind{RoleConflict}},
		{"date", []DiscrepancyKind{DateConflict}},
		{"figure", []DiscrepancyKind{FigureConflict}},
		{"figure-change", []DiscrepancyKind{FigureChange}},
	} {
		got, err := ParseDiscrepancyKinds(c.in)
		if err != nil {
			t.Errorf("ParseDiscrepancyKinds(%q): %v", c.in, err)
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("ParseDiscrepancyKinds(%q) (-want +got):\n%s", c.in, diff)
		}
	}
	for _, k := range DiscrepancyKinds {
		if got, err := ParseDiscrepancyKinds(string(k)); err != nil || len(got) != 1 || got[0] != k {
			t.Errorf("ParseDiscrepancyKinds(%q) = %v, %v; want the kind itself", k, got, err)
		}
	}
	for _, bad := range []string{"", "typo", "Name", "names"} {
		_, err := ParseDiscrepancyKinds(bad)
		if !errors.Is(err, ErrUnknownDiscrepancyKind) {
			t.Errorf("ParseDiscrepancyKinds(%q) error = %v, want ErrUnknownDiscrepancyKind", bad, err)
		}
	}
}

func TestSplitChanges(t *testing.T) {
	ds := []Discrepancy{{ID: "a", Kind: NameSpelling}, {ID: "b", Kind: FigureChange}, {ID: "c", Kind: FigureConflict}}
	discs, changes := SplitChanges(ds)
	if diff := cmp.Diff([]Discrepancy{ds[0], ds[2]}, discs); diff != "" {
		t.Errorf("discrepancies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Discrepancy{ds[1]}, changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}
