package engine

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

func TestPriceFromDecimal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Price
	}{
		{"12.5", 1_250_000_000},
		{"0.000000015", 2},   // half to even: up
		{"0.000000025", 2},   // half to even: down
		{"-0.000000015", -2}, // symmetric
		{"0.0000000149", 1},
		{"90000000", 90_000_000 * PriceScale},
	} {
		got, err := PriceFromDecimal(decimal.RequireFromString(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("PriceFromDecimal(%s) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
		if p, err := ParsePrice(tc.in); err != nil || p != got {
			t.Errorf("ParsePrice(%s) = %d, %v; PriceFromDecimal gave %d", tc.in, p, err, got)
		}
	}
	if _, err := PriceFromDecimal(decimal.RequireFromString("1e9")); !errors.Is(err, ErrPriceRange) {
		t.Errorf("1e9: %v, want ErrPriceRange", err)
	}
}
