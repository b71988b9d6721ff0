package backtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/strategy"
)

// keepsBars holds on to the bars slice of the previous OnBars call
// without copying it (the slice is valid only during the call) and
// records what it reads there: the close it takes for the previous bar's.
type keepsBars struct {
	prev []engine.Bar
	seen []string
}

func (k *keepsBars) OnBar(*strategy.Context, engine.Bar) error { return nil }

func (k *keepsBars) OnBars(ctx *strategy.Context, bars []engine.Bar) error {
	if k.prev != nil {
		k.seen = append(k.seen, fmt.Sprintf("%s:%s last=%v", bars[0].Time.Format("01-02"), k.prev[0].Close, ctx.IsLastBar()))
	}
	k.prev = bars
	return nil
}

// Options.Until ends the data at a bar time, with IsLastBar true there,
// and leaves nothing of the next bar in the engine's buffers: a strategy
// that keeps an old bars slice reads the next bar's close in a full run
// (the engine reads one timestamp ahead into the buffer the slice
// shares), and a zero bar at the end of a run ended by Until.
func TestUntil(t *testing.T) {
	text := "time,open,high,low,close,volume\n"
	for d := 1; d <= 6; d++ {
		text += fmt.Sprintf("2024-01-%02d,%d,%d,%d,%d,1000\n", d, 100+d, 100+d, 100+d, 100+d)
	}
	path := filepath.Join(t.TempDir(), "X.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		until time.Time
		seen  string // by hand
	}{
		{time.Time{}, "01-02:103 last=false 01-03:104 last=false 01-04:105 last=false 01-05:106 last=false 01-06:105 last=true"},
		{time.Date(2024, 1, 4, 12, 0, 0, 0, time.UTC), "01-02:103 last=false 01-03:104 last=false 01-04:0 last=true"},
		{time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC), "01-02:103 last=false 01-03:104 last=false 01-04:0 last=true"},
	}
	for _, tc := range tests {
		cfg := DefaultConfig()
		cfg.Data.Files = []string{path}
		opts, err := cfg.DataOptions()
		if err != nil {
			t.Fatal(err)
		}
		feed, err := data.OpenAll([]string{path}, opts)
		if err != nil {
			t.Fatal(err)
		}
		k := &keepsBars{}
		res, err := Options{Until: tc.until}.RunFeed(context.Background(), cfg, feed, k)
		feed.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(k.seen, " "); got != tc.seen {
			t.Errorf("until %v: seen\n%s\nwant\n%s", tc.until, got, tc.seen)
		}
		if !tc.until.IsZero() && res.Stats.Bars != 4 {
			t.Errorf("until %v: %d bars, want 4", tc.until, res.Stats.Bars)
		}
	}
}
