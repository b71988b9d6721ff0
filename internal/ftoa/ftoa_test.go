package ftoa

import (
	"bytes"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

// check fails t unless AppendFloat64 appends strconv's text of x, to an
// empty buffer and to one that holds text already.
func check(t *testing.T, x float64) {
	t.Helper()
	want := strconv.FormatFloat(x, 'g', -1, 64)
	if got := AppendFloat64(nil, x); string(got) != want {
		t.Fatalf("%v (%#x): %q, want %q", x, math.Float64bits(x), got, want)
	}
	if got := AppendFloat64([]byte("a,"), x); string(got) != "a,"+want {
		t.Fatalf("%v (%#x) after \"a,\": %q, want %q", x, math.Float64bits(x), got, "a,"+want)
	}
}

// TestAppendFloat64Text: the special values, the bounds of the float64s,
// whole numbers and values at the switches between %f and %e text have
// the text written out here, and it is strconv's.
func TestAppendFloat64Text(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
		{0, "0"},
		{math.Copysign(0, -1), "-0"},
		{5e-324, "5e-324"},
		{-5e-324, "-5e-324"},
		{1e-323, "1e-323"},
		{math.SmallestNonzeroFloat64 * 3, "1.5e-323"},
		{2.2250738585072014e-308, "2.2250738585072014e-308"}, // the smallest normal
		{2.225073858507201e-308, "2.225073858507201e-308"},   // the largest subnormal
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{-math.MaxFloat64, "-1.7976931348623157e+308"},
		{1, "1"},
		{-1, "-1"},
		{0.1, "0.1"},
		{0.2, "0.2"},
		{0.3, "0.3"},
		{0.30000000000000004, "0.30000000000000004"},
		{1.0 / 3, "0.3333333333333333"},
		{2.0 / 3, "0.6666666666666666"},
		{0.0123456789, "0.0123456789"},
		{-0.0123456789, "-0.0123456789"},
		{1 << 53, "9.007199254740992e+15"},
		{1<<53 - 1, "9.007199254740991e+15"},
		{1<<53 + 2, "9.007199254740994e+15"},
		{123456, "123456"},
		{-123456, "-123456"},
		{999999, "999999"},
		{999999.5, "999999.5"},
		{1e6, "1e+06"},
		{1234567, "1.234567e+06"},
		{100000, "100000"},
		{1e15, "1e+15"},
		{1e20, "1e+20"},
		{1e21, "1e+21"},
		{1e22, "1e+22"},
		{1e23, "1e+23"},
		{1e100, "1e+100"},
		{1.5e300, "1.5e+300"},
		{0.001, "0.001"},
		{0.0001, "0.0001"},
		{0.00012345, "0.00012345"},
		{0.00001, "1e-05"},
		{0.000099999, "9.9999e-05"},
		{1.5e-10, "1.5e-10"},
		{1e-100, "1e-100"},
		{123.456, "123.456"},
		{100, "100"},
		{5, "5"},
		{12.5, "12.5"},
		{0.5, "0.5"},
	} {
		got := AppendFloat64(nil, tc.x)
		if string(got) != tc.want {
			t.Errorf("%v (%#x): %q, want %q", tc.x, math.Float64bits(tc.x), got, tc.want)
		}
		check(t, tc.x)
	}
}

// TestAppendFloat64Edges compares with strconv every power of 10 from
// 1e-323 to 1e308 and every power of 2, the float64s next to each, the
// bounds of the binades, of the subnormals and of the whole numbers that
// the fast path takes, and the smallest subnormals.
func TestAppendFloat64Edges(t *testing.T) {
	var xs []float64
	for e := -323; e <= 308; e++ {
		x, err := strconv.ParseFloat("1e"+strconv.Itoa(e), 64)
		if err != nil {
			t.Fatal(err)
		}
		xs = append(xs, x)
	}
	for e := -1074; e <= 1023; e++ {
		p := math.Ldexp(1, e)
		xs = append(xs, p, math.Nextafter(p, 0), math.Ldexp(3, e-1))
	}
	for e := 52; e <= 54; e++ {
		p := math.Ldexp(1, e)
		xs = append(xs, p-3, p-2, p-1, p+1, p+2, p+3, p+4)
	}
	for c := range uint64(1000) {
		xs = append(xs, math.Float64frombits(c), math.Float64frombits(1<<52-c))
	}
	xs = append(xs, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1, 0.2, 0.3, 1.0/3, 0.0123456789)
	for _, x := range xs {
		for _, y := range []float64{x, math.Nextafter(x, math.Inf(1)), math.Nextafter(x, math.Inf(-1))} {
			check(t, y)
			check(t, -y)
		}
	}
}

