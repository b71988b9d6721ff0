package data

import (
	"encoding/csv"
	"math/big"
	"os"
	"testing"

	"github.com/quantloop/quantloop/engine"
)

// TestRealDataAdjusted reads every Yahoo-layout file under AdjustPrices
// and checks every price against an independent computation in big.Rat:
// p × AdjClose / Close in units of 1e-8, rounded half to even. The files
// read under RawPrices too (TestRealDataFiles).
func TestRealDataAdjusted(t *testing.T) {
	for _, name := range []string{"orcl-1995-2014.txt", "yhoo-1996-2015.txt", "nvda-1999-2014.txt"} {
		t.Run(name, func(t *testing.T) {
			path := sharedFile(t, name)
			bars, err := readFile(path, Options{Adjust: AdjustPrices})
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			rows = rows[1:] // Date,Open,High,Low,Close,Adj Close,Volume
			if len(rows) != len(bars) {
				t.Fatalf("%d bars, %d rows", len(bars), len(rows))
			}
			for i, row := range rows {
				b := bars[i]
				for j, got := range []engine.Price{b.Open, b.High, b.Low, b.Close} {
					if want := ratScaled(t, row[1+j], row[5], row[4]); got != want {
						t.Fatalf("row %d field %d: %d, want %d", i+2, j+1, got, want)
					}
				}
			}
		})
	}
}

// ratScaled returns p × adj / c in units of 1e-8, rounded half to even,
// computed in big.Rat from the texts.
func ratScaled(t *testing.T, p, adj, c string) engine.Price {
	t.Helper()
	x := new(big.Rat)
	for i, s := range []string{p, adj, c} {
		v, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("%q", s)
		}
		switch i {
		case 0:
			x.Set(v)
		case 1:
			x.Mul(x, v)
		case 2:
			x.Quo(x, v)
		}
	}
	x.Mul(x, new(big.Rat).SetInt64(engine.PriceScale))
	q, r := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	r.Mul(r, big.NewInt(2))
	if c := r.Cmp(x.Denom()); c > 0 || c == 0 && q.Bit(0) == 1 {
		q.Add(q, big.NewInt(1))
	}
	return engine.Price(q.Int64())
}
