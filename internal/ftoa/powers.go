package ftoa

import "math/big"

// pow10 is g(k) = ⌊10^-k·2^(125-⌊log2(10^-k)⌋)⌋ + 1, the 126 leading bits
// of 10^-k rounded up (above them when 10^-k has no more bits), as
// hi·2^63 + lo with lo < 2^63.
type pow10 struct{ hi, lo uint64 }

// The range of k that shortest uses: floorLog10Pow2 of the float64s'
// exponents, from minExp to 971, and floorLog10ThreeQuartersPow2 of
// them, from minExp+1.
const (
	minPowK = -324
	maxPowK = 292
)

// powers holds g(k) for k from minPowK to maxPowK, at k-minPowK. It is
// computed when the package is initialized, in about 0.1 ms
// (BenchmarkComputePowers).
var powers = computePowers()

// computePowers returns g(k) for k from minPowK to maxPowK, computed with
// math/big: for k ≤ 0, 10^-k shifted to 126 bits; for k > 0, 2^(125+n)
// divided by 10^k, where n is the bit length of 10^k (a power of 10 that
// is not a power of 2 lies between 2^(n-1) and 2^n, so ⌊log2(10^-k)⌋ is
// -n).
func computePowers() *[maxPowK - minPowK + 1]pow10 {
	var ps [maxPowK - minPowK + 1]pow10
	var g big.Int
	mask := new(big.Int).SetUint64(1<<63 - 1)
	set := func(k int) {
		g.Add(&g, big.NewInt(1))
		var lo big.Int
		ps[k-minPowK] = pow10{hi: new(big.Int).Rsh(&g, 63).Uint64(), lo: lo.And(&g, mask).Uint64()}
	}
	ten := big.NewInt(10)
	p := big.NewInt(1) // 10^m
	for m := 0; m <= -minPowK; m++ {
		if sh := 125 - (p.BitLen() - 1); sh >= 0 {
			g.Lsh(p, uint(sh))
		} else {
			g.Rsh(p, uint(-sh))
		}
		set(-m)
		p.Mul(p, ten)
	}
	p.SetInt64(10)
	var num big.Int
	for k := 1; k <= maxPowK; k++ {
		num.Lsh(big.NewInt(1), uint(125+p.BitLen()))
		g.Quo(&num, p)
		set(k)
		p.Mul(p, ten)
	}
	return &ps
}
