package report

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
	"github.com/quantloop/quantloop/internal/testkit"
)

// fullDisk fails every write after the first limit bytes, as a full disk
// does.
type fullDisk struct{ limit int }

var errDiskFull = errors.New("no space left on device")

func (d *fullDisk) Write(b []byte) (int, error) {
	if len(b) > d.limit {
		n := d.limit
		d.limit = 0
		return n, errDiskFull
	}
	d.limit -= len(b)
	return len(b), nil
}

// TestWriteBehindDiskFull: a write of a row file that fails on the rows'
// goroutine is the run's error: the run stops on it (a later Write
// method returns it) or, when the run ended first, Err and Finish return
// it, or Finish when the last flush fails; the directory is left as it was; and the goroutine ends.
func TestWriteBehindDiskFull(t *testing.T) {
	for _, tc := range []struct {
		name  string
		file  string
		limit int
	}{
		{"equity.csv at once", EquityFile, 0},
		{"equity.csv after 10 KB", EquityFile, 10 << 10},
		{"fills.csv at once", FillsFile, 0},
		{"orders.csv after 2 KB", OrdersFile, 2 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			cfg := goldenConfig()
			dir := t.TempDir()
			w, err := NewWriter(dir, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range w.files {
				if f.name == tc.file {
					f.w = bufio.NewWriterSize(io.MultiWriter(&fullDisk{tc.limit}, f.sum), 512)
				}
			}
			res, runErr := backtest.Options{Sink: w}.Run(context.Background(), cfg)
			if res == nil {
				t.Fatal(runErr)
			}
			defer res.Close()
			// A write that fails on the last flush is Finish's error.
			if werr := w.Err(); werr != nil && !errors.Is(werr, errDiskFull) {
				t.Fatalf("Err: %v, want the disk's error", werr)
			}
			if runErr != nil && !errors.Is(runErr, errDiskFull) {
				t.Errorf("the run's error %v is not the disk's", runErr)
			}
			if err := w.Finish(res); !errors.Is(err, errDiskFull) {
				t.Errorf("Finish: %v, want the disk's error", err)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("the directory holds %d entries", len(ents))
			}
			after := testkit.SettledGoroutines(before)
			if after > before {
				t.Errorf("%d goroutines after the run, %d before", after, before)
			}
		})
	}
}

// TestWriteBehindAbort: Abort in the middle of a run ends the rows'
// goroutine.
func TestWriteBehindAbort(t *testing.T) {
	before := runtime.NumGoroutine()
	w, err := NewWriter(t.TempDir(), goldenConfig())
	if err != nil {
		t.Fatal(err)
	}
	p := backtest.EquityPoint{Time: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), Value: 100000}
	for i := range 3 * rowBatchSize {
		p.Time = p.Time.Add(time.Minute)
		p.Value += float64(i % 7)
		if err := w.WriteEquity(&p); err != nil {
			t.Fatal(err)
		}
	}
	w.Abort()
	after := testkit.SettledGoroutines(before)
	if after > before {
		t.Errorf("%d goroutines after Abort, %d before", after, before)
	}
}
