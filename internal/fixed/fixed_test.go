package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/quantloop/quantloop/internal/testkit"
	"github.com/shopspring/decimal"
)

// values are decimals of every kind the fast paths meet: whole and
// fractional, tiny and huge, at the edges of int64 and beyond.
var values = []string{
	"0", "1", "-1", "100", "0.5", "-0.5", "100.25", "0.2005", "0.00000001", "-0.00000001",
	"123.456", "1e3", "-2.5e4", "1.000", "10.10", "0.0000000000000000001", "92233720368.54775807",
	"9223372036854775807", "-9223372036854775807", "-9223372036854775808", "9223372036854775808",
	"99999999999999999999", "1e18", "1e19", "1e-30", "123456789012345678", "0.000120", "-700.0000001",
}

// same reports whether x, turned back into a decimal, has want's value
// and exponent.
func same(x Dec, want decimal.Decimal) bool {
	got := x.Decimal()
	return got.Equal(want) && got.Exponent() == want.Exponent()
}

// check compares every operation on a and b with decimal's.
func check(t *testing.T, a, b decimal.Decimal) {
	t.Helper()
	x, okx := Of(a)
	y, oky := Of(b)
	if short := len(a.Coefficient().String()) <= 18+1 && a.NumDigits() <= 18; okx != short || (okx && !same(x, a)) {
		t.Fatalf("Of(%s) = %v, %v; at most 18 digits: %v", a, x, okx, short)
	}
	if got, want := Float64(a), a.InexactFloat64(); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
		t.Fatalf("Float64(%s) = %v, want %v", a, got, want)
	}
	if got, want := string(Append(nil, a)), a.String(); got != want {
		t.Fatalf("Append(%s) = %q, want %q", a, got, want)
	}
	if !okx || !oky {
		return
	}
	ops := []struct {
		name string
		f    func(Dec, Dec) (Dec, bool)
		want decimal.Decimal
	}{
		{"+", Dec.Add, a.Add(b)},
		{"-", Dec.Sub, a.Sub(b)},
		{"×", Dec.Mul, a.Mul(b)},
	}
	for _, op := range ops {
		z, ok := op.f(x, y)
		fits := op.want.Coefficient().IsInt64()
		if ok && !same(z, op.want) {
			t.Fatalf("%s %s %s = %v, want %s", a, op.name, b, z.Decimal(), op.want)
		}
		if f, fok := z.Float64(); ok && fok && f != op.want.InexactFloat64() {
			t.Fatalf("float of %s %s %s = %v, want %v", a, op.name, b, f, op.want.InexactFloat64())
		}
		if !ok && fits && (op.name == "×" || alignedFit(a, b)) {
			t.Fatalf("%s %s %s: the fast path refused a case that fits", a, op.name, b)
		}
	}
	if c, ok := x.Cmp(y); ok && c != a.Cmp(b) {
		t.Fatalf("Cmp(%s, %s) = %d, want %d", a, b, c, a.Cmp(b))
	}
	if !b.IsZero() {
		want, _ := a.QuoRem(b, 0)
		if q, ok := x.QuoInt(y); ok && !same(q, want) {
			t.Fatalf("%s quo %s = %s, want %s", a, b, q.Decimal(), want)
		}
		for _, places := range []int32{0, 2, 8, 16} {
			want := a.DivRound(b, places)
			if got := DivRound(a, b, places); !got.Equal(want) || got.Exponent() != want.Exponent() {
				t.Fatalf("DivRound(%s, %s, %d) = %s, want %s", a, b, places, got, want)
			}
			if q, ok := x.DivRound(y, places); ok && !same(q, want) {
				t.Fatalf("%s / %s to %d places = %s, want %s", a, b, places, q.Decimal(), want)
			}
		}
	}
	if n, ok := x.Int(); ok != (a.IsInteger() && a.BigInt().IsInt64()) || (ok && !decimal.NewFromInt(n).Equal(a)) {
		t.Fatalf("Int(%s) = %d, %v", a, n, ok)
	}
	if z, ok := x.Abs(); ok != (x.C != math.MinInt64) || (ok && !same(z, a.Abs())) {
		t.Fatalf("|%s| = %v, %v", a, z, ok)
	}
	if z, ok := x.Neg(); ok != (x.C != math.MinInt64) || (ok && !same(z, a.Neg())) {
		t.Fatalf("-(%s) = %v, %v", a, z, ok)
	}
	for _, h := range []struct {
		name string
		got  decimal.Decimal
		want decimal.Decimal
	}{{"Add", Add(a, b), a.Add(b)}, {"Sub", Sub(a, b), a.Sub(b)}, {"Mul", Mul(a, b), a.Mul(b)}} {
		if !h.got.Equal(h.want) || h.got.String() != h.want.String() || h.got.InexactFloat64() != h.want.InexactFloat64() {
			t.Fatalf("%s(%s, %s) = %s, want %s", h.name, a, b, h.got, h.want)
		}
	}
	checkCalc(t, a, b)
}

