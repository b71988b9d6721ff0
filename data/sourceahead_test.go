package data

import (
	"errors"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

// aheadFiles writes five files of n generated daily bars, A to E, and
// returns their paths. C's line 1501 (its 1500th row) is a row with a
// negative close, put there or in place of the row that was there.
func aheadFiles(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	paths, err := GenerateFiles(dir, GenOptions{Symbols: []string{"A", "B", "C", "D", "E"}, Bars: n, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(paths[2])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	date, _, _ := strings.Cut(lines[1500], ",")
	lines[1500] = date + ",1,1,1,-1,1\n"
	if err := os.WriteFile(paths[2], []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return paths
}

// aheadRun is what a merged read of files returned.
type aheadRun struct {
	bars     []engine.Bar
	ends     []int // timestamp i's bars are bars[ends[i-1]:ends[i]]
	err      string
	eof      bool
	skipped  int
	skipErrs []string
	digests  []Digest
}

// readFiles merges paths, with ReadAhead when ahead, reads them to their
// error and asks the merge what it read.
func readFiles(t *testing.T, paths []string, opts Options, ahead bool) aheadRun {
	t.Helper()
	m, err := OpenAll(paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if ahead {
		m.ReadAhead()
	}
	var r aheadRun
	for {
		r.bars, err = m.Next(r.bars)
		if err != nil {
			r.err, r.eof = err.Error(), errors.Is(err, io.EOF)
			break
		}
		r.ends = append(r.ends, len(r.bars))
	}
	r.skipped, r.skipErrs = m.Skipped(5)
	r.digests, err = m.Digests()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReadAheadSame: five files read with each source ahead on its own
// goroutine give the same bars, timestamp by timestamp, the same error
// (the bad row of the third file, with its file and line, after every bar
// before it), the same skipped rows and the same digests as read without,
// with one core or four.
func TestReadAheadSame(t *testing.T) {
	const n = 3000
	paths := aheadFiles(t, n)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		for _, policy := range []BadRowPolicy{FailOnBadRow, SkipBadRow} {
			opts := Options{BadRows: policy}
			want := readFiles(t, paths, opts, false)
			got := readFiles(t, paths, opts, true)
			// The reference itself: every bar of the five files but the bad
			// row, or the error at C's line 1501 after the 1499 bars of each
			// file dated before the bad row.
			if policy == SkipBadRow {
				if !want.eof || len(want.bars) != 5*n-1 || want.skipped != 1 || len(want.skipErrs) != 1 || !strings.Contains(want.skipErrs[0], "C.csv:1501") {
					t.Fatalf("reference under SkipBadRow: %d bars, %d skipped %q, %s", len(want.bars), want.skipped, want.skipErrs, want.err)
				}
			} else if want.eof || !strings.Contains(want.err, "C.csv:1501") || len(want.bars) != 5*1499 || want.skipped != 0 {
				t.Fatalf("reference: %d bars, error %s", len(want.bars), want.err)
			}
			if len(want.digests) != 5 {
				t.Fatalf("reference: %d digests, want 5", len(want.digests))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GOMAXPROCS %d, %v: read ahead: %d bars, %d timestamps, error %s, skipped %d %q, digests %v; without: %d bars, %d timestamps, error %s, skipped %d %q, digests %v",
					procs, policy, len(got.bars), len(got.ends), got.err, got.skipped, got.skipErrs, got.digests,
					len(want.bars), len(want.ends), want.err, want.skipped, want.skipErrs, want.digests)
			}
		}
	}
}

// TestReadAheadStop: a merge closed, or asked what it read, before the
// end, with its sources' goroutines blocked on full batches, stops them;
// the digests are those of the whole files all the same, and afterwards
// the merge returns the bars it holds and then io.EOF.
func TestReadAheadStop(t *testing.T) {
	paths := aheadFiles(t, 3000)
	full := readFiles(t, paths, Options{}, false).digests
	before := runtime.NumGoroutine()
	for _, reads := range []int{0, 1, 700} {
		m, err := OpenAll(paths, Options{})
		if err != nil {
			t.Fatal(err)
		}
		m.ReadAhead()
		for range reads {
			if _, err := m.Next(nil); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(time.Millisecond) // let the sources fill their batches
		if reads > 0 {
			d, err := m.Digests()
			if err != nil || !reflect.DeepEqual(d, full) {
				t.Errorf("after %d timestamps: digests %v, %v; want %v", reads, d, err, full)
			}
			// The merge still holds one bar of each source; then the
			// sources end, as a Reader does after Digest.
			bars, err := m.Next(nil)
			if _, end := m.Next(nil); err != nil || len(bars) != 5 || end != io.EOF {
				t.Errorf("after %d timestamps and Digests: %d bars, %v, then %v; want 5 bars, then io.EOF", reads, len(bars), err, end)
			}
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	after := testkit.SettledGoroutines(before)
	if after > before {
		t.Errorf("%d goroutines after Close, %d before", after, before)
	}
}

// TestReadAheadOneSource: a merge of one source reads it as it is.
func TestReadAheadOneSource(t *testing.T) {
	paths := aheadFiles(t, 3000)
	m, err := OpenAll(paths[:1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.ReadAhead()
	if _, ok := m.sources[0].(*sourceAhead); ok {
		t.Error("the only source is read ahead")
	}
}
