// Package sweep runs many configurations of one backtest over the same
// data into a run store: a grid, lists and seeded random draws over any
// config path, on every core, resumable, with the deflated Sharpe ratio
// of each run measured against the sweep's own trials.
package sweep

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/store"
)

// Dim is one config path of a grid and its values, as text.
type Dim struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// Range is a config path drawn at random between Lo and Hi: uniformly, or
// with Log uniformly in log space. With Int the draws are whole numbers
// from Lo to Hi, both included (a log draw is rounded).
type Range struct {
	Path string  `json:"path"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
	Log  bool    `json:"log,omitempty"`
	Int  bool    `json:"int,omitempty"`
}

// Space is what a sweep varies: every combination of the grid's
// dimensions (the first varies slowest), each crossed with Random draws
// of Ranges (when Random > 0) from a generator seeded with Seed, kept
// where Where holds.
type Space struct {
	Grid   []Dim   `json:"grid,omitempty"`
	Ranges []Range `json:"ranges,omitempty"`
	Random int     `json:"random,omitempty"`
	Seed   uint64  `json:"seed,omitempty"`
	Where  string  `json:"where,omitempty"`
}

// Setting is a config path and its value, as text.
type Setting struct {
	Path, Value string
}

// Point is one configuration of a sweep: the settings it changes.
type Point []Setting

// String returns the point as path=value pairs.
func (p Point) String() string {
	parts := make([]string, len(p))
	for i, s := range p {
		parts[i] = s.Path + "=" + s.Value
	}
	return strings.Join(parts, " ")
}

// ParseGrid parses a grid flag, path=start:stop:step: the values from
// start by step up to stop, stop included when the steps reach it,
// computed in exact decimals (0.1:0.3:0.1 is 0.1, 0.2, 0.3).
func ParseGrid(s string) (Dim, error) {
	path, spec, ok := strings.Cut(s, "=")
	if !ok || path == "" {
		return Dim{}, fmt.Errorf("--grid %q: want PATH=START:STOP:STEP", s)
	}
	d, err := parseGrid(path, spec)
	if err != nil {
		return Dim{}, fmt.Errorf("--grid %q: %w", s, err)
	}
	return d, nil
}

// parseGrid parses the range spec, start:stop:step, of path.
func parseGrid(path, spec string) (Dim, error) {
	parts := strings.Split(spec, ":")
	if len(parts) != 3 {
		return Dim{}, errors.New("want START:STOP:STEP")
	}
	var n [3]decimal.Decimal
	for i, p := range parts {
		d, err := decimal.NewFromString(strings.TrimSpace(p))
		if err != nil {
			return Dim{}, fmt.Errorf("%q is not a number", p)
		}
		n[i] = d
	}
	start, stop, step := n[0], n[1], n[2]
	if !step.IsPositive() {
		return Dim{}, errors.New("the step must be positive")
	}
	if stop.LessThan(start) {
		return Dim{}, fmt.Errorf("stop %s is below start %s", stop, start)
	}
	// The whole steps from start to stop, exactly: stop - start is
	// steps × step plus less than a step.
	if steps, _ := stop.Sub(start).QuoRem(step, 0); steps.GreaterThanOrEqual(decimal.NewFromInt(MaxPoints)) {
		return Dim{}, fmt.Errorf("%s values, more than the %d a sweep may have", steps.Add(decimal.NewFromInt(1)), MaxPoints)
	}
	d := Dim{Path: path}
	for v := start; !v.GreaterThan(stop); v = v.Add(step) {
		d.Values = append(d.Values, v.String())
	}
	return d, nil
}

// ParseValues parses a list flag, path=a,b,c.
func ParseValues(s string) (Dim, error) {
	path, list, ok := strings.Cut(s, "=")
	if !ok || path == "" || list == "" {
		return Dim{}, fmt.Errorf("--values %q: want PATH=A,B,C", s)
	}
	d := Dim{Path: path}
	for _, v := range strings.Split(list, ",") {
		d.Values = append(d.Values, strings.TrimSpace(v))
	}
	return d, nil
}

// ParseRange parses a range flag, path=lo:hi or path=log:lo:hi. Whole
// numbers written without a decimal point draw whole numbers.
func ParseRange(s string) (Range, error) {
	path, spec, ok := strings.Cut(s, "=")
	if !ok || path == "" {
		return Range{Path: path}, fmt.Errorf("--range %q: want PATH=LO:HI or PATH=log:LO:HI", s)
	}
	r, err := parseRange(path, spec)
	if err != nil {
		return r, fmt.Errorf("--range %q: %w", s, err)
	}
	return r, nil
}

// parseRange parses the range spec, lo:hi or log:lo:hi, of path.
func parseRange(path, spec string) (Range, error) {
	r := Range{Path: path}
	if rest, isLog := strings.CutPrefix(spec, "log:"); isLog {
		r.Log, spec = true, rest
	}
	lo, hi, ok := strings.Cut(spec, ":")
	if !ok {
		return r, errors.New("want LO:HI or log:LO:HI")
	}
	var err error
	if r.Lo, err = strconv.ParseFloat(strings.TrimSpace(lo), 64); err != nil {
		return r, fmt.Errorf("%q is not a number", lo)
	}
	if r.Hi, err = strconv.ParseFloat(strings.TrimSpace(hi), 64); err != nil {
		return r, fmt.Errorf("%q is not a number", hi)
	}
	r.Int = !strings.ContainsAny(lo+hi, ".eE")
	return r, r.check()
}

// check reports a range that cannot be drawn from: ends not finite or
// out of order, a log range that is not positive, or a whole-number range
// beyond maxWhole or with an end that is not whole.
func (r Range) check() error {
	if math.IsInf(r.Lo, 0) || math.IsInf(r.Hi, 0) || math.IsNaN(r.Lo) || math.IsNaN(r.Hi) || r.Hi < r.Lo {
		return errors.New("want finite LO <= HI")
	}
	if r.Log && r.Lo <= 0 {
		return errors.New("a log range must be positive")
	}
	if r.Int && (math.Abs(r.Lo) > maxWhole || math.Abs(r.Hi) > maxWhole) {
		return fmt.Errorf("whole numbers beyond %d in magnitude cannot be drawn exactly (write the range with a decimal point to draw real numbers)", int64(maxWhole))
	}
	if r.Int && (r.Lo != math.Trunc(r.Lo) || r.Hi != math.Trunc(r.Hi)) {
		return errors.New("a whole-number range needs whole ends")
	}
	return nil
}

// maxWhole is the largest magnitude of a whole-number range's ends: 2^53,
// beyond which a float64 no longer holds every whole number.
const maxWhole = 1 << 53

// MaxPoints is the most configurations a sweep may have.
const MaxPoints = 1_000_000

// Points returns the configurations of s, in order.
func (s Space) Points() ([]Point, error) {
	var where *store.Where
	if s.Where != "" {
		w, err := store.ParseWhere(s.Where)
		if err != nil {
			return nil, fmt.Errorf("--where: %w", err)
		}
		where = w
	}
	var paths []string
	for _, d := range s.Grid {
		paths = append(paths, d.Path)
	}
	for _, r := range s.Ranges {
		paths = append(paths, r.Path)
	}
	for i, p := range paths {
		if slices.Contains(paths[:i], p) {
			return nil, fmt.Errorf("sweep: %s is varied twice", p)
		}
	}
	if where != nil {
		for _, n := range where.Names {
			if !slices.ContainsFunc(paths, func(p string) bool { return p == n || strings.HasSuffix(p, "."+n) }) {
				return nil, fmt.Errorf("--where: %q is not a setting the sweep varies (%s)", n, strings.Join(paths, ", "))
			}
		}
	}
	for _, r := range s.Ranges {
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("sweep: range of %s: %w", r.Path, err)
		}
	}
	if len(s.Ranges) > 0 && s.Random <= 0 {
		return nil, errors.New("sweep: --range needs --random N, the number of draws")
	}
	if s.Random > 0 && len(s.Ranges) == 0 {
		return nil, errors.New("sweep: --random needs at least one --range to draw from")
	}
	total := 1
	for _, d := range s.Grid {
		if len(d.Values) == 0 {
			return nil, fmt.Errorf("sweep: %s has no values", d.Path)
		}
		total *= len(d.Values)
		if total > MaxPoints {
			return nil, fmt.Errorf("sweep: more than %d configurations", MaxPoints)
		}
	}
	if s.Random > MaxPoints/total {
		return nil, fmt.Errorf("sweep: more than %d configurations", MaxPoints)
	}
	var draws []Point
	if s.Random > 0 {
		rng := rand.New(rand.NewPCG(s.Seed, 0x5eed))
		for range s.Random {
			var p Point
			for _, r := range s.Ranges {
				p = append(p, Setting{r.Path, r.draw(rng)})
			}
			draws = append(draws, p)
		}
	} else {
		draws = []Point{nil}
	}
	var out []Point
	idx := make([]int, len(s.Grid))
	for {
		var base Point
		for i, d := range s.Grid {
			base = append(base, Setting{d.Path, d.Values[idx[i]]})
		}
		for _, dr := range draws {
			p := append(slices.Clone(base), dr...)
			if where.Match(p.lookup) {
				out = append(out, p)
			}
		}
		// The next combination: the last dimension varies fastest.
		i := len(idx) - 1
		for ; i >= 0; i-- {
			if idx[i]++; idx[i] < len(s.Grid[i].Values) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return out, nil
		}
	}
}

// lookup resolves a name of --where for p: a path, or a path's last part.
func (p Point) lookup(name string) (store.Value, bool) {
	for _, s := range p {
		if s.Path == name || strings.HasSuffix(s.Path, "."+name) {
			f, err := strconv.ParseFloat(s.Value, 64)
			return store.Value{Text: s.Value, Num: f, Numeric: err == nil}, true
		}
	}
	return store.Value{}, false
}

// draw draws one value of r, which check accepts. A real draw is
// Lo + u(Hi - Lo), or exp(log Lo + u(log Hi - log Lo)) for a log range,
// with u uniform on [0, 1), kept within [Lo, Hi] where rounding would
// take it past an end; when Hi - Lo overflows a float64 it is
// (1 - u)Lo + uHi.
func (r Range) draw(rng *rand.Rand) string {
	u := rng.Float64()
	if r.Log {
		x := math.Exp(math.Log(r.Lo) + u*(math.Log(r.Hi)-math.Log(r.Lo)))
		if r.Int {
			return strconv.FormatInt(int64(r.clamp(math.Round(x))), 10)
		}
		return strconv.FormatFloat(r.clamp(x), 'g', -1, 64)
	}
	if r.Int {
		lo, hi := int64(r.Lo), int64(r.Hi)
		return strconv.FormatInt(lo+rng.Int64N(hi-lo+1), 10)
	}
	x := r.Lo + u*(r.Hi-r.Lo)
	if math.IsInf(r.Hi-r.Lo, 0) {
		x = (1-u)*r.Lo + u*r.Hi
	}
	return strconv.FormatFloat(r.clamp(x), 'g', -1, 64)
}

// clamp returns x within [r.Lo, r.Hi].
func (r Range) clamp(x float64) float64 { return math.Min(math.Max(x, r.Lo), r.Hi) }
