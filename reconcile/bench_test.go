package reconcile

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/trawlnews/trawl"
)

// syntheticCorpus builds n articles of about ten PERSON mentions each, drawn
// from a pool of people with occasional misspellings and surname-only
// mentions, plus a dated meeting and a figure per article.
func syntheticCorpus(n int) []trawl.Article {
	rng := rand.New(rand.NewPCG(1, 2))
	syll := []string{"ba", "ke", "ri", "lo", "mu", "sa", "te", "vin", "dor", "el", "an", "ru", "po", "chi", "ne"}
	word := func(k int) string {
		var b strings.Builder
		for i := 0; i < k; i++ {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	given := make([]string, 300)
	for i := range given {
		given[i] = word(2)
	}
	type who struct{ given, surname, role string }
	people := make([]who, 8000)
	for i := range people {
		people[i] = who{given[rng.IntN(len(given))], word(3), fmt.Sprintf("Minister of Thing %d", i%50)}
	}
	arts := make([]trawl.Article, n)
	for i := range arts {
		var b strings.Builder
		a := trawl.Article{ID: fmt.Sprintf("a%06d", i), Source: fmt.Sprintf("src%d", i%40),
			Published: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)}
		for k := 0; k < 10; k++ {
			p := people[rng.IntN(len(people))]
			name := p.given + " " + p.surname
			if rng.IntN(50) == 0 { // misspelt surname
				name = p.given + " " + p.surname[:len(p.surname)-1]
			}
			role := ""
			if rng.IntN(3) == 0 {
				role = p.role
			}
			start := b.Len()
			b.WriteString(name + " said the meeting went well. ")
			a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Person, Start: start, End: start + len(name), Text: name, Entity: name, Role: role})
			if rng.IntN(4) == 0 {
				start = b.Len()
				b.WriteString(p.surname + " agreed. ")
				a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Person, Start: start, End: start + len(p.surname), Text: p.surname, Entity: name})
			}
		}
		start := b.Len()
		b.WriteString("The summit is on Monday. Tariffs on steel rose to ")
		a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Date, Start: start + 17, End: start + 23, Text: "Monday", Value: a.Published})
		start = b.Len()
		v := fmt.Sprint(10 + rng.IntN(3)*5)
		b.WriteString(v + "%.")
		a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Percent, Start: start, End: start + len(v) + 1, Text: v + "%", Value: v, Unit: "percent", Subject: "tariffs on steel"})
		a.Text = b.String()
		arts[i] = a
	}
	return arts
}

// BenchmarkReconcile reconciles 40,000 synthetic articles: about 500,000
// PERSON mentions of 8,000 people, plus a date and a figure per article.
func BenchmarkReconcile(b *testing.B) {
	arts := syntheticCorpus(40000)
	bytes := 0
	for _, a := range arts {
		bytes += len(a.Text)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Reconcile(b.Context(), arts, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Entities) == 0 {
			b.Fatal("no entities")
		}
	}
}