// alignedFit reports whether a's and b's coefficients at the smaller of
// their exponents fit in an int64 and are at most 18 digits long.
func alignedFit(a, b decimal.Decimal) bool {
	e := min(a.Exponent(), b.Exponent())
	for _, d := range []decimal.Decimal{a, b} {
		c := new(big.Int).Mul(d.Coefficient(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Exponent()-e)), nil))
		if !c.IsInt64() || d.Exponent()-e > 18 {
			return false
		}
	}
	return true
}

func TestOps(t *testing.T) {
	for _, s := range values {
		for _, u := range values {
			check(t, testkit.MustDec(s), testkit.MustDec(u))
		}
	}
}

// TestAppend pins the text of values that decimal writes in unusual ways.
func TestAppend(t *testing.T) {
	for _, tc := range []struct {
		d    decimal.Decimal
		want string
	}{
		{decimal.New(0, -8), "0"},
		{decimal.New(0, 5), "0"},
		{decimal.New(15, 3), "15000"},
		{decimal.New(-15, -1), "-1.5"},
		{decimal.New(1500, -3), "1.5"},
		{decimal.New(1500, -2), "15"},
		{decimal.New(7, -5), "0.00007"},
		{decimal.New(-70, -5), "-0.0007"},
		{decimal.New(10, -1), "1"},
		{decimal.New(-123456789, -8), "-1.23456789"},
		{decimal.New(math.MaxInt64, -40), "0.0000000000000000000009223372036854775807"},
		{decimal.New(-7, -41), "-0.00000000000000000000000000000000000000007"},
		{decimal.New(-1200, -43), "-0.00000000000000000000000000000000000000012"},
		{decimal.New(math.MinInt64, -3), "-9223372036854775.808"},
		{decimal.New(math.MaxInt64, 2), "922337203685477580700"},
		{decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 70), -4), "118059162071741130.3424"},
	} {
		if got := string(Append([]byte("x"), tc.d)); got != "x"+tc.want {
			t.Errorf("Append(%#v) = %q, want %q", tc.d, got, "x"+tc.want)
		}
	}
}

// TestQuoInt pins quotients that round toward zero, both signs.
func TestQuoInt(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int64
		ok   bool
	}{
		{"1000", "3", 333, true},
		{"-1000", "3", -333, true},
		{"1000", "-3", -333, true},
		{"99999.99", "100.25", 997, true},
		{"0.5", "1e20", 0, false}, // the divisor's exponent is out of reach
		{"1", "1e-30", 0, false},
		{"5", "0", 0, false},
		{"922337203685477580", "0.05", 0, false}, // the quotient overflows
		{"-922337203685477580", "0.5", -1844674407370955160, true},
		{"1", "92233720368547758", 0, true},
		{"3", "0.000000000000000001", 3e18, true},
	} {
		x, okx := Of(testkit.MustDec(tc.a))
		y, oky := Of(testkit.MustDec(tc.b))
		if !okx || !oky {
			t.Fatalf("Of(%s), Of(%s): %v, %v", tc.a, tc.b, okx, oky)
		}
		z, ok := x.QuoInt(y)
		if ok != tc.ok || (ok && z != Int(tc.want)) {
			t.Errorf("%s quo %s = %v, %v; want %d, %v", tc.a, tc.b, z, ok, tc.want, tc.ok)
		}
	}
}