// TestAppendFloat64Random compares with strconv float64s of random bits,
// random values in [0, 1) and in [1e-6, 1e6], uniform and in log scale,
// random drawdowns in [0, 0.3), and random decimals of 1 to 17 digits.
func TestAppendFloat64Random(t *testing.T) {
	n := 3_000_000
	if testing.Short() {
		n = 100_000
	}
	rng := rand.New(rand.NewPCG(7, 8))
	var pow10 [40]float64
	for i := range pow10 {
		pow10[i] = math.Pow(10, float64(i))
	}
	kinds := []struct {
		name string
		gen  func() float64
	}{
		{"bits", func() float64 { return math.Float64frombits(rng.Uint64()) }},
		{"[0,1)", rng.Float64},
		{"[1e-6,1e6]", func() float64 { return 1e-6 + rng.Float64()*(1e6-1e-6) }},
		{"[1e-6,1e6] log", func() float64 { return math.Exp(math.Log(1e-6) + rng.Float64()*math.Log(1e12)) }},
		{"drawdown", func() float64 { return -0.3 * rng.Float64() }},
		{"decimal", func() float64 {
			m := float64(rng.Uint64N(uint64(pow10[1+rng.IntN(17)])))
			if e := rng.IntN(40) - 20; e >= 0 {
				return m * pow10[e]
			} else {
				return m / pow10[-e]
			}
		}},
	}
	var got, want []byte
	for _, k := range kinds {
		for range n {
			x := k.gen()
			got = AppendFloat64(got[:0], x)
			want = strconv.AppendFloat(want[:0], x, 'g', -1, 64)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s: %v (%#x): %q, want %q", k.name, x, math.Float64bits(x), got, want)
			}
		}
	}
}

// FuzzAppendFloat64 compares with strconv the float64 of the bits.
func FuzzAppendFloat64(f *testing.F) {
	for _, x := range []float64{0, 1, -1, 0.1, 0.3, 1.0 / 3, 5e-324, 1e-323, math.MaxFloat64, 1e21, 1e23, 1e-5, 123456, 1e6, 1 << 53, 2.2250738585072014e-308, 0.0123456789} {
		f.Add(math.Float64bits(x))
	}
	f.Add(uint64(0x7ff8000000000001)) // NaN
	f.Add(uint64(0x7ff0000000000000)) // +Inf
	f.Add(uint64(0x0010000000000000)) // the smallest normal
	f.Add(uint64(0x7fe0000000000000)) // 2^1023
	f.Fuzz(func(t *testing.T, b uint64) {
		x := math.Float64frombits(b)
		if got, want := AppendFloat64(nil, x), strconv.AppendFloat(nil, x, 'g', -1, 64); !bytes.Equal(got, want) {
			t.Fatalf("%v (%#x): %q, want %q", x, b, got, want)
		}
	})
}

// TestAppendFloat64Allocs: appending to a buffer with room allocates
// nothing.
func TestAppendFloat64Allocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, x := range []float64{0.0123456789, 1e-300, 123456, 1e21, math.NaN(), -0.5, 5e-324} {
		if n := testing.AllocsPerRun(100, func() { buf = AppendFloat64(buf[:0], x) }); n != 0 {
			t.Errorf("%v: %v allocations", x, n)
		}
	}
}

// exactRoundOdd returns cb·2^q/10^k rounded to odd: its integer part
// with the last bit set if it is not whole.
func exactRoundOdd(cb uint64, q, k int) uint64 {
	num := new(big.Int).SetUint64(cb)
	den := big.NewInt(1)
	if q >= 0 {
		num.Lsh(num, uint(q))
	} else {
		den.Lsh(den, uint(-q))
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(k, -k))), nil)
	if k >= 0 {
		den.Mul(den, p)
	} else {
		num.Mul(num, p)
	}
	quo, rem := num.QuoRem(num, den, new(big.Int))
	r := quo.Uint64()
	if rem.Sign() != 0 {
		r |= 1
	}
	return r
}

// TestRoundOdd: roundOdd gives the exact v/10^k, vl/10^k and vr/10^k
// rounded to odd (times 4), as shortest computes them, for the binary
// significands at the ends of their range, random ones, and every one
// below 4096 of the subnormals, at every exponent.
func TestRoundOdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	perExp := 100
	if testing.Short() {
		perExp = 5
	}
	try := func(c uint64, q int) {
		cb := c << 2
		cbl, k := cb-2, floorLog10Pow2(q)
		if c == 1<<52 && q > minExp {
			cbl, k = cb-1, floorLog10ThreeQuartersPow2(q)
		}
		h := uint(q + floorLog2Pow10(-k) + 2)
		if h < 2 || h > 9 {
			t.Fatalf("c %d q %d: h %d", c, q, h)
		}
		for _, x := range []uint64{cbl, cb, cb + 2} {
			if got, want := roundOdd(&powers[k-minPowK], x<<h), exactRoundOdd(x, q, k); got != want {
				t.Fatalf("c %d q %d: cb %d: roundOdd %d, want %d", c, q, x, got, want)
			}
		}
	}
	for c := uint64(1); c < 4096; c++ {
		try(c, minExp)
	}
	for q := minExp; q <= 971; q++ {
		try(1<<52, q)
		try(1<<52+1, q)
		try(1<<53-1, q)
		for range perExp {
			try(1<<52|rng.Uint64N(1<<52), q)
		}
		if q == minExp {
			for range 100 * perExp {
				try(1+rng.Uint64N(1<<52-1), q)
			}
		}
	}
}

