package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/jszwec/csvutil"
)

const benchBars = 100_000

// benchInputs are generated CSVs of benchBars bars, made once.
var benchInputs = sync.OnceValue(func() map[string][]byte {
	m := make(map[string][]byte)
	for name, iv := range map[string]time.Duration{"daily": 24 * time.Hour, "intraday": time.Minute} {
		var b bytes.Buffer
		if err := Generate(&b, 0, GenOptions{Bars: benchBars, Seed: 1, Interval: iv}); err != nil {
			panic(err)
		}
		m[name] = b.Bytes()
	}
	return m
})

var benchLayouts = map[string]string{"daily": "2006-01-02", "intraday": "2006-01-02 15:04:05"}

// BenchmarkReader decodes and checks 100,000 bars from memory.
func BenchmarkReader(b *testing.B) {
	for _, name := range []string{"daily", "intraday"} {
		input := benchInputs()[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(input), "bench.csv", Options{})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != benchBars {
					b.Fatalf("%d bars", n)
				}
			}
			b.ReportMetric(float64(benchBars)*float64(b.N)/b.Elapsed().Seconds(), "bars/s")
		})
	}
}

// BenchmarkDecodeFloor is the floor BenchmarkReader is measured against:
// csvutil decoding straight into float64 fields, and time.Parse, with no
// checks at all.
func BenchmarkDecodeFloor(b *testing.B) {
	type row struct {
		Time   string  `csv:"time"`
		Open   float64 `csv:"open"`
		High   float64 `csv:"high"`
		Low    float64 `csv:"low"`
		Close  float64 `csv:"close"`
		Volume float64 `csv:"volume"`
	}
	for _, name := range []string{"daily", "intraday"} {
		input, layout := benchInputs()[name], benchLayouts[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			var sink time.Time
			for b.Loop() {
				cr := csv.NewReader(bytes.NewReader(input))
				cr.ReuseRecord = true
				dec, err := csvutil.NewDecoder(cr)
				if err != nil {
					b.Fatal(err)
				}
				var r row
				n := 0
				for {
					if err := dec.Decode(&r); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
					t, err := time.Parse(layout, r.Time)
					if err != nil {
						b.Fatal(err)
					}
					sink = t
					n++
				}
				if n != benchBars {
					b.Fatalf("%d bars", n)
				}
			}
			_ = sink
			b.ReportMetric(float64(benchBars)*float64(b.N)/b.Elapsed().Seconds(), "bars/s")
		})
	}
}

// BenchmarkRecords reads the records of 100,000 bars from memory, split by
// the Reader's records and by encoding/csv alone.
func BenchmarkRecords(b *testing.B) {
	for _, name := range []string{"daily", "intraday"} {
		input := benchInputs()[name]
		for _, way := range []struct {
			name string
			new  func(*bufio.Reader, rune) *records
		}{{"plain", newRecords}, {"csv", newCSVRecords}} {
			b.Run(name+"/"+way.name, func(b *testing.B) {
				b.SetBytes(int64(len(input)))
				b.ReportAllocs()
				for b.Loop() {
					recs := way.new(bufio.NewReaderSize(bytes.NewReader(input), readBufferSize), 0)
					n := 0
					for {
						_, err := recs.Read()
						if err == io.EOF {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
					if n != benchBars+1 {
						b.Fatalf("%d records", n)
					}
				}
			})
		}
	}
}
