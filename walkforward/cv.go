package walkforward

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Range is the bar indices [Start, End): Start inclusive, End exclusive.
type Range struct {
	Start, End int
}

// Len returns the number of indices of r.
func (r Range) Len() int { return r.End - r.Start }

// Split is one split of a cross-validation: the test groups' indices and
// the training indices left after purging and embargo, each as sorted,
// disjoint, non-adjacent ranges.
type Split struct {
	// Groups are the indices, from 0, of the groups tested.
	Groups []int
	Test   []Range
	Train  []Range
}

// Groups cuts n bars into k contiguous groups of n/k bars, the first n%k
// of them one bar longer (as numpy's array_split).
func Groups(n, k int) ([]Range, error) {
	if k < 2 || k > n {
		return nil, fmt.Errorf("cv: %d groups of %d bars: want 2 <= groups <= bars", k, n)
	}
	out := make([]Range, k)
	start := 0
	for i := range out {
		size := n / k
		if i < n%k {
			size++
		}
		out[i] = Range{start, start + size}
		start += size
	}
	return out, nil
}

// KFold returns the k splits of purged k-fold cross-validation with
// embargo (López de Prado, Advances in Financial Machine Learning, 2018,
// ch. 7) over n bars: split j tests group j of Groups(n, k) and trains on
// every other bar except the purge bars just before the test group
// (whose labels, looking up to purge bars ahead, would overlap it) and
// the embargo bars just after it (serially correlated with it).
func KFold(n, k, purge, embargo int) ([]Split, error) {
	return CPCV(n, k, 1, purge, embargo)
}

// CPCV returns the splits of combinatorial purged cross-validation
// (López de Prado, 2018, ch. 12) over n bars: the bars are cut into
// groups (Groups(n, groups)); each of the C(groups, test) ways to choose
// test groups, in lexicographic order of the group indices, is one split,
// whose training bars are all the others except, for each test group
// [a, b), the bars [a-purge, a) and [b, b+embargo). With test 1 it is
// KFold.
func CPCV(n, groups, test, purge, embargo int) ([]Split, error) {
	g, err := Groups(n, groups)
	if err != nil {
		return nil, err
	}
	if err := (CV{Groups: groups, Test: test}).check(); err != nil {
		return nil, err
	}
	if purge < 0 || embargo < 0 {
		return nil, errors.New("cv: purge and embargo must not be negative")
	}
	var out []Split
	for _, comb := range combinations(groups, test) {
		excl := make([]bool, n)
		var s Split
		s.Groups = comb
		for _, j := range comb {
			r := g[j]
			s.Test = appendRange(s.Test, r)
			for i := max(r.Start-purge, 0); i < min(r.End+embargo, n); i++ {
				excl[i] = true
			}
		}
		for i := 0; i < n; {
			if excl[i] {
				i++
				continue
			}
			j := i
			for j < n && !excl[j] {
				j++
			}
			s.Train = append(s.Train, Range{i, j})
			i = j
		}
		out = append(out, s)
	}
	return out, nil
}

// MaxSplits bounds the number of splits of a cross-validation, C(groups,
// test): each split scores every configuration over its training bars,
// and the splits are held in memory.
const MaxSplits = 100_000

// check returns an error when c is not a scheme CPCV splits: it needs
// 2 <= Groups, 1 <= Test < Groups, and C(Groups, Test) at most MaxSplits.
func (c CV) check() error {
	if c.Groups < 2 || c.Test < 1 || c.Test >= c.Groups {
		return fmt.Errorf("cv: %d test groups of %d: want 2 <= groups and 1 <= test < groups", c.Test, c.Groups)
	}
	if splitCount(c.Groups, c.Test) > MaxSplits {
		return fmt.Errorf("cv: %d groups, %d tested: C(%d, %d) is more than %d splits; use fewer groups, or a number tested further from half of them",
			c.Groups, c.Test, c.Groups, c.Test, MaxSplits)
	}
	return nil
}

