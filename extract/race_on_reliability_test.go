//go:build race

package extract

// raceEnabled is set when the tests run under the race detector, which
// makes extraction about ten times slower; timing tests shrink their inputs.
const raceEnabled = true
