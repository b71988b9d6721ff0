package engine

import (
	"errors"
	"testing"
)

func TestParsePrice(t *testing.T) {
	tests := []struct {
		in   string
		want Price
		str  string
	}{
		{"0", 0, "0"},
		{"1", 100_000_000, "1"},
		{"2.179012", 217_901_200, "2.179012"},
		{"-0.03", -3_000_000, "-0.03"},
		{"+12.5", 1_250_000_000, "12.5"},
		{".5", 50_000_000, "0.5"},
		{"5.", 500_000_000, "5"},
		{"0.00000001", 1, "0.00000001"},
		{"007.10", 710_000_000, "7.1"},
		{"1e3", 100_000_000_000, "1000"},
		{"1.5E-2", 1_500_000, "0.015"},
		// more than 8 decimals: rounded half to even
		{"0.000000005", 0, "0"},
		{"0.000000015", 2, "0.00000002"},
		{"0.30000000000000004", 30_000_000, "0.3"},
		{"3377", 337_700_000_000, "3377"},
	}
	for _, tc := range tests {
		got, err := ParsePrice(tc.in)
		if err != nil {
			t.Errorf("ParsePrice(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParsePrice(%q) = %d, want %d", tc.in, got, tc.want)
		}
		if s := got.String(); s != tc.str {
			t.Errorf("ParsePrice(%q).String() = %q, want %q", tc.in, s, tc.str)
		}
		if d := got.Decimal().String(); d != tc.str {
			t.Errorf("ParsePrice(%q).Decimal() = %s, want %s", tc.in, d, tc.str)
		}
	}
}

func TestParsePriceErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrPriceSyntax},
		{"abc", ErrPriceSyntax},
		{"NaN", ErrPriceSyntax},
		{"Inf", ErrPriceSyntax},
		{"-", ErrPriceSyntax},
		{".", ErrPriceSyntax},
		{"1,5", ErrPriceSyntax},
		{"1.2.3", ErrPriceSyntax},
		{" 1", ErrPriceSyntax},
		{"1e30", ErrPriceRange},
		{"123456789012345678", ErrPriceRange},
	}
	for _, tc := range tests {
		if _, err := ParsePrice(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ParsePrice(%q) error = %v, want %v", tc.in, err, tc.want)
		}
	}
}

// Equal text gives equal prices whatever its spelling.
func TestParsePriceEqualValuesCompareEqual(t *testing.T) {
	for _, pair := range [][2]string{{"0.1", "0.10000"}, {"100", "1e2"}, {"2.50", "2.5"}} {
		a, _ := ParsePrice(pair[0])
		b, _ := ParsePrice(pair[1])
		if a != b {
			t.Errorf("%s = %d but %s = %d", pair[0], a, pair[1], b)
		}
	}
}

// TestParsePlainBound: the fast path takes prices up to maxPriceUnits
// (90071992.54740991) and leaves larger ones, including those whose
// scaled units overflow 64 bits, to the slow path.
func TestParsePlainBound(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want Price
		ok   bool
	}{
		{"90071992.54740991", maxPriceUnits, true},
		{"-90071992.54740991", -maxPriceUnits, true},
		{"90071992.5474099", maxPriceUnits - 1, true},
		{"90071992.54740992", 0, false},
		{"90071993", 0, false},
		{"9007199254740991", 0, false},     // × 10^8 overflows 64 bits
		{"18446744073.70955161", 0, false}, // 18 digits, above the bound
		{"999999999999999999", 0, false},
	} {
		got, ok := parsePlain(tc.s)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parsePlain(%q) = %d, %v; want %d, %v", tc.s, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzParsePlain checks that the fast path, where it decides, gives what
// the exact decimal path gives.
func FuzzParsePlain(f *testing.F) {
	for _, s := range []string{"1", "2.179012", "-0.5", "+.5", "5.", "007.10", "0000000000000000001.5",
		"123456789012345678", "92233720368.54775807", "0.123456789", "1.", ".", "-", "1e3", "１",
		"90071992.54740991", "90071992.54740992", "9007199254740991"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parsePlain(s)
		if !ok {
			return
		}
		q, err := parseDecimal(s)
		if err != nil || q != p {
			t.Fatalf("%q: fast path %d, decimal %d, %v", s, p, q, err)
		}
	})
}

func FuzzParsePrice(f *testing.F) {
	for _, s := range []string{"1", "2.179012", "-0.5", "1e3", "0.000000015", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrice(s)
		if err != nil {
			return
		}
		// What parses formats to text that parses back to the same price.
		q, err := ParsePrice(p.String())
		if err != nil || q != p {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, p, p.String(), q, err)
		}
	})
}

func BenchmarkParsePrice(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePrice("1234.567891"); err != nil {
			b.Fatal(err)
		}
	}
}