// TestDivRound pins roundings half away from zero, both signs, and the
// cases the 128-bit path declines.
func TestDivRound(t *testing.T) {
	for _, tc := range []struct {
		a, b   string
		places int32
		want   string
		ok     bool
	}{
		{"1", "3", 16, "0.3333333333333333", true},
		{"2", "3", 16, "0.6666666666666667", true},
		{"-2", "3", 16, "-0.6666666666666667", true},
		{"0.5", "1", 0, "1", true},
		{"-0.5", "1", 0, "-1", true},
		{"0.4", "-1", 0, "0", true},
		{"0.0808", "200", 16, "0.000404", true},
		{"1", "1e20", 16, "0", true},
		{"1", "1e-30", 16, "0", false},
		{"4", "0.000000000000000001", 16, "0", false},
	} {
		x, _ := Of(testkit.MustDec(tc.a))
		y, _ := Of(testkit.MustDec(tc.b))
		z, ok := x.DivRound(y, tc.places)
		if ok != tc.ok || (ok && (!z.Decimal().Equal(testkit.MustDec(tc.want)) || z.E != -tc.places)) {
			t.Errorf("%s / %s to %d places = %v, %v; want %s, %v", tc.a, tc.b, tc.places, z, ok, tc.want, tc.ok)
		}
	}
}

func TestRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		check(t, random(r), random(r))
	}
}

func random(r *rand.Rand) decimal.Decimal {
	var c int64
	switch r.IntN(4) {
	case 0:
		c = r.Int64N(1000)
	case 1:
		c = r.Int64N(1e12)
	case 2:
		c = r.Int64()
	default:
		c = r.Int64N(1e17)
	}
	if r.IntN(2) == 0 {
		c = -c
	}
	return decimal.New(c, int32(r.IntN(24)-18))
}

func FuzzOps(f *testing.F) {
	f.Add(int64(10025), int32(-2), int64(3), int32(0))
	f.Add(int64(math.MaxInt64), int32(-8), int64(-1), int32(3))
	f.Add(int64(math.MinInt64), int32(0), int64(7), int32(-20))
	f.Fuzz(func(t *testing.T, c1 int64, e1 int32, c2 int64, e2 int32) {
		if e1 < -40 || e1 > 40 || e2 < -40 || e2 > 40 {
			return
		}
		check(t, decimal.New(c1, e1), decimal.New(c2, e2))
	})
}

// TestFloat64Allocs: the float of a decimal with a long coefficient, the
// cash after commissions, is read without allocating.
func TestFloat64Allocs(t *testing.T) {
	d := decimal.New(999912345678912345, -12)
	want := d.InexactFloat64()
	if n := testing.AllocsPerRun(100, func() {
		if Float64(d) != want {
			t.Fatal("Float64 differs")
		}
	}); n != 0 {
		t.Errorf("Float64 allocates %v times", n)
	}
}

// TestInt64Checked: the checked int64 helpers report overflow at both
// ends of the range.
func TestInt64Checked(t *testing.T) {
	const max, min = 1<<63 - 1, -1 << 63
	for _, tc := range []struct {
		a, b int64
		ok   bool
	}{{3, 4, true}, {max, 1, true}, {max, 2, false}, {min, -1, false}, {-1, min, false}, {1 << 32, 1 << 31, false}, {0, max, true}} {
		if _, ok := MulInt64(tc.a, tc.b); ok != tc.ok {
			t.Errorf("MulInt64(%d, %d) ok = %v", tc.a, tc.b, ok)
		}
	}
	if _, ok := AddInt64(max, 1); ok {
		t.Error("AddInt64(max, 1) ok")
	}
	if _, ok := AddInt64(min, -1); ok {
		t.Error("AddInt64(min, -1) ok")
	}
	if v, ok := AddInt64(-5, 3); !ok || v != -2 {
		t.Error("AddInt64(-5, 3)")
	}
}

func TestTrim(t *testing.T) {
	tests := []struct {
		in, want Dec
	}{
		{Dec{}, Dec{}},
		{Dec{C: 0, E: -12}, Dec{}},
		{Dec{C: 7, E: -3}, Dec{C: 7, E: -3}},
		{Dec{C: 79645602658000000, E: -12}, Dec{C: 79645602658, E: -6}},
		{Dec{C: -12500, E: -4}, Dec{C: -125, E: -2}},
		{Dec{C: 1000, E: 2}, Dec{C: 1, E: 5}},
		{Dec{C: math.MinInt64, E: 0}, Dec{C: math.MinInt64, E: 0}},
		{Dec{C: -9223372036854775000, E: -3}, Dec{C: -9223372036854775, E: 0}},
	}
	for _, tt := range tests {
		got := tt.in.Trim()
		if got != tt.want {
			t.Errorf("%+v.Trim() = %+v, want %+v", tt.in, got, tt.want)
		}
		if !got.Decimal().Equal(tt.in.Decimal()) || got.Decimal().String() != tt.in.Decimal().String() {
			t.Errorf("%+v.Trim() = %s, a different value or text from %s", tt.in, got.Decimal(), tt.in.Decimal())
		}
	}
}

