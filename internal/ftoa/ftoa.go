// Package ftoa formats a float64 as the shortest decimal text that reads
// back to it, byte for byte as strconv.AppendFloat(b, x, 'g', -1, 64)
// does, in less time.
//
// The digits are found by Schubfach: Raffaello Giulietti, "The Schubfach
// way to render doubles" (2020, revised 2021), the algorithm of Java's
// Double.toString since JDK 19.
package ftoa

import (
	"math"
	"math/bits"

	"github.com/quantloop/quantloop/internal/digits"
)

// AppendFloat64 appends the text of x to b and returns the extended
// buffer. The bytes are those of strconv.AppendFloat(b, x, 'g', -1, 64),
// for every float64: "NaN", "+Inf", "-Inf", "0" and "-0" for the special
// values, and otherwise the shortest decimal that reads back to x (the
// one nearest x when several are as short, the one with an even last
// digit when two are as near), written as %e does (d.ddde±XX, two
// exponent digits at least) when its decimal exponent is below -4 or 6
// or more, and as %f does (ddd.ddd) otherwise.
//
// A whole x of magnitude 1 to 2^52 is written from its own digits. Any
// other x is c·2^q with an integer c, and its digits are Schubfach's (see
// the package comment and shortest). Appending to a buffer with room
// allocates nothing.
func AppendFloat64(b []byte, x float64) []byte {
	xb := math.Float64bits(x)
	neg := xb>>63 != 0
	be := int(xb>>52) & 0x7ff
	frac := xb & (1<<52 - 1)
	var c uint64
	var q int
	switch {
	case be == 0x7ff:
		switch {
		case frac != 0:
			return append(b, "NaN"...)
		case neg:
			return append(b, "-Inf"...)
		}
		return append(b, "+Inf"...)
	case be == 0:
		if frac == 0 {
			if neg {
				return append(b, "-0"...)
			}
			return append(b, '0')
		}
		c, q = frac, minExp
	default:
		c, q = 1<<52|frac, be-1075
	}
	if q < 0 && q > -53 && c&(1<<-q-1) == 0 {
		// x is whole and below 2^52: the float64s next to it are at
		// most 1 away, and any other decimal of as many significant
		// digits or fewer is at least 1 away, so it reads back to
		// another float64, and x's own digits are the shortest.
		return appendDecimal(b, neg, c>>-q, 0)
	}
	f, e := shortest(c, q)
	return appendDecimal(b, neg, f, e)
}

// minExp is the exponent q of the float64s c·2^q with the smallest
// spacing, the subnormals and the smallest normals.
const minExp = -1074

// shortest returns the decimal f·10^e, f > 0, that strconv's shortest
// formatting writes for v = c·2^q, where 0 < c < 2^53 and q ≥ minExp.
//
// Reading a decimal back gives the float64 nearest it, the one with an
// even c on a tie, so the decimals that read back to v are those of its
// rounding interval R, which runs from vl, halfway to the float64 below,
// to vr, halfway to the float64 above, and holds vl and vr when c is even.
// With 4·2^(q-2) as the unit, v is cb = 4c, vr is cb+2 and vl is cb-2, or
// cb-1 when c = 2^52 and q > minExp, where the float64 below is half as
// far as the one above.
//
// Let k be the largest integer with 10^k at most the width of R (2^q, or
// 3/4·2^q in the second case). Then R holds at most one multiple of
// 10^(k+1) and at least one of u = s·10^k and w = (s+1)·10^k, where
// s = ⌊v/10^k⌋, so the shortest decimal is that multiple of 10^(k+1) if
// R holds one, else whichever of u and w R holds, or the one nearer v if
// it holds both (u if s is even and they are as near; strconv rounds a
// tie to even).
//
// The tests need v/10^k, vl/10^k and vr/10^k only to their integer parts
// and whether they are whole, and take them times 4, as vb, vbl and vbr:
// rounded to odd (the integer part, with its last bit set if the number
// was not whole), they compare with multiples of 2 as the exact numbers
// do. Each is the product of the scaled binary significand with g(k),
// the 126 leading bits of 10^-k rounded up (see powers), by roundOdd;
// Giulietti proves that the result is the exact number rounded to odd
// for the significands and exponents of float64s, and TestRoundOdd checks
// it against math/big.
func shortest(c uint64, q int) (f uint64, e int) {
	cb := c << 2
	cbr := cb + 2
	cbl := cb - 2
	var k int
	if c == 1<<52 && q > minExp {
		cbl = cb - 1
		k = floorLog10ThreeQuartersPow2(q)
	} else {
		k = floorLog10Pow2(q)
	}
	// h scales the significands so that the product with g(k), which
	// holds 10^-k times 2^(125-floorLog2Pow10(-k)), is 2^127 times the
	// number wanted; it is between 2 and 9.
	h := uint(q + floorLog2Pow10(-k) + 2)
	g := &powers[k-minPowK]
	vb := roundOdd(g, cb<<h)
	vbl := roundOdd(g, cbl<<h)
	vbr := roundOdd(g, cbr<<h)

	// R holds its bounds only when c is even: out makes the tests of
	// whether a decimal is in R strict when c is odd.
	out := c & 1
	s := vb >> 2

	// The multiples of 10^(k+1) on either side of v, sp·10^(k+1) and
	// (sp+1)·10^(k+1).
	sp := s / 10
	upin := vbl+out <= 40*sp
	wpin := 40*sp+40+out <= vbr
	if upin != wpin {
		if wpin {
			sp++
		}
		return sp, k + 1
	}

	uin := vbl+out <= 4*s
	win := 4*s+4+out <= vbr
	if uin != win {
		if win {
			s++
		}
		return s, k
	}
	// Both u and w are in R; vb against the midpoint of u and w, 4s+2.
	if mid := 4*s + 2; vb > mid || vb == mid && s&1 != 0 {
		s++
	}
	return s, k
}

