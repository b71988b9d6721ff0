package indicator

import "math"

// ostree is an order-statistics multiset of at most cap float64 values: a
// treap whose nodes keep the count and the sum of their subtree, so that
// the count and sum of the values below any bound are found in O(log n)
// expected time. Nodes live in a slice made up front and are reused, so
// inserting and removing allocate nothing. Priorities come from a counter
// through a fixed mixing function, so the shape (and every rounding) is
// the same on every run. A subtree's sum is recomputed from its children
// whenever it changes, so rounding does not accumulate over time.
type ostree struct {
	nodes []osnode
	free  []int32
	root  int32
	seq   uint64
}

type osnode struct {
	val, sum float64
	cnt      int32
	l, r     int32
	pri      uint64
}

const nilNode = -1

func newOstree(capacity int) ostree {
	t := ostree{nodes: make([]osnode, capacity), free: make([]int32, capacity), root: nilNode}
	for i := range t.free {
		t.free[i] = int32(capacity - 1 - i)
	}
	return t
}

func (t *ostree) count(i int32) int32 {
	if i == nilNode {
		return 0
	}
	return t.nodes[i].cnt
}

func (t *ostree) total(i int32) float64 {
	if i == nilNode {
		return 0
	}
	return t.nodes[i].sum
}

func (t *ostree) fix(i int32) {
	n := &t.nodes[i]
	n.cnt = 1 + t.count(n.l) + t.count(n.r)
	n.sum = t.total(n.l) + n.val + t.total(n.r)
}

// split cuts subtree i into the values < v and the values >= v.
func (t *ostree) split(i int32, v float64) (lo, hi int32) {
	if i == nilNode {
		return nilNode, nilNode
	}
	n := &t.nodes[i]
	if n.val < v {
		a, b := t.split(n.r, v)
		t.nodes[i].r = a
		t.fix(i)
		return i, b
	}
	a, b := t.split(n.l, v)
	t.nodes[i].l = b
	t.fix(i)
	return a, i
}

// merge joins subtrees a and b, every value of a below every value of b.
func (t *ostree) merge(a, b int32) int32 {
	switch {
	case a == nilNode:
		return b
	case b == nilNode:
		return a
	case t.nodes[a].pri > t.nodes[b].pri:
		t.nodes[a].r = t.merge(t.nodes[a].r, b)
		t.fix(a)
		return a
	}
	t.nodes[b].l = t.merge(a, t.nodes[b].l)
	t.fix(b)
	return b
}

func (t *ostree) insert(v float64) {
	i := t.free[len(t.free)-1]
	t.free = t.free[:len(t.free)-1]
	t.seq++
	t.nodes[i] = osnode{val: v, sum: v, cnt: 1, l: nilNode, r: nilNode, pri: mix(t.seq, 0x9e3779b97f4a7c15)}
	a, b := t.split(t.root, v)
	t.root = t.merge(t.merge(a, i), b)
}

// remove removes one value equal to v, which must be present.
func (t *ostree) remove(v float64) {
	a, b := t.split(t.root, v)
	eq, c := t.split(b, math.Nextafter(v, math.Inf(1)))
	t.free = append(t.free, eq)
	eq = t.merge(t.nodes[eq].l, t.nodes[eq].r)
	t.root = t.merge(t.merge(a, eq), c)
}

// below returns the count and the sum of the values < v.
func (t *ostree) below(v float64) (int32, float64) {
	var c int32
	var s float64
	for i := t.root; i != nilNode; {
		n := &t.nodes[i]
		if n.val < v {
			c += t.count(n.l) + 1
			s += t.total(n.l) + n.val
			i = n.r
		} else {
			i = n.l
		}
	}
	return c, s
}

// mix is the splitmix64 finalizer of a+b.
func mix(a, b uint64) uint64 {
	z := a + b
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