// TestDecimalTable: the integers the table serves have the value and the
// exponent of decimal.New, those beyond it and those of another exponent
// too, and the table's are made without allocating.
func TestDecimalTable(t *testing.T) {
	for _, a := range []Dec{{C: 0}, {C: 1}, {C: -1}, {C: 100}, {C: -200}, {C: smallInts}, {C: -smallInts},
		{C: smallInts + 1}, {C: -smallInts - 1}, {C: 100, E: -2}, {C: 5, E: 3}, {C: math.MaxInt64}} {
		got, want := a.Decimal(), decimal.New(a.C, a.E)
		if !got.Equal(want) || got.Exponent() != want.Exponent() || got.String() != want.String() {
			t.Errorf("%+v.Decimal() = %s (exponent %d), want %s (exponent %d)", a, got, got.Exponent(), want, want.Exponent())
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = Dec{C: 100}.Decimal() }); n != 0 {
		t.Errorf("Dec{C: 100}.Decimal() allocates %v times, want 0", n)
	}
	// A sum of two table values does not change them.
	x, y := Dec{C: 7}.Decimal(), Dec{C: 5}.Decimal()
	_ = x.Add(y).Mul(y)
	if x.String() != "7" || y.String() != "5" || (Dec{C: 7}).Decimal().String() != "7" {
		t.Errorf("table values changed by arithmetic: %s, %s", x, y)
	}
}

// TestFloat64Trailing: a long coefficient with trailing zeros, such as a
// sum of commissions shared to 16 places, rounds as decimal rounds it,
// whether it takes the exact path once trimmed or not.
func TestFloat64Trailing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		c := r.Int64N(1 << 54)
		for range r.IntN(12) {
			if c > math.MaxInt64/10 {
				break
			}
			c *= 10
		}
		if r.IntN(2) == 0 {
			c = -c
		}
		a := Dec{C: c, E: int32(r.IntN(40) - 28)}
		d := a.Decimal()
		if got, ok := a.Float64(); ok && got != d.InexactFloat64() {
			t.Fatalf("%s: Float64 = %v, want %v", d, got, d.InexactFloat64())
		}
	}
	// Trimmed, 2^53 + 1 still needs the text.
	a := Dec{C: (1<<53 + 1) * 100, E: -4}
	if got, _ := a.Float64(); got != a.Decimal().InexactFloat64() {
		t.Fatalf("%s: Float64 = %v, want %v", a.Decimal(), got, a.Decimal().InexactFloat64())
	}
}

// TestStripZeros checks stripZeros against taking the zeros off one at a
// time, for every count of trailing zeros an int64 holds and every limit
// up to past it, and Trim and Append on the same coefficients against
// decimal's value and text.
func TestStripZeros(t *testing.T) {
	for _, m := range []uint64{1, 7, 19934, 123456789, 99, 1<<63 - 1, 1 << 63} {
		for k := range 20 {
			u := m
			for range k {
				if u > math.MaxUint64/10 {
					break
				}
				u *= 10
			}
			for limit := int64(0); limit <= 22; limit++ {
				wantU, wantN := u, int64(0)
				for wantN < limit && wantU%10 == 0 {
					wantU /= 10
					wantN++
				}
				if gotU, gotN := stripZeros(u, limit); gotU != wantU || gotN != wantN {
					t.Errorf("stripZeros(%d, %d) = %d, %d, want %d, %d", u, limit, gotU, gotN, wantU, wantN)
				}
			}
			if u > math.MaxInt64 {
				continue
			}
			for _, c := range []int64{int64(u), -int64(u)} {
				for e := int32(-25); e <= 3; e++ {
					a := Dec{C: c, E: e}
					want := a
					for want.C%10 == 0 {
						want.C /= 10
						want.E++
					}
					if got := a.Trim(); got != want {
						t.Errorf("%+v.Trim() = %+v, want %+v", a, got, want)
					}
					// A positive exponent may not fit: Append says so.
					if got, ok := a.Append(nil); (ok || e <= 0) && (!ok || string(got) != a.Decimal().String()) {
						t.Errorf("%+v.Append = %q, %v, want %q", a, got, ok, a.Decimal().String())
					}
				}
			}
		}
	}
	if got := (Dec{C: 1000, E: math.MaxInt32 - 1}).Trim(); got != (Dec{C: 100, E: math.MaxInt32}) {
		t.Errorf("Trim at the largest exponent = %+v", got)
	}
}
