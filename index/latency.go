package index

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Latencies runs q n times in a row and returns the median and the 99th
// percentile of the wall-clock time of Search, for `make bench`.
func Latencies(ctx context.Context, ix *Index, q Query, n int) (p50, p99 time.Duration, err error) {
	if n <= 0 {
		return 0, 0, errors.New("index: latencies: n must be positive")
	}
	ds := make([]time.Duration, n)
	for i := range ds {
		t := time.Now()
		if _, err := ix.Search(ctx, q); err != nil {
			return 0, 0, err
		}
		ds[i] = time.Since(t)
	}
	slices.Sort(ds)
	return ds[n/2], ds[(n*99+99)/100-1], nil
}
