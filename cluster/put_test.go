package cluster

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/cluster/embedded"
	"github.com/trawlnews/trawl/corpus"
)

// BenchmarkPutText compares the CPU of putting one article text (2.5 KB,
// the bench corpus's mean) in the text bucket with the object store's Put
// and with resources.putText, the server in this process, so that the
// CPU per put (cpu-µs/op) counts the client and the server.
func BenchmarkPutText(b *testing.B) {
	s, err := embedded.Server(b.TempDir(), -1)
	if err != nil {
		b.Fatal(err)
	}
	defer embedded.Shutdown(s)
	ctx := context.Background()
	res := benchResources(ctx, b, s.ClientURL())
	base := strings.Repeat("Copper rose 2% on Monday, said Janet Yellen. ", 56)
	for _, bc := range []struct {
		name string
		put  func(h, text string) error
	}{
		{"object-store-Put", func(h, text string) error { _, err := res.texts.PutString(ctx, h, text); return err }},
		{"two-publishes", func(h, text string) error { _, err := res.putText(ctx, h, text); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cpu := cpuTime()
			for i := range b.N {
				text := fmt.Sprintf("%s %s %d", base, bc.name, i)
				if err := bc.put(corpus.Hash([]byte(text)), text); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
