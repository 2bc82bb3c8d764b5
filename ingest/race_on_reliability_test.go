//go:build race

package ingest

// raceEnabled is set when the tests run under the race detector, which
// makes extraction about ten times slower; big-input tests shrink.
const raceEnabled = true