// splitCount returns C(groups, test) for 1 <= test < groups, or
// MaxSplits+1 when that is more than MaxSplits.
func splitCount(groups, test int) int {
	if groups > MaxSplits {
		// C(n, k) >= n for 1 <= k < n.
		return MaxSplits + 1
	}
	k := min(test, groups-test)
	c := 1
	for i := 1; i <= k; i++ {
		// c is C(groups-k+i-1, i-1) <= MaxSplits, so the product fits;
		// the division is exact.
		c = c * (groups - k + i) / i
		if c > MaxSplits {
			return MaxSplits + 1
		}
	}
	return c
}

// appendRange appends r to rs, merged with the last range when adjacent.
func appendRange(rs []Range, r Range) []Range {
	if k := len(rs); k > 0 && rs[k-1].End == r.Start {
		rs[k-1].End = r.End
		return rs
	}
	return append(rs, r)
}

// combinations returns the k-element subsets of 0..n-1, each sorted, in
// lexicographic order.
func combinations(n, k int) [][]int {
	var out [][]int
	c := make([]int, k)
	for i := range c {
		c[i] = i
	}
	for {
		out = append(out, append([]int(nil), c...))
		i := k - 1
		for i >= 0 && c[i] == n-k+i {
			i--
		}
		if i < 0 {
			return out
		}
		c[i]++
		for j := i + 1; j < k; j++ {
			c[j] = c[j-1] + 1
		}
	}
}

// Paths returns the backtest paths of the splits of a CPCV with groups
// groups: φ = C(groups-1, test-1) paths (test/groups × the number of
// splits), each of which tests every group once. Path p takes group g
// from the p-th split, in order, that tests g; paths[p][g] is that
// split's index.
func Paths(splits []Split, groups int) [][]int {
	byGroup := make([][]int, groups)
	for i, s := range splits {
		for _, g := range s.Groups {
			byGroup[g] = append(byGroup[g], i)
		}
	}
	phi := len(byGroup[0])
	paths := make([][]int, phi)
	for p := range paths {
		paths[p] = make([]int, groups)
		for g := range groups {
			paths[p][g] = byGroup[g][p]
		}
	}
	return paths
}

// CV is a cross-validation scheme as the command line writes it:
// kfold:K or cpcv:N:K.
type CV struct {
	// Groups is the number of groups; Test the number tested by each
	// split (1 for k-fold).
	Groups, Test int
}

// ParseCV reads kfold:K (K folds) or cpcv:N:K (N groups, K of them
// tested by each split).
func ParseCV(s string) (CV, error) {
	parts := strings.Split(s, ":")
	num := func(t string) int {
		n, err := strconv.Atoi(t)
		if err != nil {
			return -1
		}
		return n
	}
	var c CV
	switch {
	case len(parts) == 2 && parts[0] == "kfold" && num(parts[1]) >= 2:
		c = CV{Groups: num(parts[1]), Test: 1}
	case len(parts) == 3 && parts[0] == "cpcv" && num(parts[1]) >= 2 && num(parts[2]) >= 1 && num(parts[2]) < num(parts[1]):
		c = CV{Groups: num(parts[1]), Test: num(parts[2])}
	default:
		return CV{}, fmt.Errorf("--cv %q: want kfold:K (K >= 2) or cpcv:N:K (1 <= K < N)", s)
	}
	if err := c.check(); err != nil {
		return CV{}, fmt.Errorf("--cv %q: %w", s, err)
	}
	return c, nil
}

// Splits returns the splits of c over n bars with purge and embargo bars.
func (c CV) Splits(n, purge, embargo int) ([]Split, error) {
	return CPCV(n, c.Groups, c.Test, purge, embargo)
}

// Gather returns the values of x at the indices of rs, in order.
func Gather(x []float64, rs []Range) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, x[r.Start:r.End]...)
	}
	return out
}
