package broker

import (
	"fmt"

	"github.com/quantloop/quantloop/engine"
)

// IntrabarPath is the assumption about the order in which a bar's high and
// low traded. It decides which of two orders in one bar fills first.
type IntrabarPath uint8

// The intrabar path assumptions.
const (
	// PathNearest assumes open → high → low → close when the high is at
	// least as near the open as the low, else open → low → high → close.
	PathNearest IntrabarPath = iota
	// PathPessimistic assumes the move against the position held at the
	// bar's open comes first: open → low → high → close for a long,
	// open → high → low → close for a short, and the nearest rule when
	// flat. Of a long's stop-loss and take-profit in one bar, the stop
	// fills.
	PathPessimistic
)

// String returns "nearest" or "pessimistic".
func (p IntrabarPath) String() string {
	if p == PathPessimistic {
		return "pessimistic"
	}
	return "nearest"
}

// ParseIntrabarPath returns the assumption named s ("" is nearest).
func ParseIntrabarPath(s string) (IntrabarPath, error) {
	switch s {
	case "", "nearest":
		return PathNearest, nil
	case "pessimistic":
		return PathPessimistic, nil
	}
	return 0, fmt.Errorf("intrabar path %q: want nearest or pessimistic", s)
}

// path is a bar's assumed price path: the price moves in straight lines
// from pts[0] (the open) to pts[1], pts[2] and pts[3] (the close).
type path [4]engine.Price

// newPath returns the path of bar under p; position is the sign of the
// position held at the bar's open.
func newPath(bar *engine.Bar, p IntrabarPath, position int) path {
	highFirst := bar.High-bar.Open <= bar.Open-bar.Low
	if p == PathPessimistic && position != 0 {
		highFirst = position < 0
	}
	if highFirst {
		return path{bar.Open, bar.High, bar.Low, bar.Close}
	}
	return path{bar.Open, bar.Low, bar.High, bar.Close}
}

// point is a place on a path: the price px, reached on segment seg (from
// pts[seg] to pts[seg+1]). The open is point{0, open}.
type point struct {
	seg int
	px  engine.Price
}

// before reports whether a is reached strictly before b on p.
func (p *path) before(a, b point) bool {
	if a.seg != b.seg {
		return a.seg < b.seg
	}
	if p[a.seg+1] >= p[a.seg] { // a rising segment meets lower prices first
		return a.px < b.px
	}
	return a.px > b.px
}

// reachAtLeast returns the first point at or after from where the price is
// at least x: from itself when its price already is (a gap), else where
// the path rises through x.
func (p *path) reachAtLeast(x engine.Price, from point) (point, bool) {
	if from.px >= x {
		return from, true
	}
	for k := from.seg; k < 3; k++ {
		if p[k+1] >= x {
			return point{k, x}, true
		}
	}
	return point{}, false
}

// reachAtMost mirrors reachAtLeast: the first point where the price is at
// most x.
func (p *path) reachAtMost(x engine.Price, from point) (point, bool) {
	if from.px <= x {
		return from, true
	}
	for k := from.seg; k < 3; k++ {
		if p[k+1] <= x {
			return point{k, x}, true
		}
	}
	return point{}, false
}

// favorable returns the first point at or after from where a limit order
// on side at limit can fill: at most limit for a buy, at least for a sell.
func (p *path) favorable(side engine.Side, limit engine.Price, from point) (point, bool) {
	if side == engine.Buy {
		return p.reachAtMost(limit, from)
	}
	return p.reachAtLeast(limit, from)
}

// adverse returns the first point at or after from where a stop on side
// triggers: at least stop for a buy, at most for a sell.
func (p *path) adverse(side engine.Side, stop engine.Price, from point) (point, bool) {
	if side == engine.Buy {
		return p.reachAtLeast(stop, from)
	}
	return p.reachAtMost(stop, from)
}
