// Command decodefloor is the floor a whole run is compared with: it decodes
// CSV bars with csvutil into a struct of float64 fields and parses their
// times, and does nothing else. It prints the number of bars read.
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jszwec/csvutil"
)

type bar struct {
	Time   string  `csv:"time"`
	Open   float64 `csv:"open"`
	High   float64 `csv:"high"`
	Low    float64 `csv:"low"`
	Close  float64 `csv:"close"`
	Volume float64 `csv:"volume"`
}

func main() {
	n := 0
	for _, path := range os.Args[1:] {
		m, err := decode(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "decodefloor:", err)
			os.Exit(1)
		}
		n += m
	}
	fmt.Println(n)
}

func decode(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	cr.ReuseRecord = true
	dec, err := csvutil.NewDecoder(cr)
	if err != nil {
		return 0, err
	}
	layout := ""
	var sink time.Time
	n := 0
	for {
		var b bar
		if err := dec.Decode(&b); err == io.EOF {
			break
		} else if err != nil {
			return n, err
		}
		if layout == "" {
			layout = "2006-01-02"
			if len(b.Time) > 10 {
				layout = "2006-01-02 15:04:05"
			}
		}
		t, err := time.Parse(layout, b.Time)
		if err != nil {
			return n, err
		}
		sink = t
		n++
	}
	_ = sink
	return n, nil
}
