package portfolio

import (
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

func TestQuantityHelpers(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func() (decimal.Decimal, error)
		want string
	}{
		// 1000 / 33.3 = 30.03: 30 whole units, 30.03 to two places.
		{"value, whole units", func() (decimal.Decimal, error) {
			return QuantityForValue(testkit.MustDec("1000"), testkit.MustPrice("33.3"), 0)
		}, "30"},
		{"value, two places", func() (decimal.Decimal, error) {
			return QuantityForValue(testkit.MustDec("1000"), testkit.MustPrice("33.3"), 2)
		}, "30.03"},
		// Toward zero for a negative value too: -1000/33.3 = -30.03 -> -30.
		{"negative value", func() (decimal.Decimal, error) {
			return QuantityForValue(testkit.MustDec("-1000"), testkit.MustPrice("33.3"), 0)
		}, "-30"},
		// 0.1 of 12345 is 1234.5; / 7 = 176.357…
		{"fraction of equity", func() (decimal.Decimal, error) {
			return QuantityForFraction(testkit.MustDec("12345"), 0.1, testkit.MustPrice("7"), 0)
		}, "176"},
		{"fraction, three places", func() (decimal.Decimal, error) {
			return QuantityForFraction(testkit.MustDec("12345"), 0.1, testkit.MustPrice("7"), 3)
		}, "176.357"},
		{"short fraction", func() (decimal.Decimal, error) {
			return QuantityForFraction(testkit.MustDec("12345"), -0.1, testkit.MustPrice("7"), 0)
		}, "-176"},
		// Risk 100 over a distance of 2.5: 40 long below the entry.
		{"risk, long", func() (decimal.Decimal, error) {
			return QuantityForRisk(testkit.MustDec("100"), testkit.MustPrice("50"), testkit.MustPrice("47.5"), 0)
		}, "40"},
		{"risk, short", func() (decimal.Decimal, error) {
			return QuantityForRisk(testkit.MustDec("100"), testkit.MustPrice("50"), testkit.MustPrice("53"), 0)
		}, "-33"},
		{"risk, short, two places", func() (decimal.Decimal, error) {
			return QuantityForRisk(testkit.MustDec("100"), testkit.MustPrice("50"), testkit.MustPrice("53"), 2)
		}, "-33.33"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.run()
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		run  func() (decimal.Decimal, error)
	}{
		{"zero price", func() (decimal.Decimal, error) { return QuantityForValue(testkit.MustDec("1"), 0, 0) }},
		{"negative places", func() (decimal.Decimal, error) {
			return QuantityForValue(testkit.MustDec("1"), testkit.MustPrice("1"), -1)
		}},
		{"NaN fraction", func() (decimal.Decimal, error) {
			return QuantityForFraction(testkit.MustDec("1"), math.NaN(), testkit.MustPrice("1"), 0)
		}},
		{"infinite fraction", func() (decimal.Decimal, error) {
			return QuantityForFraction(testkit.MustDec("1"), math.Inf(1), testkit.MustPrice("1"), 0)
		}},
		{"zero risk", func() (decimal.Decimal, error) {
			return QuantityForRisk(testkit.MustDec("0"), testkit.MustPrice("2"), testkit.MustPrice("1"), 0)
		}},
		{"stop at zero", func() (decimal.Decimal, error) {
			return QuantityForRisk(testkit.MustDec("1"), testkit.MustPrice("2"), 0, 0)
		}},
		{"risk, negative places", func() (decimal.Decimal, error) {
			return QuantityForRisk(testkit.MustDec("1"), testkit.MustPrice("2"), testkit.MustPrice("1"), -1)
		}},
	} {
		if q, err := tc.run(); err == nil {
			t.Errorf("%s: got %s, want an error", tc.name, q)
		}
	}
	if _, err := QuantityForRisk(testkit.MustDec("1"), testkit.MustPrice("2"), testkit.MustPrice("2"), 0); !errors.Is(err, ErrNoRisk) {
		t.Errorf("stop at the entry: %v, want ErrNoRisk", err)
	}
}

func TestConversions(t *testing.T) {
	// FromFloat gives the shortest decimal that reads back as the float.
	for _, tc := range []struct {
		f    float64
		want string
	}{{0.1, "0.1"}, {1.0 / 3, "0.3333333333333333"}, {-2.5e-9, "-0.0000000025"}, {1e20, "100000000000000000000"}} {
		f, want := tc.f, tc.want
		got, err := FromFloat(f)
		if err != nil || got.String() != want {
			t.Errorf("FromFloat(%v) = %s, %v; want %s", f, got, err, want)
		}
		if back := ToFloat(got); back != f {
			t.Errorf("ToFloat(FromFloat(%v)) = %v", f, back)
		}
	}
	// The float → decimal → Price path rounds half to even at 1e-8.
	for _, tc := range []struct {
		f    float64
		want engine.Price
	}{{0.1, 10_000_000}, {12.345678905, 1_234_567_890}, {12.345678915, 1_234_567_892}, {-0.000000005, 0}} {
		dec, err := FromFloat(tc.f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := engine.PriceFromDecimal(dec)
		if err != nil || got != tc.want {
			t.Errorf("PriceFromDecimal(FromFloat(%v)) = %d, %v; want %d", tc.f, got, err, tc.want)
		}
	}
}