// roundOdd returns g·cp/2^127 rounded to odd, where g = g.hi·2^63 + g.lo
// and cp < 2^64: its integer part, with the last bit set when the low 63
// bits that the truncated sum keeps of the fraction are not all zero.
// The low 64 bits of g.lo·cp are dropped.
func roundOdd(g *pow10, cp uint64) uint64 {
	mid, _ := bits.Mul64(g.lo, cp)
	hi, lo := bits.Mul64(g.hi, cp)
	// hi·2^64 + lo is g.hi·cp; with mid, the fraction in units of 2^-63.
	z := lo>>1 + mid
	r := hi + z>>63
	if z<<1 != 0 {
		r |= 1
	}
	return r
}

// floorLog10Pow2 returns ⌊q·log10(2)⌋ for |q| ≤ 1100.
func floorLog10Pow2(q int) int {
	return q * 661971961083 >> 41
}

// floorLog10ThreeQuartersPow2 returns ⌊log10(3/4·2^q)⌋ for |q| ≤ 1100.
func floorLog10ThreeQuartersPow2(q int) int {
	return (q*661971961083 - 274743187321) >> 41
}

// floorLog2Pow10 returns ⌊e·log2(10)⌋ for |e| ≤ 350.
func floorLog2Pow10(e int) int {
	return e * 913124641741 >> 38
}

// appendDecimal appends the text of the decimal f·10^e, f > 0, with a
// minus sign if neg, as strconv's 'g' writes shortest digits: the digits
// of f without its trailing zeros, in %e form when the decimal exponent
// is below -4 or at least 6, in %f form otherwise.
func appendDecimal(b []byte, neg bool, f uint64, e int) []byte {
	for f%10000 == 0 {
		f /= 10000
		e += 4
	}
	if f%100 == 0 {
		f /= 100
		e += 2
	}
	if f%10 == 0 {
		f /= 10
		e++
	}
	nd := digits.Len(f)
	exp := nd + e - 1 // the decimal exponent of the first digit

	// The text is made in t, the digits written in place. The longest,
	// of 17 digits at 10^-5 or 10^-324, is 24 bytes.
	var t [32]byte
	n := 0
	if neg {
		t[0] = '-'
		n = 1
	}
	switch {
	case exp < -4 || exp >= 6:
		// d.ddde±XX: the digits written one place on, the first moved
		// back before the point.
		digits.Put(t[n+1:n+1+nd], f)
		t[n] = t[n+1]
		n++
		if nd > 1 {
			t[n] = '.'
			n += nd
		}
		t[n] = 'e'
		t[n+1] = '+'
		if exp < 0 {
			t[n+1] = '-'
			exp = -exp
		}
		n += 2
		if exp >= 100 {
			t[n] = byte('0' + exp/100)
			n++
			exp %= 100
		}
		t[n], t[n+1] = digits.Pairs[exp*2], digits.Pairs[exp*2+1]
		n += 2
	case exp < 0:
		// 0.000ddd
		t[n], t[n+1] = '0', '.'
		n += 2
		for range -exp - 1 {
			t[n] = '0'
			n++
		}
		digits.Put(t[n:n+nd], f)
		n += nd
	case exp+1 < nd:
		// ddd.ddd: the digits written one place on, those before the
		// point moved back.
		digits.Put(t[n+1:n+1+nd], f)
		for i := n; i <= n+exp; i++ {
			t[i] = t[i+1]
		}
		t[n+exp+1] = '.'
		n += nd + 1
	default:
		// ddd000
		digits.Put(t[n:n+nd], f)
		n += nd
		for range exp + 1 - nd {
			t[n] = '0'
			n++
		}
	}
	return append(b, t[:n]...)
}
