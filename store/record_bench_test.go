package store

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/quantloop/quantloop/backtest"
)

// BenchmarkRecord records a real run kept thin, as a sweep does, under a
// new id each time, 16 runs a transaction; the cost is the run's values
// made and inserted.
func BenchmarkRecord(b *testing.B) {
	var cfg backtest.Config
	cfg.Data.Files = []string{"../testdata/daily/AAA.csv"}
	res, err := backtest.Run(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	run, err := NewRun("x", res, KeepThin, time.Time{}, 0)
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	batch := make([]*Run, 16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		for k := range batch {
			r := *run
			r.ID = strconv.Itoa(i)
			batch[k] = &r
			i++
		}
		if _, err := s.RecordAll(ctx, batch, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i), "ns/run")
}
