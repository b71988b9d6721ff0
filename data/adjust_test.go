package data

import (
	"errors"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/engine"
)

func TestScalePrice(t *testing.T) {
	tests := []struct {
		p, num, den engine.Price
		want        engine.Price
		err         error
	}{
		{10_000_000_000, 5_050_000_000, 10_100_000_000, 5_000_000_000, nil}, // 100 × 50.5 / 101 = 50
		{1_030_000_000, 340_000_000, 1_020_000_000, 343_333_333, nil},       // 10.30 × 3.40 / 10.20 = 3.4333333333...
		{1_000_000_000, 340_000_000, 1_020_000_000, 333_333_333, nil},       // 10 / 3 = 3.3333333333...
		{3, 1, 2, 2, nil},             // 1.5 units: half to even, up
		{5, 1, 2, 2, nil},             // 2.5 units: half to even, down
		{7, 1, 2, 4, nil},             // 3.5 units: up
		{1, 1, 3, 0, ErrAdjustedZero}, // a third of a unit
		{engine.MaxPrice, 2, 1, 0, engine.ErrPriceRange},
		{engine.MaxPrice, engine.MaxPrice, 1, 0, engine.ErrPriceRange}, // the 128-bit quotient overflows
	}
	for _, tc := range tests {
		got, err := ScalePrice(tc.p, tc.num, tc.den)
		if got != tc.want || !errors.Is(err, tc.err) || (err != nil) != (tc.err != nil) {
			t.Errorf("ScalePrice(%d, %d, %d) = %d, %v; want %d, %v", tc.p, tc.num, tc.den, got, err, tc.want, tc.err)
		}
	}
}

// yahoo is a Yahoo-style file whose Adj Close is a third of Close, and
// below the raw low: read as the close it breaks the OHLC rule.
const yahoo = `Date,Open,High,Low,Close,Adj Close,Volume
2024-01-02,10.00,10.30,9.90,10.20,3.40,100
2024-01-03,10.20,10.60,10.10,10.50,3.50,200
`

// Under AdjustPrices each price is p × AdjClose / Close rounded half to
// even to 8 places; under RawPrices the file reads as written.
func TestReaderAdjusted(t *testing.T) {
	p := engine.PriceFromFloat
	tests := []struct {
		adjust Adjust
		want   [][5]engine.Price // open, high, low, close; and the raw close
	}{
		{RawPrices, [][5]engine.Price{{p(10), p(10.3), p(9.9), p(10.2)}, {p(10.2), p(10.6), p(10.1), p(10.5)}}},
		// 10 × 3.4/10.2 = 3.33333333|3, 10.3/3 = 3.43333333|3, 9.9/3 = 3.3, 10.2/3 = 3.4;
		// 10.2/3 = 3.4, 10.6/3 = 3.53333333|3, 10.1/3 = 3.36666666|7, 10.5/3 = 3.5.
		{AdjustPrices, [][5]engine.Price{{333_333_333, 343_333_333, 330_000_000, 340_000_000},
			{340_000_000, 353_333_333, 336_666_667, 350_000_000}}},
	}
	for _, tc := range tests {
		bars, err := readAll(yahoo, "Y.csv", Options{Adjust: tc.adjust})
		if err != nil {
			t.Fatalf("%v: %v", tc.adjust, err)
		}
		if len(bars) != 2 {
			t.Fatalf("%v: %d bars", tc.adjust, len(bars))
		}
		for i, b := range bars {
			got := [5]engine.Price{b.Open, b.High, b.Low, b.Close}
			if got != tc.want[i] {
				t.Errorf("%v: bar %d = %v, want %v", tc.adjust, i, got, tc.want[i])
			}
			if b.Volume != float64(100*(i+1)) {
				t.Errorf("%v: bar %d volume %v, want it as written", tc.adjust, i, b.Volume)
			}
		}
	}
	// The failure the adjustment replaces: Adj Close read as the close.
	_, err := readAll(yahoo, "Y.csv", Options{Columns: Columns{Close: "Adj Close"}})
	if err == nil || err.Error() != `Y.csv:2: field "Low": low 9.9 is above min(open, close) 3.4` {
		t.Errorf("Adj Close as the close: %v", err)
	}
}

