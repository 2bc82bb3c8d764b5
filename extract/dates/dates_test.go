package dates

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/internal/gold"
)

// fields is the part of a DATE mention a reader checks.
type fields struct {
	Text, Value, Warning string
}

// runDates extracts the DATE mentions of text published on pub ("" for
// unknown) and checks that every offset matches its text.
func runDates(t testing.TB, text, pub string) []fields {
	t.Helper()
	doc := document.New(text, time.Time{})
	if pub != "" {
		p, err := time.Parse("2006-01-02", pub)
		if err != nil {
			t.Fatalf("bad published %q: %v", pub, err)
		}
		doc.Published = p
	}
	var got []fields
	for _, m := range Find(doc) {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End || text[m.Start:m.End] != m.Text {
			t.Fatalf("mention %+v does not match text[%d:%d]", m, m.Start, m.End)
		}
		got = append(got, fields{m.Text, m.Value, m.Warning})
	}
	return got
}

func TestFindDates(t *testing.T) {
	tests := []struct {
		name, text, pub string
		want            []fields
	}{
		{"weekday with date", "Officials will meet on Monday, June 9th, to revisit the deal.", "2025-06-08",
			[]fields{{"Monday, June 9th", "2025-06-09", ""}}},
		{"last weekday", "The leaders spoke by phone last Friday.", "2025-06-08",
			[]fields{{"last Friday", "2025-06-06", ""}}},
		{"last weekday on the same weekday", "The leaders spoke by phone last Monday.", "2025-06-09",
			[]fields{{"last Monday", "2025-06-02", ""}}},
		{"last weekday with date in brackets", "This follows a 90-minute phone call last Friday (June 6th) between them.", "2025-06-08",
			[]fields{{"last Friday (June 6th)", "2025-06-06", ""}}},
		{"bare weekday past tense", "On Friday, U.S. officials announced the talks.", "2025-06-08",
			[]fields{{"Friday", "2025-06-06", ""}}},
		{"bare weekday future tense", "The meeting is scheduled to take place in London on Monday.", "2025-06-08",
			[]fields{{"Monday", "2025-06-09", ""}}},
		{"bare weekday is the publication day", "Talks followed six hours of dialogue in London on Monday.", "2025-06-09",
			[]fields{{"Monday", "2025-06-09", ""}}},
		{"bare weekday future after publication day", "Trade discussions will continue on Tuesday.", "2025-06-09",
			[]fields{{"Tuesday", "2025-06-10", ""}}},
		{"possessive weekday", "Observers will be closely watching Monday’s meeting.", "2025-06-08",
			[]fields{{"Monday", "2025-06-09", ""}}},
		{"next week", "Officials are scheduled to hold a meeting next week.", "2025-06-08",
			[]fields{{"next week", "2025-W24", ""}}},
		{"this week", "The outcome of this week’s meetings matters.", "2025-06-09",
			[]fields{{"this week", "2025-W24", ""}}},
		{"last week", "He spoke last week.", "2025-06-09",
			[]fields{{"last week", "2025-W23", ""}}},
		{"the weekend published on sunday", "Over the weekend, China confirmed the delegation.", "2025-06-08",
			[]fields{{"the weekend", "2025-W23", ""}}},
		{"the weekend published on monday", "Over the weekend, China confirmed the delegation.", "2025-06-09",
			[]fields{{"the weekend", "2025-W23", ""}}},
		{"month past", "They built on a temporary agreement reached in May.", "2025-06-08",
			[]fields{{"May", "2025-05", ""}}},
		{"month later in the year past tense", "Exports collapsed in July.", "2025-06-08",
			[]fields{{"July", "2024-07", ""}}},
		{"month future", "The new rules will take effect in May.", "2025-06-08",
			[]fields{{"May", "2026-05", ""}}},
		{"early month", "A 90-day pause is set to expire in early July.", "2025-06-09",
			[]fields{{"early July", "2025-07", ""}}},
		{"quarter", "Growth is expected to pick up in the fourth quarter.", "2025-06-09",
			[]fields{{"the fourth quarter", "2025-Q4", ""}}},
		{"quarter adjective", "The company reported a third-quarter loss.", "2025-11-02",
			[]fields{{"third-quarter", "2025-Q3", ""}}},
		{"year", "Prices peaked in 2019.", "2025-06-09",
			[]fields{{"2019", "2019", ""}}},
		{"decade", "Prices were lower in the 1990s.", "2025-06-09",
			[]fields{{"1990s", "199", ""}}},
		{"month and day", "He will remain in the UK until June 13 for further talks.", "2025-06-09",
			[]fields{{"June 13", "2025-06-13", ""}}},
		{"month and day nearest year", "The tariff took effect on Dec. 28.", "2026-01-03",
			[]fields{{"Dec. 28", "2025-12-28", ""}}},
		{"abbreviated month", "The tariff took effect on Jan. 5.", "2025-06-09",
			[]fields{{"Jan. 5", "2025-01-05", ""}}},
		{"yesterday today tomorrow", "Yesterday the index fell; today it rose and tomorrow it may rest.", "2025-06-09",
			[]fields{{"Yesterday", "2025-06-08", ""}, {"today", "2025-06-09", ""}, {"tomorrow", "2025-06-10", ""}}},
		{"last year", "Exports fell last year.", "2025-06-09",
			[]fields{{"last year", "2024", ""}}},
		{"next month", "Prices will rise next month.", "2025-06-09",
			[]fields{{"next month", "2025-07", ""}}},
		{"weeks ago", "The deal was signed two weeks ago.", "2025-06-09",
			[]fields{{"two weeks ago", "2025-W22", ""}}},
		{"days ago", "The ship left port 10 days ago.", "2025-06-09",
			[]fields{{"10 days ago", "2025-05-30", ""}}},
		{"month and year", "Output rose in March 2024.", "2025-06-09",
			[]fields{{"March 2024", "2024-03", ""}}},
		{"iso date", "The filing is dated 2025-06-09.", "",
			[]fields{{"2025-06-09", "2025-06-09", ""}}},
		{"day first", "The order was signed on 9 June 2025.", "",
			[]fields{{"9 June 2025", "2025-06-09", ""}}},
		{"month day year", "Jobs was born on February 24, 1955.", "2011-10-06",
			[]fields{{"February 24, 1955", "1955-02-24", ""}}},
		{"mid year", "The system ships in mid-2026.", "2025-06-09",
			[]fields{{"mid-2026", "2026", ""}}},
		{"quarter code", "Revenue in Q3 2025 beat forecasts.", "2025-06-09",
			[]fields{{"Q3 2025", "2025-Q3", ""}}},
		{"half year", "Sales grew in the first half of 2025.", "2025-09-01",
			[]fields{{"the first half of 2025", "2025-H1", ""}}},
		{"half of a named year", "Sales grew in the second half of last year and will in the first half of next year.", "2025-09-01",
			[]fields{{"the second half of last year", "2024-H2", ""}, {"the first half of next year", "2026-H1", ""}}},
		{"half of a game is no date", "He scored in the first half.", "2025-09-01", nil},
		{"quarter of last year", "Output fell in the first quarter of last year.", "2025-09-01",
			[]fields{{"the first quarter of last year", "2024-Q1", ""}}},
		{"same period a year earlier", "Profit rose from the same period a year earlier.", "2025-09-01",
			[]fields{{"the same period a year earlier", "2024", ""}}},
		{"same quarter last year", "Third-quarter profit rose from the same quarter last year.", "2025-11-01",
			[]fields{{"Third-quarter", "2025-Q3", ""}, {"the same quarter last year", "2024-Q3", ""}}},
		{"market close on the day", "The shares closed 3% higher on the day.", "2025-09-01",
			[]fields{{"the day", "2025-09-01", ""}}},
		{"the day of an event is no publication date", "Polls closed on the day of the vote.", "2025-09-01", nil},
		{"decade with a modifier", "Prices were lower in the early 1980s.", "2025-06-09",
			[]fields{{"early 1980s", "198", ""}}},
		{"decade with two digits", "Prices were lower in the '90s.", "2025-06-09",
			[]fields{{"'90s", "199", ""}}},
		{"season with year", "The plant opens in summer 2026, after the winter of 2025.", "2025-06-09",
			[]fields{{"summer 2026", "2026-SU", ""}, {"the winter of 2025", "2025-WI", ""}}},
		{"deictic season", "Prices rose last summer.", "2025-09-20",
			[]fields{{"last summer", "2025-SU", ""}}},
		{"year range in one word", "Output rose in 1995-96 and in 2019/20.", "2025-06-09",
			[]fields{{"1995-96", "1995", ""}, {"2019/20", "2019", ""}}},
		{"year range in words", "Output rose from 2019 to 2021.", "2025-06-09",
			[]fields{{"2019", "2019", ""}, {"2021", "2021", ""}}},
		{"quantity range is no year range", "They shipped 1500-2000 tonnes.", "2025-06-09", nil},
		{"holidays", "Sales peaked on Christmas Eve and slowed after New Year's Day; the plant shut on Independence Day 2024.", "2025-01-10",
			[]fields{{"Christmas Eve", "2024-12-24", ""}, {"New Year's Day", "2025-01-01", ""}, {"Independence Day 2024", "2024-07-04", ""}}},
		{"this morning", "Apple announced the cut this morning.", "2025-06-09",
			[]fields{{"this morning", "2025-06-09", ""}}},
		{"weekday morning", "The ministry said on Friday morning that talks were over.", "2025-06-09",
			[]fields{{"Friday morning", "2025-06-06", ""}}},
		{"unknown publication date", "They met last Friday, in May, on June 6, 2025 and in 2019.", "",
			[]fields{{"last Friday", "", ""}, {"May", "", ""}, {"June 6, 2025", "2025-06-06", ""}, {"2019", "2019", ""}}},
		{"unknown publication date relative", "Yesterday and next week and June 13.", "",
			[]fields{{"Yesterday", "", ""}, {"next week", "", ""}, {"June 13", "", ""}}},
		{"weekday disagrees with date", "The summit opens Monday, June 10, 2025.", "2025-06-01",
			[]fields{{"Monday, June 10, 2025", "2025-06-10", "June 10, 2025 is a Tuesday, not a Monday"}}},
		{"invalid day of month", "The vote is due on February 30.", "2025-01-10",
			[]fields{{"February 30", "", "February 30 is not a valid date"}}},
		{"invalid ordinal day", "It happened on the 32nd of June.", "2025-01-10",
			[]fields{{"32nd of June", "", "June 32 is not a valid date"}}},
		{"durations", "The agreement set a 90-day window after six hours of talks and three years of delay.", "2025-06-09", nil},
		{"sets", "Officials meet every Monday and publish weekly reports.", "2025-06-09", nil},
		{"now and recently", "Prices are now higher and recently rose.", "2025-06-09", nil},
		{"ages", "Jobs died aged 56, at the age of 56.", "2025-06-09", nil},
		{"quantities", "They shipped 1,000 tonnes, 2019 tonnes and paid $2019.", "2025-06-09", nil},
		{"month before a pronoun", "In August she said the plant would close; the firm said in March it would cut jobs.", "2025-09-10",
			[]fields{{"August", "2025-08", ""}, {"March", "2025-03", ""}}},
		{"year said in words", "In nineteen ninety-six the plant closed.", "1998-03-01",
			[]fields{{"nineteen ninety-six", "1996", ""}}},
		{"number in words is no year", "It lasted nineteen ninety days.", "1998-03-01", nil},
		{"the year of the report", "Net income for the year, the company said, rose.", "1989-11-02",
			[]fields{{"the year", "1989", ""}}},
		{"adjective in -ed is no past tense", "The reduced dividend is payable Jan. 2.", "1989-11-02",
			[]fields{{"Jan. 2", "1990-01-02", ""}}},
		{"may the modal", "Prices may rise. May I ask a question?", "2025-06-09", nil},
		{"march the noun", "They joined the march on Washington.", "2025-06-09", nil},
		{"may the name", "Prime Minister Theresa May said so.", "2025-06-09", nil},
		{"august the name", "The playwright August Wilson wrote it.", "2025-06-09", nil},
		{"fiscal reporting quarter", "For its fiscal first quarter ended Sept. 30 the bank earned $4 million, against $3 million a year earlier; sales in the latest period rose 5%.", "1989-11-02",
			[]fields{{"fiscal first quarter", "1989-Q1", ""}, {"Sept. 30", "1989-09-30", ""}, {"a year earlier", "1988-Q1", ""}, {"the latest period", "1989-Q1", ""}}},
		{"forecast quarter is no reporting quarter", "Third-quarter profit fell. The firm expects fourth-quarter sales to rise from a year earlier.", "1989-11-02",
			[]fields{{"Third-quarter", "1989-Q3", ""}, {"fourth-quarter", "1989-Q4", ""}, {"a year earlier", "1988-Q3", ""}}},
		{"clock time before a day", "The offer expires at 5 p.m. EST, Dec. 4; the fire broke out at 10 p.m. Friday and was out by mid-morning yesterday.", "2025-11-30",
			[]fields{{"5 p.m. EST, Dec. 4", "2025-12-04", ""}, {"10 p.m. Friday", "2025-11-28", ""}, {"mid-morning yesterday", "2025-11-29", ""}}},
		{"around before a date", "The sale should close around year end or around Jan. 15.", "2025-11-30",
			[]fields{{"around year end", "2025", ""}, {"around Jan. 15", "2026-01-15", ""}}},
		{"clock time alone is a time of the publication day", "Trading ended at 4 p.m. in New York, 21 hours later.", "2025-11-30",
			[]fields{{"4 p.m.", "2025-11-30", ""}}},
		{"month and season with a year said in words", "Prices fell in January nineteen ninety-seven and in the winter of nineteen ninety-four.", "1998-03-01",
			[]fields{{"January nineteen ninety-seven", "1997-01", ""}, {"the winter of nineteen ninety-four", "1994-WI", ""}}},
		{"a plan seen from the past", "The offer, which had been due to expire on Friday, was extended; talks had been scheduled for Thursday.", "2025-12-01",
			[]fields{{"Friday", "2025-11-28", ""}, {"Thursday", "2025-11-27", ""}}},
		{"effective date", "The firm named a new chief, effective Feb. 1, and a new chairman effective in March.", "2025-10-20",
			[]fields{{"Feb. 1", "2026-02-01", ""}, {"March", "2026-03", ""}}},
		{"had been expected is no plan for the date", "The sale, which had been expected, pays down debt by February.", "2025-10-20",
			[]fields{{"February", "2026-02", ""}}},
		{"open end and or so", "It will not be profitable until 2027 or later, in 2028 and beyond, or over the next year or so; sales fell in the last half of 2024.", "2025-06-09",
			[]fields{{"2027 or later", "2027", ""}, {"2028 and beyond", "2028", ""}, {"the next year or so", "2026", ""}, {"the last half of 2024", "2024-H2", ""}}},
		{"year ago for a run of months", "Third-quarter net rose from a year earlier. For the nine months, net fell from $5 million a year earlier.", "2025-10-30",
			[]fields{{"Third-quarter", "2025-Q3", ""}, {"a year earlier", "2024-Q3", ""}, {"a year earlier", "2024", ""}}},
		{"year period in quarterly results", "Third-quarter net rose. In the 2024 period, net was lower. For the nine months, sales rose from the 2024 period.", "2025-10-30",
			[]fields{{"Third-quarter", "2025-Q3", ""}, {"the 2024 period", "2024-Q3", ""}, {"the 2024 period", "2024", ""}}},
		{"anaphoric dates refer to the last date named", "In March 2019 the mill closed; the following month it was sold, and that year output fell. The following year it reopened.", "2025-06-09",
			[]fields{{"March 2019", "2019-03", ""}, {"the following month", "2019-04", ""}, {"that year", "2019", ""}, {"The following year", "2020", ""}}},
		{"anaphoric dates without an anchor and that day", "That year was hard. Traders lost money on trades made that day.", "2025-06-09", nil},
		{"around an amount is no part of the date", "Sales should hold around 2024 levels and turn around last year's loss.", "2025-06-09",
			[]fields{{"2024", "2024", ""}, {"last year", "2024", ""}}},
		{"days told from the story's own time line", "The plant was shut on March 3, 2019. Earlier that day a fire broke out; the next morning it was out, and the following day it reopened.", "2025-06-09",
			[]fields{{"March 3, 2019", "2019-03-03", ""}, {"Earlier that day", "2019-03-03", ""}, {"the next morning", "2019-03-04", ""}, {"the following day", "2019-03-05", ""}}},
		{"movable holidays", "Shops shut on Good Friday 2024 and Easter Monday 2024; sales peaked at Thanksgiving, after Labor Day and Memorial Day.", "2025-12-10",
			[]fields{{"Good Friday 2024", "2024-03-29", ""}, {"Easter Monday 2024", "2024-04-01", ""}, {"Thanksgiving", "2025-11-27", ""}, {"Labor Day", "2025-09-01", ""}, {"Memorial Day", "2025-05-26", ""}}},
		{"easter next year and names", "The plant reopens at Easter. The Good Friday Agreement holds on Easter Island.", "2025-12-10",
			[]fields{{"Easter", "2026-04-05", ""}}},
		{"a holiday inside a longer name", "On Holocaust Memorial Day the school shut. On Memorial Day it opened.", "2025-06-10",
			[]fields{{"Memorial Day", "2025-05-26", ""}}},
		{"half-year codes", "Revenue rose in H1 2024 and should rise in H2 2025 as H2 fuel cells sell.", "2024-09-10",
			[]fields{{"H1 2024", "2024-H1", ""}, {"H2 2025", "2025-H2", ""}}},
		{"title this week", `Baker said on ABC's "This Week" that talks were over.`, "2025-06-09", nil},
		{"the year and its number", "By the year two thousand and one the line was gone; the year 2010 was worse.", "2012-05-04",
			[]fields{{"the year two thousand and one", "2001", ""}, {"the year 2010", "2010", ""}}},
		{"the year after a part of a year", "Sales rose 4% in the first nine months of the year, and should hold for the rest of the year.", "2025-10-20",
			[]fields{{"the year", "2025", ""}, {"the year", "2025", ""}}},
		{"of the year in a title or a generic time", "She was named manager of the year; this time of the year is slow.", "2025-10-20", nil},
		{"earlier in the year", "Planting was delayed earlier in the year by rain.", "2025-10-20",
			[]fields{{"earlier in the year", "2025", ""}}},
		{"today in the sense of nowadays", "In today's world, the people of tomorrow use today's personal computers.", "2025-10-20", nil},
		{"today as a date", "As of today, today's meeting is on; tomorrow's vote follows, ahead of today's session.", "2025-10-20",
			[]fields{{"today", "2025-10-20", ""}, {"today", "2025-10-20", ""}, {"tomorrow", "2025-10-21", ""}, {"today", "2025-10-20", ""}}},
		{"last year's quarter", "Sales in last year's quarter were $3 million.", "2025-10-20",
			[]fields{{"last year's quarter", "2024-Q3", ""}}},
		{"infinitive leaves the tense open", "The firm agreed to buy the unit in February. Prices rose to within 5% of the high set in March.", "2025-11-02",
			[]fields{{"February", "2026-02", ""}, {"March", "2025-03", ""}}},
		{"spelled ordinal day", "Women's Day is this coming Sunday, March eighth. In May first quarter sales rose.", "1998-03-05",
			[]fields{{"this coming Sunday, March eighth", "1998-03-08", ""}, {"May", "1997-05", ""}, {"first quarter", "1998-Q1", ""}}},
		{"that quarter after a day", "The second quarter ended Oct. 31. Results for that quarter included a charge.", "2025-11-20",
			[]fields{{"The second quarter", "2025-Q2", ""}, {"Oct. 31", "2025-10-31", ""}, {"that quarter", "2025-Q2", ""}}},
		{"the quarter ended a month", "In the quarter ended July 31 the chain earned less than in the year-ago quarter.", "2025-10-20",
			[]fields{{"the quarter", "2025-Q2", ""}, {"July 31", "2025-07-31", ""}, {"the year-ago quarter", "2024-Q2", ""}}},
		{"season with an edge", "Output recovered from the low levels of the early summer and should peak in late autumn 2026.", "2025-10-20",
			[]fields{{"the early summer", "2025-SU", ""}, {"late autumn 2026", "2026-FA", ""}}},
		{"the fiscal year", "The charge will cut earnings for the fiscal year.", "2025-10-20",
			[]fields{{"the fiscal year", "2025", ""}}},
		{"holidays with an apostrophe and US movable holidays", "Sales peaked on Valentine's Day, Presidents' Day, Mother's Day and Election Day.", "2024-12-10",
			[]fields{{"Valentine's Day", "2024-02-14", ""}, {"Presidents' Day", "2024-02-19", ""}, {"Mother's Day", "2024-05-12", ""}, {"Election Day", "2024-11-05", ""}}},
		{"the quarter a year ago", "Third-quarter net fell. For the quarter a year ago, net was $2 million; in the period a year earlier, sales were flat.", "2025-10-30",
			[]fields{{"Third-quarter", "2025-Q3", ""}, {"the quarter a year ago", "2024-Q3", ""}, {"the period a year earlier", "2024-Q3", ""}}},
		{"today in a name after an acronym", "He told USA Today that this is VOA Today.", "2025-10-30", nil},
		{"martin luther king day and columbus day", "Markets close for Martin Luther King Jr. Day and stay open on Columbus Day.", "2025-01-02",
			[]fields{{"Martin Luther King Jr. Day", "2025-01-20", ""}, {"Columbus Day", "2024-10-14", ""}}},
		{"clock time alone is on the publication day", "The fire broke out around 7:15 p.m., the police said.", "2025-03-04",
			[]fields{{"around 7:15 p.m.", "2025-03-04", ""}}},
		{"clock time alone is on the last day named", "The jet left on May 2. It landed at 6:40 p.m. (GMT +8) and took off again at 9am.", "2025-06-10",
			[]fields{{"May 2", "2025-05-02", ""}, {"6:40 p.m. (GMT +8)", "2025-05-02", ""}, {"9am", "2025-05-02", ""}}},
		{"clock time before a day is part of the day", "Talks broke off at 10 p.m. Wednesday; the offer ends at 5 p.m. EST, Nov. 9.", "2025-11-07",
			[]fields{{"10 p.m. Wednesday", "2025-11-05", ""}, {"5 p.m. EST, Nov. 9", "2025-11-09", ""}}},
		{"the week of a market report", "The index fell 20 points on Friday. For the week, it lost 2%, and volume hit the week's high.", "2025-11-10",
			[]fields{{"Friday", "2025-11-07", ""}, {"the week", "2025-W45", ""}, {"the week", "2025-W45", ""}}},
		{"the week before or a week is no date", "He works twice a week. The week before, he rested, and the week ended quietly.", "2025-11-10", nil},
		{"later in the day", "Shares fell on Tuesday and recovered later in the day. He will speak earlier in the day.", "2025-11-13",
			[]fields{{"Tuesday", "2025-11-11", ""}, {"the day", "2025-11-11", ""}, {"the day", "2025-11-11", ""}}},
		{"later in the day without a day named", "The minister arrived later in the day.", "2025-11-13",
			[]fields{{"the day", "2025-11-13", ""}}},
		{"mid and a part of the day", "It rained on March 2. By mid afternoon the streets had flooded, and by mid-morning Friday they were dry.", "2025-03-10",
			[]fields{{"March 2", "2025-03-02", ""}, {"mid afternoon", "2025-03-02", ""}, {"mid-morning Friday", "2025-03-07", ""}}},
		{"mid part of the day as a kind of time", "The mid-afternoon slump is real, and a mid-morning break helps.", "2025-03-10", nil},
		{"the year ended a day is a fiscal year", "For the year ended Sept. 30, net rose; in the fiscal year ending June 30, 2026, it should fall.", "2025-10-20",
			[]fields{{"the year", "2025", ""}, {"Sept. 30", "2025-09-30", ""}, {"the fiscal year", "2026", ""}, {"June 30, 2026", "2026-06-30", ""}}},
		{"the year ended a later month is last year's", "Profit for the year ended Dec. 31 fell.", "2025-03-20",
			[]fields{{"the year", "2024", ""}, {"Dec. 31", "2024-12-31", ""}}},
		{"the previous and the following weekday count from the last day named", "Stocks fell on Friday, 4% below the previous Friday. Talks began on Oct. 3 and ended the following Friday.", "2025-10-27",
			[]fields{{"Friday", "2025-10-24", ""}, {"the previous Friday", "2025-10-17", ""}, {"Oct. 3", "2025-10-03", ""}, {"the following Friday", "2025-10-10", ""}}},
		{"deictic fiscal year", "Sales were $6 billion in the latest fiscal year and will rise next fiscal year; last fiscal year's loss is gone.", "2025-10-26",
			[]fields{{"the latest fiscal year", "2024", ""}, {"next fiscal year", "2026", ""}, {"last fiscal year", "2024", ""}}},
		{"clock times in a range of hours or before a day", "Doors open from 8am to 6pm and between 9 a.m. and 5 p.m.; the bar is open 11pm-2am. The sale opened at 8am on Friday.", "2025-03-10",
			[]fields{{"Friday", "2025-03-07", ""}}},
		{"the last quarter of a year", "Prices rose in the last quarter of 2024 and fell in the last quarter of last year.", "2026-03-11",
			[]fields{{"the last quarter of 2024", "2024-Q4", ""}, {"the last quarter of last year", "2025-Q4", ""}}},
		{"no clock without a.m. or p.m.", "The score was 7:15 at half time and he ran 100 m in 10 s.", "2025-03-04", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runDates(t, tt.text, tt.pub)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestFindDatesSeeds checks the seed articles against values worked out by
// hand from their publication dates (000 and 001 on Sunday 2025-06-08, 003
// on Monday 2025-06-09).
func TestFindDatesSeeds(t *testing.T) {
	tests := []struct {
		file, pub string
		want      []fields
	}{
		{"000_ac9690d5760d0952.txt", "2025-06-08", []fields{
			{"next week", "2025-W24", ""},
			{"Monday, June 9th", "2025-06-09", ""},
			{"last Friday (June 6th)", "2025-06-06", ""},
			{"Monday", "2025-06-09", ""},
		}},
		{"001_65d83bc85e607672.txt", "2025-06-08", []fields{
			{"Monday", "2025-06-09", ""},
			{"Friday", "2025-06-06", ""},
			{"the weekend", "2025-W23", ""},
			{"May", "2025-05", ""},
			{"the weekend", "2025-W23", ""},
			{"May", "2025-05", ""},
			{"June 13", "2025-06-13", ""},
		}},
		{"003_a17ed81ac00cb93e.txt", "2025-06-09", []fields{
			{"Tuesday", "2025-06-10", ""},
			{"Monday", "2025-06-09", ""},
			{"May", "2025-05", ""},
			{"early July", "2025-07", ""},
			{"Wednesday, June 4", "2025-06-04", ""},
			{"this week", "2025-W24", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(gold.Shared("seeds", tt.file))
			if err != nil {
				t.Skipf("seed article not available (needs ../shared/seeds next to the repository): %v", err)
			}
			got := runDates(t, string(b), tt.pub)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Find(%s) (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

// pathological are inputs that would expose quadratic behaviour: long
// runs of capitalised words, month names, digits, years and weekdays, each
// as a unit repeated to about the size asked.
var pathological = []struct{ name, unit string }{
	{"capitalised words", "Theresa "},
	{"month names", "May June "},
	{"digits", "1"},
	{"years", "2019 "},
	{"weekdays", "Monday, "},
}

func repeatTo(unit string, size int) string { return strings.Repeat(unit, max(1, size/len(unit))) }

// TestFindDatesLinear checks that finding dates in twice the text allocates
// at most about twice as much (counted, not timed): a matcher that re-reads
// the text for every token allocates in the square of its size.
func TestFindDatesLinear(t *testing.T) {
	for _, p := range pathological {
		t.Run(p.name, func(t *testing.T) {
			small, large := findAllocs(t, repeatTo(p.unit, 64<<10)), findAllocs(t, repeatTo(p.unit, 128<<10))
			if large[0] > 3*small[0] || large[1] > 3*small[1] {
				t.Errorf("doubling the text from 64 KB to 128 KB took %d -> %d bytes, %d -> %d allocations; want at most 3 times as many",
					small[0], large[0], small[1], large[1])
			}
		})
	}
}

// findAllocs runs Find on text and returns the bytes and the number of
// allocations it made.
func findAllocs(t *testing.T, text string) [2]uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	runDates(t, text, "2025-06-09")
	runtime.ReadMemStats(&after)
	return [2]uint64{after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs}
}

// BenchmarkFindDatesPathological finds dates in each pathological input at
// 256 KB, 512 KB and 1 MB; near-linear work shows as a flat MB/s.
func BenchmarkFindDatesPathological(b *testing.B) {
	for _, p := range pathological {
		for _, size := range []int{256 << 10, 512 << 10, 1 << 20} {
			b.Run(fmt.Sprintf("%s/%dKB", strings.ReplaceAll(p.name, " ", "-"), size>>10), func(b *testing.B) {
				text := repeatTo(p.unit, size)
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					Find(document.New(text, time.Time{}))
				}
			})
		}
	}
}

var valueRE = regexp.MustCompile(`^(\d{4}(-\d{2}(-\d{2})?|-W\d{2}|-Q[1-4]|-H[12]|-(SP|SU|FA|WI))?|\d{3})?$`)

func FuzzDates(f *testing.F) {
	for _, s := range []string{
		"Officials will meet on Monday, June 9th, to revisit the deal.",
		"a phone call last Friday (June 6th) between",
		"the fourth quarter of 2025, mid-2026, Q3 2025, the first half of 2025",
		"February 30, 32nd of June, 2025-02-30, 7/8/07, 1990s, $2019",
		"Theresa May may march in March; August Wilson, the weekend",
		"two weeks ago, a year earlier, the year-ago quarter, year's end",
		"\xff\xfe Monday\u2019s 9\u00a0June",
	} {
		f.Add(s, int16(0))
		f.Add(s, int16(200))
	}
	f.Fuzz(func(t *testing.T, text string, days int16) {
		doc := document.New(text, time.Time{})
		if days != 0 {
			doc.Published = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
		}
		// Rune boundaries as Go decodes the text: an invalid byte is a
		// rune of its own.
		boundary := map[int]bool{len(text): true}
		for i := range text {
			boundary[i] = true
		}
		for _, m := range Find(doc) {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
				t.Fatalf("offsets out of range: %+v (len %d)", m, len(text))
			}
			if !boundary[m.Start] || !boundary[m.End] {
				t.Fatalf("offsets not on rune boundaries: %+v", m)
			}
			if m.Text != text[m.Start:m.End] {
				t.Fatalf("Text %q != text[%d:%d] %q", m.Text, m.Start, m.End, text[m.Start:m.End])
			}
			if !valueRE.MatchString(m.Value) {
				t.Fatalf("bad value %q for %q", m.Value, m.Text)
			}
		}
	})
}

func BenchmarkDates(b *testing.B) {
	text := gold.Seeds(b)
	doc := document.New(text, time.Date(2025, 6, 9, 0, 0, 0, 0, time.UTC))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(doc)
	}
}
