// Package trawl holds the domain types of trawl, a tool that turns a folder of
// trade-news articles into a searchable, reconciled record of who said what,
// when, and by how much.
//
// The pipeline runs one way:
//
//	corpus     reads files and JSONL records into Articles (headers, encodings, hashes)
//	extract    finds PERSON, DATE, PERCENT and COMMODITY mentions in each Article
//	reconcile  groups people across articles into Entities and finds Discrepancies
//	index      puts articles into a bleve index for search with facets
//	store      keeps it all in a store directory, incrementally; cmd/trawl and web use it
package trawl
