package indicator

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/testkit"
)

func TestPriceSMA(t *testing.T) {
	s := NewPriceSMA(3)
	for i, tc := range []struct {
		push  string
		ready bool
		sum   string
	}{
		{"1", false, "1"},
		{"2", false, "3"},
		{"3.5", true, "6.5"},
		{"4", true, "9.5"}, // 2 + 3.5 + 4
		{"0.5", true, "8"}, // 3.5 + 4 + 0.5
	} {
		s.Push(testkit.MustPrice(tc.push))
		if s.Ready() != tc.ready {
			t.Errorf("step %d: Ready = %v", i, s.Ready())
		}
		if got := engine.Price(s.Sum()).String(); got != tc.sum {
			t.Errorf("step %d: Sum = %s, want %s", i, got, tc.sum)
		}
	}
	if v := s.Value(); math.Abs(v-8.0/3) > 1e-15 {
		t.Errorf("Value = %v, want 8/3", v)
	}
}

// A float64 running sum of 0.1, 0.2, 0.3 drifts; the exact sums do not, so
// averages that are equal on paper compare equal.
func TestComparePriceSMAExactTies(t *testing.T) {
	fast, slow := NewPriceSMA(3), NewPriceSMA(6)
	var fsum float64
	fwin := []float64{}
	for i := range 600 {
		p := []string{"0.1", "0.2", "0.3"}[i%3]
		fast.Push(testkit.MustPrice(p))
		slow.Push(testkit.MustPrice(p))
		x := testkit.MustPrice(p).Float64()
		fwin = append(fwin, x)
		fsum += x
		if len(fwin) > 3 {
			fsum -= fwin[len(fwin)-4]
		}
		if slow.Ready() {
			if c := ComparePriceSMA(fast, slow); c != 0 {
				t.Fatalf("bar %d: ComparePriceSMA = %d, want 0 (both average 0.2)", i, c)
			}
		}
	}
	if fsum/3 == 0.2 {
		t.Log("note: the float running sum happened not to drift here")
	}
}

// ComparePriceSMA agrees with exact rational arithmetic on random cent prices.
func TestComparePriceSMAMatchesRationals(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	fast, slow := NewPriceSMA(4), NewPriceSMA(9)
	var hist []int64
	for i := range 5000 {
		cents := 9990 + rng.Int64N(21) // prices 99.90..100.10: many exact ties
		hist = append(hist, cents)
		fast.Push(engine.Price(cents * 1_000_000))
		slow.Push(engine.Price(cents * 1_000_000))
		if i < 8 {
			continue
		}
		avg := func(n int) *big.Rat {
			var s int64
			for _, c := range hist[len(hist)-n:] {
				s += c
			}
			return big.NewRat(s, int64(n))
		}
		if got, want := ComparePriceSMA(fast, slow), avg(4).Cmp(avg(9)); got != want {
			t.Fatalf("bar %d: ComparePriceSMA = %d, want %d", i, got, want)
		}
	}
}

func TestCompareRatioLargeAndNegative(t *testing.T) {
	big := int64(math.MaxInt64 / 2)
	tests := []struct {
		x, m, y, n int64
		want       int
	}{
		{big, 3, big, 3, 0},
		{big, 3, big - 1, 3, 1},
		{-big, 7, big, 7, -1},
		{-6, 3, -4, 2, 0},
		{-7, 3, -4, 2, -1},
		{math.MinInt64, 1, math.MinInt64, 1, 0},
	}
	for _, tc := range tests {
		if got := compareRatio(tc.x, tc.m, tc.y, tc.n); got != tc.want {
			t.Errorf("compareRatio(%d/%d vs %d/%d) = %d, want %d", tc.x, tc.m, tc.y, tc.n, got, tc.want)
		}
	}
}

func TestEMA(t *testing.T) {
	e := NewEMA(3) // alpha = 0.5, seeded with the mean of the first 3
	for _, p := range []string{"1", "2", "3"} {
		if e.Ready() {
			t.Fatal("ready too early")
		}
		e.Push(testkit.MustPrice(p))
	}
	if !e.Ready() || e.Value() != 2 {
		t.Fatalf("seed = %v, want 2", e.Value())
	}
	e.Push(testkit.MustPrice("6")) // 2 + 0.5*(6-2) = 4
	e.Push(testkit.MustPrice("2")) // 4 + 0.5*(2-4) = 3
	if e.Value() != 3 {
		t.Fatalf("Value = %v, want 3", e.Value())
	}
}

func BenchmarkPriceSMAPush(b *testing.B) {
	s := NewPriceSMA(30)
	p := testkit.MustPrice("101.25")
	b.ReportAllocs()
	for b.Loop() {
		s.Push(p)
	}
}

func BenchmarkComparePriceSMA(b *testing.B) {
	f, s := NewPriceSMA(10), NewPriceSMA(30)
	for i := range 30 {
		f.Push(engine.Price(i * 1e8))
		s.Push(engine.Price(i * 1e8))
	}
	b.ReportAllocs()
	for b.Loop() {
		ComparePriceSMA(f, s)
	}
}
