// Package digits writes the decimal digits of unsigned integers, two at
// a time from a table of the pairs 00 to 99.
package digits

import "math/bits"

// Pairs holds the two digits of 00 to 99, in turn: those of n are
// Pairs[2n] and Pairs[2n+1].
const Pairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// Put writes the last len(d) decimal digits of f to d, with zeros before
// them where f has fewer, and returns what is left of f: f / 10^len(d).
func Put(d []byte, f uint64) uint64 {
	i := len(d)
	for ; i >= 2; i -= 2 {
		p := f % 100 * 2
		f /= 100
		d[i-2], d[i-1] = Pairs[p], Pairs[p+1]
	}
	if i == 1 {
		d[0] = byte('0' + f%10)
		f /= 10
	}
	return f
}

// Len returns the number of decimal digits of f, 1 for 0.
func Len(f uint64) int {
	// With n bits, f has the digits of 2^n - 1, t = ⌊n·log10(2)⌋+1
	// (1233/4096 is log10(2) closely enough for n ≤ 64), or one fewer
	// when f < 10^(t-1).
	t := bits.Len64(f)*1233>>12 + 1
	if f < pow10[t-1] {
		t--
	}
	return max(t, 1)
}

// pow10 holds 10^i at i, from 10^0 to 10^19.
var pow10 = [20]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}
