// Package trawl holds the domain types of trawl, a tool that turns a folder of
// trade-news articles into a searchable, reconciled record of who said what,
// when, and by how much.
//
// The pipeline runs one way; ingest drives it, cmd/trawl and web sit on top:
//
//	corpus     reads files and JSONL records into Articles (headers, encodings, hashes)
//	extract    finds PERSON, DATE, PERCENT and COMMODITY mentions in each Article
//	reconcile  groups people across articles into Entities and finds Discrepancies (pure)
//	index      maps Articles to bleve documents; search, facets, name resolution
//	store      keeps the state of a store directory and refreshes reconciliation and index
//
// internal/lexicon and internal/text are the language layer every stage shares:
// the word lists, one tokenization and one sentence splitter per article.
package trawl
