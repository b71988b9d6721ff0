package montecarlo

import (
	"math"
	"math/big"
	"math/rand/v2"

	"github.com/shopspring/decimal"
)

// tradeGen makes trade paths: a permutation of the trades (shuffle) or
// draws with replacement.
type tradeGen struct {
	shuffle bool
	// Exact paths: the initial equity and the trades as int64 multiples
	// of 10^exp.
	fixed        bool
	initialFixed int64
	tradesFixed  []int64
	exp          int32
	// Float paths, when the exact ones do not fit.
	initial float64
	trades  []float64
}

// newTradeGen returns the trade generator of in.
func newTradeGen(in Input, shuffle bool) *tradeGen {
	g := &tradeGen{shuffle: shuffle, initial: in.Initial.InexactFloat64()}
	g.trades = make([]float64, len(in.Trades))
	for i, t := range in.Trades {
		g.trades[i] = t.InexactFloat64()
	}
	g.fixed = g.scale(in.Initial, in.Trades)
	return g
}

// scale sets the exact form of initial and trades and reports whether it
// exists: every value an int64 multiple of 10^exp, the largest exponent
// that holds them all, with the sum of their absolute values below 2^62
// (so that no running sum overflows) and 10^-exp a float64 integer.
func (g *tradeGen) scale(initial decimal.Decimal, trades []decimal.Decimal) bool {
	exp := min(initial.Exponent(), 0)
	for _, t := range trades {
		exp = min(exp, t.Exponent())
	}
	if exp < -22 {
		return false
	}
	limit := new(big.Int).Lsh(big.NewInt(1), 62)
	total := new(big.Int)
	conv := func(d decimal.Decimal) (int64, bool) {
		b := d.Shift(-exp).BigInt() // exact: exp is d's exponent or smaller
		total.Add(total, new(big.Int).Abs(b))
		return b.Int64(), total.Cmp(limit) < 0
	}
	var ok bool
	if g.initialFixed, ok = conv(initial); !ok {
		return false
	}
	g.tradesFixed = make([]int64, len(trades))
	for i, t := range trades {
		if g.tradesFixed[i], ok = conv(t); !ok {
			return false
		}
	}
	g.exp = exp
	return true
}

func (g *tradeGen) steps() int   { return len(g.trades) }
func (g *tradeGen) unit() string { return "trades" }
func (g *tradeGen) exact() bool  { return g.fixed }

// path writes the equity after each trade of one path into eq.
func (g *tradeGen) path(rng *rand.Rand, eq []float64) {
	n := len(g.trades)
	idx := make([]int, n)
	if g.shuffle {
		for i := range idx {
			idx[i] = i
		}
		rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	} else {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
	}
	g.walk(idx, eq)
}

// actual writes the equity after each trade in the order they closed.
func (g *tradeGen) actual(eq []float64) {
	idx := make([]int, len(g.trades))
	for i := range idx {
		idx[i] = i
	}
	g.walk(idx, eq)
}

// walk writes the equity after each of the trades idx, in that order.
func (g *tradeGen) walk(idx []int, eq []float64) {
	if g.fixed {
		unit := math.Pow10(int(-g.exp)) // exact: -exp <= 22
		sum := g.initialFixed
		for k, i := range idx {
			sum += g.tradesFixed[i]
			eq[k] = float64(sum) / unit
		}
		return
	}
	sum := g.initial
	for k, i := range idx {
		sum += g.trades[i]
		eq[k] = sum
	}
}

// blockGen makes paths by the stationary block bootstrap of returns.
type blockGen struct {
	initial float64
	returns []float64
	p       float64 // the probability that a step starts a new block
}

// newBlockGen returns the block bootstrap of in's returns with mean
// block length mean.
func newBlockGen(in Input, mean float64) *blockGen {
	return &blockGen{initial: in.Initial.InexactFloat64(), returns: in.Returns, p: 1 / mean}
}

func (g *blockGen) steps() int   { return len(g.returns) }
func (g *blockGen) unit() string { return "periods" }
func (g *blockGen) exact() bool  { return false }

// actual writes the equity after each period of the returns in order.
func (g *blockGen) actual(eq []float64) {
	e := g.initial
	for k, r := range g.returns {
		e *= 1 + r
		eq[k] = e
	}
}

// path writes the equity after each period of one path into eq: the
// first return at a uniform index; each next one, with probability p, at
// a new uniform index, else the one after the last (index n−1 is
// followed by 0).
func (g *blockGen) path(rng *rand.Rand, eq []float64) {
	n := len(g.returns)
	e, j := g.initial, 0
	for k := range eq {
		if k == 0 || rng.Float64() < g.p {
			j = rng.IntN(n)
		} else {
			j = (j + 1) % n
		}
		e *= 1 + g.returns[j]
		eq[k] = e
	}
}
