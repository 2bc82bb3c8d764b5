// Command trawlbench measures trawl's throughput on a benchmark corpus and
// prints one Markdown table: the read-and-split floor, extraction at 1 and N
// workers, allocations per article, full ingest (MB/s, peak RSS) at each
// corpus scale, re-ingest of an unchanged corpus and search latencies. It is
// what `make bench` runs; docs/performance.md explains the figures.
//
// Usage:
//
//	trawlbench [-corpus DIR] [-trawl BIN] [-scales 1,10] [-workers N] [-tmp DIR]
//
// For profiling there are single-purpose modes: -ingestprofile FILE (an
// in-process ingest of -corpus; with TRAWLBENCH_REINGEST_PROFILE=FILE also
// ten re-ingests), -refreshprofile STORE (reconcile and index an existing
// store again, with -cpuprofile and -memprofile) and -searchprofile STORE
// (the search latencies of an existing store; TRAWLBENCH_COMPACT=1 merges
// its index first).
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
