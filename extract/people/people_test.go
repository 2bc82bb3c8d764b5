package people

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/extract/tagger"
)

// personGot is what a reader checks in a PERSON mention: the name, its
// role and the in-article person it is grouped under.
type personGot struct {
	Text, Role, Entity string
}

// peopleIn runs Find over text split into sentences.
func peopleIn(text string) []personGot {
	doc := document.New(text, time.Time{})
	var got []personGot
	for _, m := range Find(doc) {
		got = append(got, personGot{m.Text, m.Role, m.Entity})
	}
	return got
}

func TestFindPeople(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []personGot
	}{
		{
			name: "title with nationality",
			text: "U.S. Treasury Secretary Scott Bessent arrived in London.",
			want: []personGot{{"Scott Bessent", "Treasury Secretary", "Scott Bessent"}},
		},
		{
			name: "commerce secretary",
			text: "The talks included Commerce Secretary Howard Lutnick.",
			want: []personGot{{"Howard Lutnick", "Commerce Secretary", "Howard Lutnick"}},
		},
		{
			name: "trade representative",
			text: "The delegation includes U.S. Trade Representative Jamieson Greer.",
			want: []personGot{{"Jamieson Greer", "Trade Representative", "Jamieson Greer"}},
		},
		{
			name: "title with an of-phrase before the name",
			text: "President of the United States Donald Trump spoke in Berlin.",
			want: []personGot{{"Donald Trump", "President of the United States", "Donald Trump"}},
		},
		{
			name: "of-phrase cut by a line break",
			text: "Gerold Tandler, General Secretary of the Christian Social\nUnion Party, spoke.",
			want: []personGot{{"Gerold Tandler", "", "Gerold Tandler"}},
		},
		{
			name: "demonym before president",
			text: "He spoke with Chinese President Xi Jinping by phone.",
			want: []personGot{{"Xi Jinping", "President", "Xi Jinping"}},
		},
		{
			name: "cabinet title other than the trade ones",
			text: "Agriculture Secretary Brooke Rollins said soybean exports to China had dropped.",
			want: []personGot{{"Brooke Rollins", "Agriculture Secretary", "Brooke Rollins"}},
		},
		{
			name: "a region's people are not a person",
			text: "He also urged action to persuade West Africans to transfer funds home.",
			want: nil,
		},
		{
			name: "organisation before director",
			text: "U.S. National Economic Council Director Kevin Hassett said exports resumed.",
			want: []personGot{{"Kevin Hassett", "National Economic Council Director", "Kevin Hassett"}},
		},
		{
			name: "vice premier then title and surname He",
			text: "Vice Premier He Lifeng will lead the delegation. He said the talks were useful. Vice Premier He is expected to remain in the UK.",
			want: []personGot{
				{"He Lifeng", "Vice Premier", "He Lifeng"},
				{"He", "Vice Premier", "He Lifeng"},
			},
		},
		{
			name: "a head title on a surname does not join a different full name",
			text: "Eric Trump, who runs the family business, spoke in Miami. President Trump, speaking at the White House, said farmers would benefit.",
			want: []personGot{
				{"Eric Trump", "", "Eric Trump"},
				{"Trump", "President", "Trump"},
			},
		},
		{
			name: "apposition after full name",
			text: "Kevin Hassett, director of the National Economic Council, said exports resumed.",
			want: []personGot{{"Kevin Hassett", "director of the National Economic Council", "Kevin Hassett"}},
		},
		{
			name: "apposition after surname",
			text: "\"We are close,\" said Bessent, the Treasury Secretary.",
			want: []personGot{{"Bessent", "Treasury Secretary", "Bessent"}},
		},
		{
			name: "surname later in the article",
			text: "Treasury Secretary Scott Bessent met his counterpart. Bessent said the talks were good. Later Bessent's aides left.",
			want: []personGot{
				{"Scott Bessent", "Treasury Secretary", "Scott Bessent"},
				{"Bessent", "", "Scott Bessent"},
				{"Bessent", "", "Scott Bessent"},
			},
		},
		{
			name: "title and surname without full name",
			text: "President Trump said he received positive updates.",
			want: []personGot{{"Trump", "President", "Trump"}},
		},
		{
			name: "surname before full name",
			text: "Bessent said on Monday that he was hopeful. Treasury Secretary Scott Bessent leads the team.",
			want: []personGot{
				{"Bessent", "", "Scott Bessent"},
				{"Scott Bessent", "Treasury Secretary", "Scott Bessent"},
			},
		},
		{
			name: "middle initial and short form",
			text: "George W. Bush met reporters. Later George Bush left.",
			want: []personGot{
				{"George W. Bush", "", "George W. Bush"},
				{"George Bush", "", "George W. Bush"},
			},
		},
		{
			name: "particles",
			text: "Commission President Ursula von der Leyen met Jean-Pierre Raffarin at the memorial to Charles de Gaulle.",
			want: []personGot{
				{"Ursula von der Leyen", "Commission President", "Ursula von der Leyen"},
				{"Jean-Pierre Raffarin", "", "Jean-Pierre Raffarin"},
				{"Charles de Gaulle", "", "Charles de Gaulle"},
			},
		},
		{
			name: "apostrophes, Mc and suffix",
			text: "Ryanair chief executive Michael O'Leary criticised Senator John McCain and Martin Luther King Jr. praised them.",
			want: []personGot{
				{"Michael O'Leary", "chief executive", "Michael O'Leary"},
				{"John McCain", "Senator", "John McCain"},
				{"Martin Luther King Jr.", "", "Martin Luther King Jr."},
			},
		},
		{
			name: "possessive",
			text: "Treasury Secretary Scott Bessent's team arrived. Bessent’s aides followed.",
			want: []personGot{
				{"Scott Bessent", "Treasury Secretary", "Scott Bessent"},
				{"Bessent", "", "Scott Bessent"},
			},
		},
		{
			name: "lower-case role before name",
			text: "JSA Research defence analyst Paul Nesbit said the value could rise.",
			want: []personGot{{"Paul Nesbit", "analyst", "Paul Nesbit"}},
		},
		{
			name: "honorific is no role",
			text: "Mr. Lee Hsien Loong spoke first.",
			want: []personGot{{"Lee Hsien Loong", "", "Lee Hsien Loong"}},
		},
		{
			name: "conll tokenised text",
			text: "West Indian all-rounder Phil Simmons took four for 38 on Friday .\nHussain , considered surplus to England 's one-day requirements , struck 158 .\nEssex reached 372 after Nasser Hussain and Peter Such batted .",
			want: []personGot{
				{"Phil Simmons", "all-rounder", "Phil Simmons"},
				{"Hussain", "", "Nasser Hussain"},
				{"Nasser Hussain", "", "Nasser Hussain"},
				{"Peter Such", "", "Peter Such"},
			},
		},
		{
			name: "conll results list",
			text: "Somerset 83 and 174 ( P. Simmons 4-38 ) , Leicestershire 296 .\nDerbyshire 471 ( J. Adams 123 , T.O'Gorman 109 not out )",
			want: []personGot{
				{"P. Simmons", "", "P. Simmons"},
				{"J. Adams", "", "J. Adams"},
				{"T.O'Gorman", "", "T.O'Gorman"},
			},
		},
		{
			name: "conll cricket scorecard",
			text: "Pakistan\nSaeed Anwar c Hussain b Cork 5\nWasim Akram b Harris 4",
			want: []personGot{
				{"Saeed Anwar", "", "Saeed Anwar"},
				{"Hussain", "", "Hussain"},
				{"Cork", "", "Cork"},
				{"Wasim Akram", "", "Wasim Akram"},
				{"Harris", "", "Harris"},
			},
		},
		{
			name: "capitalised common word before a given name",
			text: "Senior Trooper William Hakim, a bomb squad technician, was killed.",
			want: []personGot{{"William Hakim", "", "William Hakim"}},
		},
		{
			name: "title-case headline",
			text: "Director Gary Ross Still In Negotiations For The Sequel",
			want: []personGot{{"Gary Ross", "Director", "Gary Ross"}},
		},
		{
			name: "name in capitals in a headline",
			text: "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN .\nThe world 's costliest footballer Alan Shearer was named captain .",
			want: []personGot{
				{"SHEARER", "", "Alan Shearer"},
				{"Alan Shearer", "footballer", "Alan Shearer"},
			},
		},
		{
			name: "ecb+ one sentence a line with url",
			text: "http://www.example.com/news/tara-reid-rehab\nTara Reid Finally Checks Into Rehab For Undisclosed Reasons\nPeople said Reid's representative Jack Ketsoyan confirmed the stay.",
			want: []personGot{
				{"Tara Reid", "", "Tara Reid"},
				{"Reid", "", "Tara Reid"},
				{"Jack Ketsoyan", "representative", "Jack Ketsoyan"},
			},
		},
		{
			name: "title-case headline: a name, a verb, another name",
			text: "Tara Reid Leaves Jack Ketsoyan, Hires New Lawyer\nReid said Ketsoyan had been fired.",
			want: []personGot{
				{"Tara Reid", "", "Tara Reid"},
				{"Jack Ketsoyan", "", "Jack Ketsoyan"},
				{"Reid", "", "Tara Reid"},
				{"Ketsoyan", "", "Jack Ketsoyan"},
			},
		},
		{
			name: "title-case headline: a name, a verb, a clinic named after a person",
			text: "Tara Reid Checks Into Mary Smith Clinic\nReid was seen at the clinic on Tuesday.",
			want: []personGot{{"Tara Reid", "", "Tara Reid"}, {"Reid", "", "Tara Reid"}},
		},
		{
			name: "a surname before the office it leads",
			text: "Officials criticised the Okonkwo campaign on Friday.",
			want: []personGot{{"Okonkwo", "", "Okonkwo"}},
		},
		{
			name: "a party or a seat of government before an office noun",
			text: "Officials criticised the Labour campaign and the Kremlin administration on Friday.",
		},
		{
			name: "a surname alone next to a verb of saying",
			text: "The court ruled on Tuesday.\n\"We will appeal,\" Okonkwo argued after the hearing.",
			want: []personGot{{"Okonkwo", "", "Okonkwo"}},
		},
		{
			name: "a word of an organisation's name next to a verb of saying",
			text: "Okonkwo Holdings Ltd lost the case on Tuesday.\n\"We will appeal,\" Okonkwo argued after the hearing.",
		},
		{
			name: "a firm's name next to a verb of saying",
			text: "The court ruled on Tuesday.\n\"We will appeal,\" Microsoft said after the hearing.",
		},
		{
			name: "a name the tagger takes for a team's is a person's when its surname alone is a person's",
			text: "Philadelphia 76ers Fire Coach, Hire Calvin Knees\nThe team announced that Calvin Knees has been hired as head coach.\nKnees arrives in Philadelphia after a year in Portland.\n\"I am happy to be here,\" Knees said.\nKnees, 48, played for the team.\nKnees told reporters he would start on Monday.\n",
			want: []personGot{
				{"Calvin Knees", "", "Calvin Knees"},
				{"Calvin Knees", "", "Calvin Knees"},
				{"Knees", "", "Calvin Knees"},
				{"Knees", "", "Calvin Knees"},
				{"Knees", "", "Calvin Knees"},
				{"Knees", "", "Calvin Knees"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, peopleIn(tt.text)); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestFindPeopleNotPeople(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"title alone", "The Vice Premier will lead the delegation."},
		{"pronoun at sentence start", "He said the talks were useful. He left early."},
		{"countries", "Talks between the United States and China resumed."},
		{"court", "A ruling by the U.S. Court of International Trade questioned the tariffs."},
		{"ministry", "China's Ministry of Commerce confirmed it had approved licences."},
		{"council", "The National Economic Council met on Tuesday."},
		{"treasury and white house", "The Treasury and the White House declined to comment."},
		{"companies", "Apple and Airbus reported results, Reuters said."},
		{"places and demonyms", "Chinese officials met in London on Monday."},
		{"days and months", "On Friday, June 6, officials met. In May they met again."},
		{"sentence-initial common words", "Meanwhile, exports grew. Analysts are watching. Over the weekend, talks continued."},
		{"places after in", "The conference was held in San Francisco and in Los Angeles."},
		{"organisation before a noun", "Workers marched outside the offices at Charles de Gaulle airport."},
		{"company name with an ampersand", "Customers of AT&T. Many buyers waited."},
		{"title of a company", "General Motors and General Electric both fell."},
		{"headline in capitals", "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT ."},
		{"sports teams", "The Texas Rangers beat the Cleveland Indians as the Florida Marlins lost."},
		{"organisation nouns around a name", "Talks with US bank Wells Fargo stalled, and its Alfa Romeo subsidiary grew."},
		{"a name the article also uses as an organisation's", "Aer Lingus buys jets. Irish national airline Aer Lingus said so."},
		{"firms named after people", "Morgan Stanley and Merrill Lynch cut their forecasts, analysts at the banks said."},
		{"a firm with a person's name and Co", "Shares of <James Capel and Co> gained."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := peopleIn(tt.text); len(got) != 0 {
				t.Errorf("Find(%q) = %+v, want no people", tt.text, got)
			}
		})
	}
}

