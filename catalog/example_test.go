package catalog_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/quantloop/quantloop/catalog"
	"github.com/quantloop/quantloop/data"
)

// Ingest a CSV file once, then read its bars from the catalog.
func Example() {
	dir, _ := os.MkdirTemp("", "catalog")
	defer os.RemoveAll(dir)
	ins, err := catalog.Ingest(dir, []catalog.Source{{Symbol: "AAA", Path: "../testdata/daily/AAA.csv"}}, data.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ins[0].Symbol, ins[0].Bars, filepath.Base(ins[0].Path))
	es, _ := catalog.Entries(dir)
	r, err := data.OpenParquet(es[0].Path, data.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	bar, _ := r.Next()
	fmt.Println(bar.Symbol, bar.Time.Format("2006-01-02"), bar.Open, bar.Close)
	// Output:
	// AAA 500 AAA.parquet
	// AAA 2020-01-01 100 98.85
}
