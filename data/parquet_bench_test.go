package data

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/cputime"
)

// w1Bars is the number of bars of the bench harness's W1 workload.
const w1Bars = 1_000_000

// w1Inputs are W1-sized generated one-minute bars as CSV text and as
// the Parquet file WriteParquet makes of them, made once.
var w1Inputs = sync.OnceValues(func() ([]byte, []byte) {
	var csvText bytes.Buffer
	if err := Generate(&csvText, 0, GenOptions{Bars: w1Bars, Seed: 1, Interval: time.Minute}); err != nil {
		panic(err)
	}
	r, err := NewReader(bytes.NewReader(csvText.Bytes()), "W1.csv", Options{})
	if err != nil {
		panic(err)
	}
	var pq bytes.Buffer
	if _, err := WriteParquet(&pq, r, time.UTC); err != nil {
		panic(err)
	}
	return csvText.Bytes(), pq.Bytes()
})

// drainSource reads every bar of s and fails b unless there are want.
func drainSource(b *testing.B, s Source, want int) {
	n := 0
	for {
		_, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n != want {
		b.Fatalf("%d bars, want %d", n, want)
	}
}

// BenchmarkW1Source reads W1-sized data (1,000,000 one-minute bars) from
// CSV text with a Reader and from a catalog Parquet file with a
// ParquetReader, both from memory, every bar decoded and checked, and
// reports bars per second of wall time and of the process's CPU time
// (cpu-bars/s, steadier on a shared machine). The ratio of the two
// sources' rates is the catalog's gain in reading.
func BenchmarkW1Source(b *testing.B) {
	if testing.Short() {
		b.Skip("1,000,000 bars")
	}
	for _, src := range w1Sources() {
		b.Run(src.name, func(b *testing.B) {
			b.SetBytes(int64(src.bytes))
			b.ReportAllocs()
			cpu := cputime.Process()
			for b.Loop() {
				s, err := src.open()
				if err != nil {
					b.Fatal(err)
				}
				drainSource(b, s, w1Bars)
			}
			bars := float64(w1Bars) * float64(b.N)
			b.ReportMetric(bars/b.Elapsed().Seconds(), "bars/s")
			if c := cputime.Process() - cpu; c > 0 {
				b.ReportMetric(bars/c.Seconds(), "cpu-bars/s")
			}
		})
	}
}

// w1Source opens one of W1's inputs from memory; bytes is its size.
type w1Source struct {
	name  string
	bytes int
	open  func() (Source, error)
}

// w1Sources returns W1's inputs (see w1Inputs) as a CSV and as a
// catalog file.
func w1Sources() []w1Source {
	csvText, pq := w1Inputs()
	return []w1Source{
		{"csv", len(csvText), func() (Source, error) { return NewReader(bytes.NewReader(csvText), "W1.csv", Options{}) }},
		{"parquet", len(pq), func() (Source, error) { return NewParquetReader(pq, "W1.parquet", Options{}) }},
	}
}

// BenchmarkW1Feed reads the inputs of BenchmarkW1Source as a run reads
// a single file: merged, and read ahead by a Prefetcher on a goroutine of
// its own, timestamp by timestamp. cpu-ns/bar counts the CPU time of
// both goroutines.
func BenchmarkW1Feed(b *testing.B) {
	if testing.Short() {
		b.Skip("1,000,000 bars")
	}
	for _, src := range w1Sources() {
		b.Run(src.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cputime.Process()
			var buf []engine.Bar
			for b.Loop() {
				s, err := src.open()
				if err != nil {
					b.Fatal(err)
				}
				m, err := Merge(s)
				if err != nil {
					b.Fatal(err)
				}
				p := Prefetch(m)
				n := 0
				for {
					buf, err = p.Next(buf[:0])
					if err != nil {
						break
					}
					n += len(buf)
				}
				p.Close()
				if err != io.EOF || n != w1Bars {
					b.Fatalf("%d bars, then %v", n, err)
				}
			}
			bars := float64(w1Bars) * float64(b.N)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/bars, "ns/bar")
			if c := cputime.Process() - cpu; c > 0 {
				b.ReportMetric(float64(c.Nanoseconds())/bars, "cpu-ns/bar")
			}
		})
	}
}
