package walkforward_test

import (
	"fmt"
	"time"

	"github.com/quantloop/quantloop/walkforward"
)

func ExampleSpec_Windows() {
	var times []time.Time
	for d := range 10 {
		times = append(times, time.Date(2024, 1, 1+d, 0, 0, 0, 0, time.UTC))
	}
	spec := walkforward.Spec{Train: walkforward.Span{N: 4, Unit: walkforward.Bars}, Test: walkforward.Span{N: 2, Unit: walkforward.Bars}}
	windows, err := spec.Windows(times)
	if err != nil {
		panic(err)
	}
	for _, w := range windows {
		fmt.Printf("train [%d,%d) test [%d,%d)\n", w.TrainStart, w.TrainEnd, w.TestStart, w.TestEnd)
	}
	// Output:
	// train [0,4) test [4,6)
	// train [2,6) test [6,8)
	// train [4,8) test [8,10)
}

func ExampleKFold() {
	splits, err := walkforward.KFold(10, 3, 1, 1) // 10 bars, 3 folds, purge 1, embargo 1
	if err != nil {
		panic(err)
	}
	for _, s := range splits {
		fmt.Println("test", s.Test, "train", s.Train)
	}
	// Output:
	// test [{0 4}] train [{5 10}]
	// test [{4 7}] train [{0 3} {8 10}]
	// test [{7 10}] train [{0 6}]
}

func ExampleParseSpan() {
	for _, s := range []string{"3y", "18mo", "1000b"} {
		sp, err := walkforward.ParseSpan(s)
		fmt.Println(sp.N, sp.Unit == walkforward.Bars, err)
	}
	// Output:
	// 3 false <nil>
	// 18 false <nil>
	// 1000 true <nil>
}
