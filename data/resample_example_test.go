package data_test

import (
	"fmt"
	"os"
	"time"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

func ExampleWriteResampled() {
	var bars []engine.Bar
	day := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC) // a Thursday
	for _, c := range []int64{100, 102, 101, 105, 104, 103, 99, 98} {
		p := engine.Price(c * engine.PriceScale)
		bars = append(bars, engine.Bar{Time: day, Open: p, High: p + engine.PriceScale, Low: p - engine.PriceScale, Close: p, Volume: 10})
		if day = day.AddDate(0, 0, 1); day.Weekday() == time.Saturday {
			day = day.AddDate(0, 0, 2)
		}
	}
	src, _ := data.NewMemory("X", bars)
	tf, _ := data.ParseTimeframe("1w")
	if err := data.WriteResampled(os.Stdout, src, tf); err != nil {
		fmt.Println(err)
	}
	// Output:
	// time,open,high,low,close,volume
	// 2024-02-02T00:00:00Z,100,103,99,102,20
	// 2024-02-09T00:00:00Z,101,106,98,99,50
	// 2024-02-12T00:00:00Z,98,99,97,98,10
}

func ExampleResampler() {
	r := data.NewResampler(data.Timeframe{N: 1, Unit: data.Week})
	day := time.Date(2024, 2, 8, 0, 0, 0, 0, time.UTC) // a Thursday
	for i := range 6 {                                 // Thursday to Tuesday
		b := engine.Bar{Time: day.AddDate(0, 0, i), Open: 1e8, High: 2e8, Low: 1e8, Close: 2e8}
		if week, ok := r.Push(b); ok {
			fmt.Printf("on %s the week ending %s is complete\n", b.Time.Format("Mon 2006-01-02"), week.Time.Format("Mon 2006-01-02"))
		}
	}
	// Output:
	// on Mon 2024-02-12 the week ending Sun 2024-02-11 is complete
}
