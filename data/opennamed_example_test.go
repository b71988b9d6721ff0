package data_test

import (
	"fmt"

	"github.com/quantloop/quantloop/data"
)

// OpenNamed gives each file its symbol; an empty name keeps the file's.
func ExampleOpenNamed() {
	m, err := data.OpenNamed([]string{"../testdata/daily/AAA.csv", "../testdata/daily/BBB.csv"}, []string{"ORCL", ""}, data.Options{})
	if err != nil {
		panic(err)
	}
	defer m.Close()
	fmt.Println(m.Symbols())
	// Output: [ORCL BBB]
}
