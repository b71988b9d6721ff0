package data_test

import (
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

func ExampleNewReader() {
	const text = `Date,Open,High,Low,Close,Adj Close,Volume
2014-01-02,37.779999,38.029999,37.549999,37.840000,35.166069,18162100
2014-01-03,37.650002,37.860001,37.560001,37.619999,35.072853,11693900
`
	r, err := data.NewReader(strings.NewReader(text), "orcl.csv", data.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(b.Symbol, b.Time.Format("2006-01-02"), b.Open, b.High, b.Low, b.Close, b.Volume)
	}

	// A bad row is an *Error naming the file, the line and the column.
	r, err = data.NewReader(strings.NewReader("Date,Open,High,Low,Close\n2014-01-02,2.15,2.1,2.0,2.12\n"), "orcl.csv", data.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_, err = r.Next()
	fmt.Println(err)
	// Output:
	// orcl 2014-01-02 37.779999 38.029999 37.549999 37.84 1.81621e+07
	// orcl 2014-01-03 37.650002 37.860001 37.560001 37.619999 1.16939e+07
	// orcl.csv:2: field "High": high 2.1 is below max(open, close) 2.15
}

func ExampleMerge() {
	aaa, err := data.NewReader(strings.NewReader(`Date,Open,High,Low,Close
2020-01-02,10,11,9,10.5
2020-01-03,10.5,11,10,10.75
2020-01-06,10.75,11,10.5,11
`), "AAA.csv", data.Options{})
	if err != nil {
		log.Fatal(err)
	}
	bbb, err := data.NewMemory("BBB", []engine.Bar{
		{Time: time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC), Open: engine.PriceFromFloat(5), High: engine.PriceFromFloat(5), Low: engine.PriceFromFloat(5), Close: engine.PriceFromFloat(5)},
	})
	if err != nil {
		log.Fatal(err)
	}
	feed, err := data.Merge(bbb, aaa)
	if err != nil {
		log.Fatal(err)
	}
	var bars []engine.Bar
	for {
		bars, err = feed.Next(bars[:0])
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(bars[0].Time.Format("2006-01-02"), ":")
		for _, b := range bars {
			fmt.Print(" ", b.Symbol, "=", b.Close)
		}
		fmt.Println()
	}
	// Output:
	// 2020-01-02: AAA=10.5
	// 2020-01-03: BBB=5 AAA=10.75
	// 2020-01-06: AAA=11
}