// pow returns b^n as a fraction.
func pow(b, n int) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(int64(b)), big.NewInt(int64(max(n, -n))), nil)
	if n < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), p)
	}
	return new(big.Rat).SetInt(p)
}

// floorLog reports whether ⌊log_b(x)⌋ = n, that is b^n ≤ x < b^(n+1).
func floorLog(b, n int, x *big.Rat) bool {
	return pow(b, n).Cmp(x) <= 0 && x.Cmp(pow(b, n+1)) < 0
}

// TestPowers recomputes each g(k) as a fraction: ⌊10^-k·2^(125-F)⌋ + 1,
// where F = ⌊log2(10^-k)⌋, and checks it has 126 bits.
func TestPowers(t *testing.T) {
	lo, hi := new(big.Int).Lsh(big.NewInt(1), 125), new(big.Int).Lsh(big.NewInt(1), 126)
	for k := minPowK; k <= maxPowK; k++ {
		p := pow(10, -k)
		f := p.Num().BitLen() - p.Denom().BitLen() // F or F+1
		if !floorLog(2, f, p) {
			f--
		}
		if !floorLog(2, f, p) {
			t.Fatalf("k %d: no ⌊log2(10^-k)⌋ found", k)
		}
		x := new(big.Rat).Mul(p, pow(2, 125-f))
		g := new(big.Int).Quo(x.Num(), x.Denom())
		if g.Cmp(lo) < 0 || g.Cmp(hi) >= 0 {
			t.Fatalf("k %d: ⌊10^-k·2^(125-%d)⌋ = %v, not of 126 bits", k, f, g)
		}
		g.Add(g, big.NewInt(1))
		if g.Cmp(hi) >= 0 {
			t.Fatalf("k %d: g = 2^126", k)
		}
		want := pow10{hi: new(big.Int).Rsh(g, 63).Uint64(), lo: new(big.Int).And(g, big.NewInt(math.MaxInt64)).Uint64()}
		if got := powers[k-minPowK]; got != want {
			t.Fatalf("k %d: %#x, want %#x", k, got, want)
		}
	}
}

// TestFloorLogs compares floorLog10Pow2, floorLog10ThreeQuartersPow2 and
// floorLog2Pow10 with exact comparisons of powers over their ranges.
func TestFloorLogs(t *testing.T) {
	for q := -1100; q <= 1100; q++ {
		if n := floorLog10Pow2(q); !floorLog(10, n, pow(2, q)) {
			t.Fatalf("floorLog10Pow2(%d) = %d", q, n)
		}
		x := new(big.Rat).Mul(big.NewRat(3, 4), pow(2, q))
		if n := floorLog10ThreeQuartersPow2(q); !floorLog(10, n, x) {
			t.Fatalf("floorLog10ThreeQuartersPow2(%d) = %d", q, n)
		}
	}
	for e := -350; e <= 350; e++ {
		if n := floorLog2Pow10(e); !floorLog(2, n, pow(10, e)) {
			t.Fatalf("floorLog2Pow10(%d) = %d", e, n)
		}
	}
}

// BenchmarkAppendFloat64 formats, by AppendFloat64 and by strconv, random
// drawdowns in [0, 0.3), float64s of random bits, and decimals of few
// digits (prices to the cent and whole numbers).
func BenchmarkAppendFloat64(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 1024
	inputs := []struct {
		name string
		xs   []float64
	}{
		{"drawdown", make([]float64, n)},
		{"bits", make([]float64, n)},
		{"short", make([]float64, n)},
	}
	for i := range n {
		inputs[0].xs[i] = rng.Float64() * 0.3
		inputs[1].xs[i] = math.Float64frombits(rng.Uint64())
		if i%2 == 0 {
			inputs[2].xs[i] = float64(rng.IntN(100000)) / 100
		} else {
			inputs[2].xs[i] = float64(rng.IntN(10000000))
		}
	}
	buf := make([]byte, 0, 64)
	for _, in := range inputs {
		b.Run(in.name+"/ftoa", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				buf = AppendFloat64(buf[:0], in.xs[i%n])
			}
		})
		b.Run(in.name+"/strconv", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				buf = strconv.AppendFloat(buf[:0], in.xs[i%n], 'g', -1, 64)
			}
		})
	}
}

// BenchmarkComputePowers times the table's computation at init.
func BenchmarkComputePowers(b *testing.B) {
	for b.Loop() {
		computePowers()
	}
}