func TestReaderAdjustedErrors(t *testing.T) {
	tests := []struct {
		name, text string
		opts       Options
		want       string
	}{
		{"no Adj Close", "Date,Open,High,Low,Close\n2024-01-02,1,1,1,1\n", Options{Adjust: AdjustPrices},
			`A.csv:1: field "adj_close": no adj_close column in the header ["Date" "Open" "High" "Low" "Close"]; expected a column named Adj Close (or Adjusted Close) (or name it with --columns, Options.Columns): adjusted prices (--adjust adjusted, data.adjust) scale open, high, low and close by Adj Close / Close`},
		{"bad Adj Close", "Date,Open,High,Low,Close,Adj Close\n2024-01-02,1,1,1,1,x\n", Options{Adjust: AdjustPrices},
			`A.csv:2: field "Adj Close": invalid price "x": not a number; expected a decimal number such as 12.34`},
		{"zero Adj Close", "Date,Open,High,Low,Close,Adj Close\n2024-01-02,1,1,1,1,0\n", Options{Adjust: AdjustPrices},
			`A.csv:2: field "Adj Close": price 0 must be positive`},
		{"rounds to zero", "Date,Open,High,Low,Close,Adj Close\n2024-01-02,1,1,0.00000001,1,0.1\n", Options{Adjust: AdjustPrices},
			`A.csv:2: field "Low": adjusted price 0.00000001 × 0.1 / 1: rounds to zero at 8 decimal places`},
		{"bad bar adjusted", "Date,Open,High,Low,Close,Adj Close\n2024-01-02,2,1,1,1,0.5\n", Options{Adjust: AdjustPrices},
			`A.csv:2: field "High": adjusted: high 0.5 is below max(open, close) 1`},
		{"named column", "Date,Open,High,Low,Close,AC\n2024-01-02,2,2,2,2,1\n2024-01-03,2,2,2,2,x\n", Options{Adjust: AdjustPrices, Columns: Columns{AdjClose: "AC"}},
			`A.csv:3: field "AC": invalid price "x": not a number; expected a decimal number such as 12.34`},
		{"order without adj_close", "2024-01-02,1,1,1,1,1\n", Options{Adjust: AdjustPrices, Header: HeaderAbsent},
			`A.csv:1: Options.Order: no "adj_close" field; adjusted prices (--adjust adjusted, data.adjust) need the adjusted close (give it with --order, e.g. date,open,high,low,close,adj_close,volume)`},
		{"unknown mode", "Date,Open,High,Low,Close\n", Options{Adjust: 7}, `A.csv: unknown Options.Adjust 7`},
	}
	for _, tc := range tests {
		_, err := readAll(tc.text, "A.csv", tc.opts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v\nwant %s", tc.name, err, tc.want)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("%s: %T is not an *Error", tc.name, err)
		}
	}
}

func TestParseAdjust(t *testing.T) {
	for s, want := range map[string]Adjust{"": RawPrices, "raw": RawPrices, "adjusted": AdjustPrices} {
		got, err := ParseAdjust(s)
		if err != nil || got != want {
			t.Errorf("ParseAdjust(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseAdjust("total_return"); err == nil || !strings.Contains(err.Error(), `Use "adjusted" for back-adjusted prices, or "raw" with a corporate-actions file`) {
		t.Errorf("total_return: %v", err)
	}
	if _, err := ParseAdjust("split"); err == nil || err.Error() != `adjust "split": want raw or adjusted` {
		t.Errorf("split: %v", err)
	}
	for _, a := range []Adjust{RawPrices, AdjustPrices} {
		b, _ := a.MarshalText()
		var back Adjust
		if err := back.UnmarshalText(b); err != nil || back != a {
			t.Errorf("%v: round trip %q gave %v, %v", a, b, back, err)
		}
	}
}
