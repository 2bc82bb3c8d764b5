package store

import "github.com/trawlnews/trawl"

// EncodeArticle returns a in the store's binary article form (see
// encodeArticle): every field, Text included, several times cheaper to
// decode than JSON. Package cluster carries extracted articles from the
// workers to the coordinator in it.
func EncodeArticle(a *trawl.Article) []byte { return encodeArticle(a) }

// DecodeArticle decodes into a an article encoded by EncodeArticle (or as
// a JSON object).
func DecodeArticle(v []byte, a *trawl.Article) error { return decodeArticle(v, a) }
