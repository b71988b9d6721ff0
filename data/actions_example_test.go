package data_test

import (
	"fmt"

	"github.com/quantloop/quantloop/data"
	"github.com/quantloop/quantloop/engine"
)

func ExampleParseActions() {
	text := "date,symbol,split,dividend\n2024-01-04,XYZ,2,\n2024-01-05,ABC,,0.5\n"
	acts, err := data.ParseActions([]byte(text), "actions.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range acts {
		fmt.Println(a.Date.Format("2006-01-02"), a.Symbol, "split", a.Split, "dividend", a.Dividend, "line", a.Line)
	}
	_, err = data.ParseActions([]byte("date,symbol,split,dividend\n2024-01-04,XYZ,3:2,\n"), "actions.csv", nil)
	fmt.Println(err)
	// Output:
	// 2024-01-04 XYZ split 2 dividend 0 line 2
	// 2024-01-05 ABC split 0 dividend 0.5 line 3
	// actions.csv:2: field "split": split "3:2" is not a decimal number (write 3:2 as 1.5); expected a ratio of shares after to shares before, such as 2 for a 2-for-1 split or 1.5 for 3-for-2
}

func ExampleScalePrice() {
	// An open of 10.30 on a bar whose close is 10.20 and Adj Close 3.40:
	// 10.30 × 3.40 / 10.20 = 3.4333333333..., rounded to 8 places.
	open, _ := engine.ParsePrice("10.30")
	adj, _ := engine.ParsePrice("3.40")
	cl, _ := engine.ParsePrice("10.20")
	p, err := data.ScalePrice(open, adj, cl)
	fmt.Println(p, err)
	// Output: 3.43333333 <nil>
}
