package eval

import (
	"strconv"
	"strings"
)

// Part is one of the two parts a gold file is split into for a held-out
// score: its name, and the indexes of its records in the file.
type Part struct {
	Name    string
	Records []int
}

// Split cuts a gold file into two parts by a fixed rule on its record ids
// and order, so that a score on one part can be compared with a score on
// the other: the gap between them shows how much of a score comes from
// tuning to particular documents. It returns the rule in words and the
// parts, or ok false for a file without a rule (seeds: three documents).
//
// The rules: MEANTIME by topic (airbus, apple); ECB+ by topic number (odd,
// even); TempEval-3 by corpus (TimeBank, AQUAINT); CoNLL-2003 dev and
// Reuters-21578 by record order (first half, second half); the CoNLL-2003
// training file into the first 85% of its records, which the name tagger is
// trained on, and the last 15%, which it never sees.
func Split(gold []Gold) (rule string, a, b Part, ok bool) {
	if len(gold) < 2 {
		return "", Part{}, Part{}, false
	}
	id := gold[0].ID
	var inA func(i int, id string) bool
	switch {
	case strings.HasPrefix(id, "meantime/"):
		rule, a.Name, b.Name = "by topic", "airbus", "apple"
		inA = func(_ int, id string) bool { return strings.HasPrefix(id, "meantime/airbus/") }
	case strings.HasPrefix(id, "ecbplus/"):
		rule, a.Name, b.Name = "by topic number", "odd topics", "even topics"
		inA = func(_ int, id string) bool {
			topic, _, _ := strings.Cut(strings.TrimPrefix(id, "ecbplus/"), "/")
			n, _ := strconv.Atoi(topic)
			return n%2 == 1
		}
	case strings.HasPrefix(id, "tempeval3/"):
		rule, a.Name, b.Name = "by corpus", "TimeBank", "AQUAINT"
		inA = func(_ int, id string) bool { return strings.HasPrefix(id, "tempeval3/TimeBank/") }
	case strings.HasPrefix(id, "conll2003-train/"):
		cut := len(gold) - (len(gold)*15+99)/100
		rule, a.Name, b.Name = "by record order", "first 85% (trained on)", "last 15% (held out)"
		inA = func(i int, _ string) bool { return i < cut }
	case strings.HasPrefix(id, "conll2003-dev/"), strings.HasPrefix(id, "reuters/"):
		rule, a.Name, b.Name = "by record order", "first half", "second half"
		inA = func(i int, _ string) bool { return i < len(gold)/2 }
	default:
		return "", Part{}, Part{}, false
	}
	for i, g := range gold {
		if inA(i, g.ID) {
			a.Records = append(a.Records, i)
		} else {
			b.Records = append(b.Records, i)
		}
	}
	return rule, a, b, len(a.Records) > 0 && len(b.Records) > 0
}
