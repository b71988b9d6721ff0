package walkforward

import (
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
)

func TestGroups(t *testing.T) {
	got, err := Groups(10, 3)
	if want := []Range{{0, 4}, {4, 7}, {7, 10}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Groups(10, 3) = %v, %v; want %v", got, err, want)
	}
	for _, c := range [][2]int{{10, 1}, {3, 4}, {0, 2}} {
		if _, err := Groups(c[0], c[1]); err == nil {
			t.Errorf("Groups(%d, %d): no error", c[0], c[1])
		}
	}
}

// Splits worked out by hand.
func TestSplits(t *testing.T) {
	for _, c := range []struct {
		name   string
		splits func() ([]Split, error)
		want   []Split
	}{
		{"k-fold, purge 1, embargo 1", func() ([]Split, error) { return KFold(10, 3, 1, 1) }, []Split{
			// test [0,4): [0,5) out; test [4,7): [3,8) out; test [7,10): [6,10) out.
			{[]int{0}, []Range{{0, 4}}, []Range{{5, 10}}},
			{[]int{1}, []Range{{4, 7}}, []Range{{0, 3}, {8, 10}}},
			{[]int{2}, []Range{{7, 10}}, []Range{{0, 6}}},
		}},
		{"k-fold, no purge or embargo", func() ([]Split, error) { return KFold(6, 2, 0, 0) }, []Split{
			{[]int{0}, []Range{{0, 3}}, []Range{{3, 6}}},
			{[]int{1}, []Range{{3, 6}}, []Range{{0, 3}}},
		}},
		{"embargo only", func() ([]Split, error) { return CPCV(10, 5, 1, 0, 2) }, []Split{
			{[]int{0}, []Range{{0, 2}}, []Range{{4, 10}}},
			{[]int{1}, []Range{{2, 4}}, []Range{{0, 2}, {6, 10}}},
			{[]int{2}, []Range{{4, 6}}, []Range{{0, 4}, {8, 10}}},
			{[]int{3}, []Range{{6, 8}}, []Range{{0, 6}}},
			{[]int{4}, []Range{{8, 10}}, []Range{{0, 8}}},
		}},
		{"cpcv 4 groups, 2 tested, purge 1", func() ([]Split, error) { return CPCV(12, 4, 2, 1, 0) }, []Split{
			{[]int{0, 1}, []Range{{0, 6}}, []Range{{6, 12}}},
			{[]int{0, 2}, []Range{{0, 3}, {6, 9}}, []Range{{3, 5}, {9, 12}}},
			{[]int{0, 3}, []Range{{0, 3}, {9, 12}}, []Range{{3, 8}}},
			{[]int{1, 2}, []Range{{3, 9}}, []Range{{0, 2}, {9, 12}}},
			{[]int{1, 3}, []Range{{3, 6}, {9, 12}}, []Range{{0, 2}, {6, 8}}},
			{[]int{2, 3}, []Range{{6, 12}}, []Range{{0, 5}}},
		}},
	} {
		got, err := c.splits()
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, %v\nwant %v", c.name, got, err, c.want)
		}
	}
}

func TestPaths(t *testing.T) {
	splits, err := CPCV(12, 4, 2, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	// φ = C(3, 1) = 3; group 0 is tested by splits 0, 1, 2, group 1 by 0,
	// 3, 4, group 2 by 1, 3, 5, group 3 by 2, 4, 5.
	want := [][]int{{0, 0, 1, 2}, {1, 3, 3, 4}, {2, 4, 5, 5}}
	if got := Paths(splits, 4); !reflect.DeepEqual(got, want) {
		t.Errorf("Paths = %v, want %v", got, want)
	}
	// C(6, 2) = 15 splits, φ = C(5, 1) = 5 paths.
	splits, _ = CPCV(60, 6, 2, 0, 0)
	if len(splits) != 15 || len(Paths(splits, 6)) != 5 {
		t.Errorf("cpcv:6:2: %d splits, %d paths", len(splits), len(Paths(splits, 6)))
	}
}

func TestParseCV(t *testing.T) {
	for _, c := range []struct {
		in   string
		want CV
		ok   bool
	}{
		{"kfold:5", CV{5, 1}, true},
		{"cpcv:6:2", CV{6, 2}, true},
		{"kfold:1", CV{}, false},
		{"cpcv:6:6", CV{}, false},
		{"cpcv:6", CV{}, false},
		{"folds:5", CV{}, false},
		{"kfold:100000", CV{100_000, 1}, true},
		{"kfold:100001", CV{}, false},
		{"cpcv:18:9", CV{18, 9}, true}, // 48,620 splits
		{"cpcv:20:10", CV{}, false},    // 184,756
		{"cpcv:20:2", CV{20, 2}, true}, // 190
		{"cpcv:40:20", CV{}, false},    // 137,846,528,820
		{"cpcv:9223372036854775807:1", CV{}, false},
		{"cpcv:9223372036854775807:4611686018427387903", CV{}, false},
	} {
		got, err := ParseCV(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseCV(%q) = %v, %v", c.in, got, err)
		}
	}
}

// TestSplitCount checks splitCount against math/big's binomial, up to
// and beyond MaxSplits.
func TestSplitCount(t *testing.T) {
	for n := 2; n <= 70; n++ {
		for k := 1; k < n; k++ {
			want := new(big.Int).Binomial(int64(n), int64(k))
			if want.Cmp(big.NewInt(MaxSplits)) > 0 {
				want = big.NewInt(MaxSplits + 1)
			}
			if got := splitCount(n, k); int64(got) != want.Int64() {
				t.Fatalf("splitCount(%d, %d) = %d, want %d", n, k, got, want)
			}
		}
	}
	for _, n := range []int{MaxSplits, MaxSplits + 1, math.MaxInt} {
		want := min(n, MaxSplits+1)
		if got := splitCount(n, 1); got != want {
			t.Errorf("splitCount(%d, 1) = %d, want %d", n, got, want)
		}
	}
}

// TestCPCVTooManySplits: the library refuses what ParseCV refuses, before
// making any split.
func TestCPCVTooManySplits(t *testing.T) {
	_, err := CPCV(1000, 40, 20, 0, 0)
	if err == nil || !strings.Contains(err.Error(), "C(40, 20) is more than 100000 splits") {
		t.Errorf("CPCV(1000, 40, 20) = %v", err)
	}
}

func TestGather(t *testing.T) {
	x := []float64{0, 1, 2, 3, 4, 5}
	if got := Gather(x, []Range{{1, 3}, {4, 6}}); !reflect.DeepEqual(got, []float64{1, 2, 4, 5}) {
		t.Errorf("Gather = %v", got)
	}
}
