package equity

import (
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/internal/testkit"
)

// point returns a point with cash and a market value of mv Price units,
// with its units recorded as the recorder does: the market value in
// units when exact, else as a decimal.
func point(cash string, mv int64, exact bool) Point {
	c := testkit.MustDec(cash)
	p := Point{Cash: c}
	u := Units{Market: mv, MarketExact: exact}
	u.Cash, u.CashExact = PriceUnits(c)
	if !exact {
		u.Market, u.MarketDecimal = 0, decimal.New(mv, -8)
	}
	SetUnits(&p, u)
	return p
}

// TestText: the cash and equity texts, worked out by hand, on the
// integer path and the decimal one.
func TestText(t *testing.T) {
	for _, tc := range []struct {
		cash         string
		mv           int64
		exact        bool
		cashText     string
		equityText   string
		equityString string // Equity().String()
	}{
		{"100000", 12345678901, true, "100000", "100123.45678901", "100123.45678901"},
		{"0.1", 20000000, true, "0.1", "0.3", "0.3"},
		{"-3.33333333", 0, true, "-3.33333333", "-3.33333333", "-3.33333333"},
		{"1e12", 5, false, "1000000000000", "1000000000000.00000005", "1000000000000.00000005"},
		{"0.123456789", 1, true, "0.123456789", "0.123456799", "0.123456799"},
	} {
		p := point(tc.cash, tc.mv, tc.exact)
		if got := string(AppendCash([]byte("x,"), &p)); got != "x,"+tc.cashText {
			t.Errorf("%s: AppendCash %q, want %q", tc.cash, got, "x,"+tc.cashText)
		}
		if got := string(AppendEquity(nil, &p)); got != tc.equityText {
			t.Errorf("%s + %d: AppendEquity %q, want %q", tc.cash, tc.mv, got, tc.equityText)
		}
		if got := p.Equity().String(); got != tc.equityString {
			t.Errorf("%s + %d: Equity %s, want %s", tc.cash, tc.mv, got, tc.equityString)
		}
	}
}

// TestEquityFloat: the floats of an equity point's equity and cash are
// their texts parsed, on the integer path and the decimal one.
func TestEquityFloat(t *testing.T) {
	for _, tc := range []struct {
		cash  string
		mv    int64
		exact bool
	}{
		{"100000", 12345678901, true},
		{"0.1", 20000000, true},
		{"-3.33333333", 0, true},
		{"90071992.54740993", 1, true}, // past 2^53 units: parsed
		{"-90071992.54740993", 0, true},
		{"12345.67890123", 0, true},
		{"1e12", 0, false},
		{"0.123456789", 0, true}, // cash not exact in units
	} {
		p := point(tc.cash, tc.mv, tc.exact)
		want, err := strconv.ParseFloat(string(AppendEquity(nil, &p)), 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.EquityFloat(); got != want {
			t.Errorf("%s + %d: EquityFloat %v, parsed text %v", tc.cash, tc.mv, got, want)
		}
		wantCash, err := strconv.ParseFloat(string(AppendCash(nil, &p)), 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.CashFloat(); got != wantCash {
			t.Errorf("%s: CashFloat %v, parsed text %v", tc.cash, got, wantCash)
		}
	}
}

func TestPriceUnits(t *testing.T) {
	for _, tc := range []struct {
		d     string
		units int64
		ok    bool
	}{
		{"1", 100000000, true},
		{"-0.00000001", -1, true},
		{"9999999999.99999999", 999999999999999999, true},
		{"10000000000", 0, false},           // 1e18 units
		{"0.000000001", 0, false},           // a ninth decimal
		{"12.3400000000", 1234000000, true}, // trailing zeros are no decimals
		{"-9999999999.99999999", -999999999999999999, true},
		{"-10000000000", 0, false},
		{"7964560.2658", 796456026580000, true},
		{"123456789012345678901234", 0, false}, // beyond an int64 coefficient
		{"1e300", 0, false},
		{"0", 0, true},
		{"5e-9", 0, false},
		{"5e-8", 5, true},
		{"120000000000000000000e-20", 120000000, true}, // a long coefficient, an exact value
	} {
		u, ok := PriceUnits(testkit.MustDec(tc.d))
		if u != tc.units || ok != tc.ok {
			t.Errorf("PriceUnits(%s) = %d, %v, want %d, %v", tc.d, u, ok, tc.units, tc.ok)
		}
	}
}

// TestNoAllocs: the text and float of an exact point cost no allocation.
func TestNoAllocs(t *testing.T) {
	p := point("100000", 12345678901, true)
	b := make([]byte, 0, 64)
	var f float64
	if n := testing.AllocsPerRun(100, func() {
		b = AppendCash(b[:0], &p)
		b = AppendEquity(b[:0], &p)
		f += p.EquityFloat()
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
