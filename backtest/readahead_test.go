package backtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// cancelAt is a Sink that cancels the run's context at its n-th equity
// point.
type cancelAt struct {
	collector
	n      int
	cancel context.CancelFunc
}

func (c *cancelAt) WriteEquity(p *EquityPoint) error {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.collector.WriteEquity(p)
}

// settledGoroutines waits up to two seconds for the number of goroutines
// to fall to want, and returns it.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	return n
}

// TestReadAheadEnds: a run that reads its files ahead ends its reading
// goroutine however it ends: interrupted while the read-ahead is far
// ahead, or at a bad row, whose error names the file and line and comes
// after the bars before it, which the run processed.
func TestReadAheadEnds(t *testing.T) {
	dir := t.TempDir()
	paths, err := data.GenerateFiles(dir, data.GenOptions{Symbols: []string{"A", "B"}, Bars: 20000, Interval: time.Minute, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	bad := filepath.Join(dir, "bad", "B.csv")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	// Line 5001 holds a negative close.
	if err := os.WriteFile(bad, []byte(strings.Join(lines[:5000], "")+"2099-01-01 09:30:00,1,1,1,-1,1\n"+strings.Join(lines[5000:], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()

	cfg := DefaultConfig()
	cfg.Data.Files = paths
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := &cancelAt{n: 100, cancel: cancel}
	res, err := Options{Sink: sink}.Run(ctx, cfg)
	if !errors.Is(err, engine.ErrInterrupted) || res == nil || res.Stats.Timestamps >= 20000 {
		t.Fatalf("interrupted run: %v, %+v", err, res)
	}
	res.Close()
	if n := settledGoroutines(before); n > before {
		t.Errorf("%d goroutines after the interrupted run, %d before", n, before)
	}

	// The same run reading in step, through RunFeed, is the reference.
	cfg.Data.Files = []string{paths[0], bad}
	feed, err := cfg.OpenData()
	if err != nil {
		t.Fatal(err)
	}
	strat, err := strategy.New(DefaultStrategy, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, wantErr := RunFeed(context.Background(), cfg, feed, strat)
	feed.Close()
	res, err = Run(context.Background(), cfg)
	var de *data.Error
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "B.csv:5001") || err.Error() != wantErr.Error() {
		t.Fatalf("bad row: error %v, want B.csv's line 5001 as in step: %v", err, wantErr)
	}
	if res == nil || res.Stats != want.Stats || res.FinalEquity.String() != want.FinalEquity.String() {
		t.Fatalf("bad row: the run processed %+v, in step %+v", res.Stats, want.Stats)
	}
	res.Close()
	want.Close()
	if n := settledGoroutines(before); n > before {
		t.Errorf("%d goroutines after the run that met a bad row, %d before", n, before)
	}
}
