package sweep

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// FuzzParseGrid: a grid flag is refused with an error that names it, or
// its values are start, start + step, ... exactly, the last at most stop
// and the next past it, and there are at most MaxPoints of them.
func FuzzParseGrid(f *testing.F) {
	for _, s := range []string{"strategy.params.fast=5:50:5", "x=0.1:0.3:0.1", "x=1:10:4", "x=-1:1:1", "x=3:3:1",
		"x=0:1e30:1e-30", "x=0:18446744073709551616:1", "x=1e-10000:1e10000:1e9999", "x= 1 : 2 : 0.5", "=1:2:3", "x=1:2", "x=1:2:-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseGrid(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "--grid ") {
				t.Fatalf("%q: error %q does not name the flag", s, err)
			}
			return
		}
		path, spec, _ := strings.Cut(s, "=")
		parts := strings.Split(spec, ":")
		var n [3]decimal.Decimal
		for i, p := range parts {
			n[i] = decimal.RequireFromString(strings.TrimSpace(p))
		}
		start, stop, step := n[0], n[1], n[2]
		if d.Path != path || len(d.Values) == 0 || len(d.Values) > MaxPoints {
			t.Fatalf("%q: path %q, %d values", s, d.Path, len(d.Values))
		}
		for i, v := range d.Values {
			want := start.Add(step.Mul(decimal.NewFromInt(int64(i))))
			if got, err := decimal.NewFromString(v); err != nil || !got.Equal(want) {
				t.Fatalf("%q: value %d is %q, want %s", s, i, v, want)
			}
		}
		last := decimal.RequireFromString(d.Values[len(d.Values)-1])
		if last.GreaterThan(stop) || !last.Add(step).GreaterThan(stop) {
			t.Fatalf("%q: the last value %s, stop %s, step %s", s, last, stop, step)
		}
	})
}

// FuzzParseRange: a range flag is refused with an error that names it,
// or every draw from it is a number within [Lo, Hi], a whole one for a
// whole-number range.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"strategy.params.fast=log:2:200", "x=0.5:3", "x=3:3", "x=log:3:3", "x=-1e308:1e308", "x=log:1e-300:1e300",
		"x=-9007199254740992:9007199254740992", "x=0:100000000000000000000", "x=3:1", "x=log:0:5", "x=a:2", "x=1"} {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		r, err := ParseRange(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "--range ") {
				t.Fatalf("%q: error %q does not name the flag", s, err)
			}
			return
		}
		rng := rand.New(rand.NewPCG(seed, 1))
		for range 16 {
			v := r.draw(rng)
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || x < r.Lo || x > r.Hi {
				t.Fatalf("%q: draw %q is not within [%v, %v]", s, v, r.Lo, r.Hi)
			}
			if _, err := strconv.ParseInt(v, 10, 64); r.Int && err != nil {
				t.Fatalf("%q: draw %q of a whole-number range", s, v)
			}
		}
	})
}

// FuzzDecodeSection: a sweep section is refused with errors that each
// name the file, a line of it and a key's path, or it decodes to a space
// whose points are made or refused without failing.
func FuzzDecodeSection(f *testing.F) {
	for _, s := range []string{
		"grid:\n  strategy.params.fast: 5:15:5\nvalues:\n  strategy.params.mode: [long, longshort]\nwhere: fast > 5\nstore: sweep.db\n",
		"ranges:\n  x: log:1:50\n  n: 2:9\nrandom: 20\nseed: 7\njobs: 2\nkeep: full\nshards: 4\nheatmap: [x, n]\nobjective: -sharpe\n",
		"values:\n  a: \"1,2,3\"\nhtml: -\nheatmap: a,b\n",
		"grid: [1, 2]\n", "grid:\n  x: 1:2\n", "random: -1\n", "seed: x\n", "keep: some\n", "bogus: 1\n",
		"grid:\n  x: 1:3:1\n  x: 1:3:1\n", "grid:\n  &a x: 1:3:1\nvalues:\n  *a : [1]\n",
	} {
		f.Add(s)
	}
	errLine := regexp.MustCompile(`^sweep\.yaml:([1-9][0-9]*): sweep`)
	f.Fuzz(func(t *testing.T, doc string) {
		var root yaml.Node
		if yaml.Unmarshal([]byte(doc), &root) != nil || len(root.Content) == 0 {
			return
		}
		sec, err := DecodeSection("sweep.yaml", root.Content[0])
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				m := errLine.FindStringSubmatch(line)
				if m == nil {
					t.Fatalf("%q: error line %q does not name the file, a line and a path", doc, line)
				}
				// (A document that is not UTF-8 the parser may read as
				// UTF-16.)
				if n, _ := strconv.Atoi(m[1]); utf8.ValidString(doc) && n > lines(doc) {
					t.Fatalf("%q: error line %q names a line past the end", doc, line)
				}
			}
			return
		}
		if sec.Jobs < 0 || sec.Shards < 0 || sec.Space.Random < 0 {
			t.Fatalf("%q: negative count in %+v", doc, sec)
		}
		if ps, err := sec.Space.Points(); err == nil && len(ps) > MaxPoints {
			t.Fatalf("%q: %d points", doc, len(ps))
		}
	})
}

// lines returns the number of lines of a YAML document as its parser
// counts them: a line ends at LF, CR, CR LF, NEL, LS or PS.
func lines(doc string) int {
	doc = strings.ReplaceAll(doc, "\r\n", "\n")
	n := 1
	for _, r := range doc {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}
