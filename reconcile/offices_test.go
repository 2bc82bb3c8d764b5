package reconcile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// TestRoleConflictsAreBetweenOffices checks that only two offices of one
// class, given to one person in articles published close together, make a
// role conflict.
func TestRoleConflictsAreBetweenOffices(t *testing.T) {
	tests := []struct {
		name   string
		roles  [3]string
		want   []string // role conflict ids
		values []string // its versions' values
	}{
		{name: "two ministries", roles: [3]string{"Home Secretary", "Home Secretary", "Foreign Secretary"},
			want: []string{"role:ann-carter"}, values: []string{"Home Secretary", "Foreign Secretary"}},
		{name: "actor and star are no offices", roles: [3]string{"actor", "actor", "star"}},
		{name: "boss and manager are no offices", roles: [3]string{"boss", "boss", "manager"}},
		{name: "a chair is often chief executive too", roles: [3]string{"chairman", "chairman", "chief executive"}},
		{name: "a former office is no office held", roles: [3]string{"Home Secretary", "Home Secretary", "former Foreign Secretary"}},
		{name: "one office throughout", roles: [3]string{"Prime Minister", "Prime Minister", "Prime Minister"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var arts []trawl.Article
			for i, r := range tt.roles {
				id := string(rune('a'+i)) + "1"
				arts = append(arts, article(t, id, "2025-06-0"+string(rune('1'+i)), "Wire "+id, r+" Ann Carter spoke.", per("Ann Carter", "", r)))
			}
			res := reconcileT(t, arts, Options{})
			var got, values []string
			for _, d := range ofKind(res.Discrepancies, trawl.RoleConflict) {
				got = append(got, d.ID)
				for _, v := range d.Versions {
					values = append(values, v.Value)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("role conflicts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.values, values); diff != "" {
				t.Errorf("versions (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFigureChangeSubjects checks that a change keeps a subject only when it
// is a noun phrase the figure measures, and is kept without one otherwise.
func TestFigureChangeSubjects(t *testing.T) {
	tests := []struct{ subject, want string }{
		{"corporate tax rate", "Corporate tax rate fell from 45% to 42% (1 article); a change over time, not a conflict"},
		{"Five years ago", "A figure fell from 45% to 42% (1 article); a change over time, not a conflict"},
		{"Scaled back", "A figure fell from 45% to 42% (1 article); a change over time, not a conflict"},
		{"November", "A figure fell from 45% to 42% (1 article); a change over time, not a conflict"},
		{"Year end", "A figure fell from 45% to 42% (1 article); a change over time, not a conflict"},
		{"Delivered", "A figure fell from 45% to 42% (1 article); a change over time, not a conflict"},
		{"First", "A figure fell from 45% to 42% (1 article); a change over time, not a conflict"},
		{"first half profits", "First half profits fell from 45% to 42% (1 article); a change over time, not a conflict"},
	}
	for _, tt := range tests {
		t.Run(tt.subject, func(t *testing.T) {
			s := pct("42%", "42", tt.subject)
			s.from = "45"
			arts := []trawl.Article{article(t, "a1", "2025-06-01", "A", "The figure fell from 45% to 42% this year.", s)}
			var got []string
			for _, d := range ofKind(reconcileT(t, arts, Options{}).Discrepancies, trawl.FigureChange) {
				got = append(got, d.Summary)
			}
			if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
				t.Errorf("figure changes (-want +got):\n%s", diff)
			}
		})
	}
}
