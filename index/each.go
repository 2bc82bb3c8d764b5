package index

import "context"

// Each calls fn for every hit of q, page after page of MaxLimit hits from
// q.Offset on, ignoring q.Limit, so that an export streams every matching
// article without a page cap; facets are those of the first page. It stops
// at the first error fn returns.
func (ix *Index) Each(ctx context.Context, q Query, fn func(Hit) error) error {
	q.Limit = MaxLimit
	q.Offset = max(q.Offset, 0)
	for {
		res, err := ix.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			if err := fn(h); err != nil {
				return err
			}
		}
		q.Offset += len(res.Hits)
		if len(res.Hits) == 0 || uint64(q.Offset) >= res.Total {
			return nil
		}
	}
}
