//go:build race

package cli

// raceEnabled is true when the tests run under the race detector, which
// makes whole runs about ten times slower: the long ones run smaller
// there (the README's `go test ./...` in .ci/run runs them whole).
const raceEnabled = true
