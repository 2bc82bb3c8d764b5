package ingest

import (
	"encoding/json"

	"github.com/trawlnews/trawl/corpus"
)

// MarshalJSON writes the summary with empty lists as [] (never null) and
// the duration as elapsed_ms, milliseconds, like every duration trawl
// prints as JSON.
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary // without this method
	p := plain(s)
	if p.Skipped == nil {
		p.Skipped = []corpus.Skip{}
	}
	if p.Problems == nil {
		p.Problems = []string{}
	}
	if p.Phases == nil {
		p.Phases = []PhaseTime{}
	}
	return json.Marshal(struct {
		plain
		ElapsedMS float64 `json:"elapsed_ms"`
	}{p, float64(s.Elapsed.Microseconds()) / 1000})
}
