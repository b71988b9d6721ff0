//go:build race

package metrics

// raceEnabled is true when the tests run under the race detector, which
// makes the arithmetic of the long property series about ten times slower:
// those run without it (.ci/run runs them apart).
const raceEnabled = true