// TestFindNames checks that organisations and places come out with their
// types next to the people, and that a firm named after its founders is an
// organisation.
func TestFindNames(t *testing.T) {
	type named struct{ Type, Text string }
	tests := []struct {
		text string
		want []named
	}{
		{"Shares of Ford Motor Co rose in New York on Tuesday, said analyst John Smith.",
			[]named{{"ORGANIZATION", "Ford Motor Co"}, {"LOCATION", "New York"}, {"PERSON", "John Smith"}}},
		{"Morgan Stanley and Merrill Lynch cut their forecasts for Germany, analysts at the banks said.",
			// Firms named after their founders are no people, and two
			// firms joined by "and" are two names ("Securities and Exchange
			// Commission" is one).
			[]named{{"ORGANIZATION", "Morgan Stanley"}, {"ORGANIZATION", "Merrill Lynch"}, {"LOCATION", "Germany"}}},
		{"Follow #TradeTalks for more.", nil},
	}
	for _, tt := range tests {
		ms := FindNames(document.New(tt.text, time.Time{}))
		slices.SortFunc(ms, func(a, b trawl.Mention) int { return a.Start - b.Start })
		var got []named
		for _, m := range ms {
			got = append(got, named{string(m.Type), m.Text})
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("FindNames(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestFindPeopleSeeds checks every person of the three seed articles: the
// spans must equal the gold file's, and names, roles and groupings must be
// the ones written here.
func TestFindPeopleSeeds(t *testing.T) {
	want := map[string][]personGot{
		"seeds/000_ac9690d5760d0952": {
			{"Scott Besset", "Treasury Secretary", "Scott Besset"},
			{"Howard Lutnick", "Commerce Secretary", "Howard Lutnick"},
			{"Jamie Greer", "Trade Representative", "Jamie Greer"},
			{"Donald Trump", "President", "Donald Trump"},
			{"Xi Jinping", "President", "Xi Jinping"},
		},
		"seeds/001_65d83bc85e607672": {
			{"Scott Bessent", "Treasury Secretary", "Scott Bessent"},
			{"Howard Lutnick", "Commerce Secretary", "Howard Lutnick"},
			{"Jamieson Greer", "Trade Representative", "Jamieson Greer"},
			{"He Lifeng", "Vice Premier", "He Lifeng"},
			{"Kevin Hassett", "National Economic Council Director", "Kevin Hassett"},
			{"He", "Vice Premier", "He Lifeng"},
		},
		"seeds/003_a17ed81ac00cb93e": {
			{"Scott Bessent", "Treasury Secretary", "Scott Bessent"},
			{"Howard Lutnick", "Commerce Secretary", "Howard Lutnick"},
			{"Trump", "President", "Trump"},
			{"He Lifeng", "Vice Premier", "He Lifeng"},
		},
	}
	recs := gold.Records(t, "seeds.jsonl")
	if len(recs) != len(want) {
		t.Fatalf("seeds.jsonl has %d records, the test knows %d", len(recs), len(want))
	}
	for _, r := range recs {
		doc := document.New(r.Text, time.Time{})
		got := Find(doc)
		var gotNames []personGot
		var gotSpans, goldSpans [][2]int
		for _, m := range got {
			gotNames = append(gotNames, personGot{m.Text, m.Role, m.Entity})
			gotSpans = append(gotSpans, [2]int{m.Start, m.End})
		}
		for _, m := range r.Mentions {
			if m.Type == trawl.Person {
				goldSpans = append(goldSpans, [2]int{m.Start, m.End})
			}
		}
		if diff := cmp.Diff(want[r.ID], gotNames); diff != "" {
			t.Errorf("%s: people (-want +got):\n%s", r.ID, diff)
		}
		if diff := cmp.Diff(goldSpans, gotSpans); diff != "" {
			t.Errorf("%s: spans against the gold file (-want +got):\n%s", r.ID, diff)
		}
	}
}

func FuzzPeople(f *testing.F) {
	for _, s := range []string{
		"U.S. Treasury Secretary Scott Bessent's team met Vice Premier He Lifeng.",
		"Kevin Hassett, director of the National Economic Council, said",
		"( P. Simmons 4-38 ) , T.O'Gorman 109 not out",
		"Ursula von der Leyen and Martin Luther King Jr. met George W. Bush.",
		"Émile Zola’s café — Jean-Pierre al-Assad\n'",
		"A. B. C. D. E.",
		"Mr. . Dr.",
		"ÉAize Aoaa\xe2\x80's 000000000000000000000000000000", // invalid UTF-8 once reached prose
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		doc := document.New(text, time.Time{})
		for _, m := range Find(doc) {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
				t.Fatalf("mention %+v out of range for %d bytes", m, len(text))
			}
			if m.Text != text[m.Start:m.End] {
				t.Fatalf("mention text %q, text[%d:%d] = %q", m.Text, m.Start, m.End, text[m.Start:m.End])
			}
			if utf8.ValidString(text) && (!utf8.RuneStart(text[m.Start]) || m.End < len(text) && !utf8.RuneStart(text[m.End])) {
				t.Fatalf("mention %+v splits a rune", m)
			}
			if m.Type != trawl.Person || m.Entity == "" {
				t.Fatalf("mention %+v: want type PERSON and an entity key", m)
			}
		}
	})
}

// BenchmarkPeopleCapitalRun checks that a run of 100,000 capitalised words
// costs time linear in its length: compare ns/op against the input size.
func BenchmarkPeopleCapitalRun(b *testing.B) {
	words := []string{"Alpha", "Vice", "Premier", "Bravo", "Charlie", "President", "Delta"}
	var sb strings.Builder
	for i := range 100000 {
		sb.WriteString(words[i%len(words)])
		sb.WriteByte(' ')
	}
	text := sb.String()
	doc := document.New(text, time.Time{})
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(doc)
	}
}

// BenchmarkPeople measures Find over the first 200 files of the shared
// benchmark corpus. The share of the time the name tagger takes shows in a
// CPU profile (go test -bench People -cpuprofile cpu.out, then tagger.Names
// in go tool pprof): production code keeps no counter for it.
func BenchmarkPeople(b *testing.B) {
	dir := gold.Shared("bench", "corpus")
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		b.Skipf("benchmark corpus not available in %s", dir)
	}
	slices.Sort(names)
	names = names[:min(200, len(names))]
	var docs []*document.Document
	size := 0
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		text := string(raw)
		docs = append(docs, document.New(text, time.Time{}))
		size += len(text)
	}
	loadLexicon()
	tagger.WarmNames()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			Find(d)
		}
	}
}
