package strategy

import (
	"slices"
	"strings"
	"testing"
)

// FuzzParseParams parses arbitrary "key=value" lines and makes every
// built-in strategy from the result. It checks that nothing panics, that
// the parsed params hold trimmed, non-empty keys and trimmed values, that
// printing them back and parsing again gives the same params, and that
// the strategies either refuse the params or accept them within bounds.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{
		"fast=10\nslow=30\nmode=longshort",
		"fast=3\nfast=4",
		" fast = 5 \nslow=  9",
		"=5",
		"mode",
		"slow=2000000000",
		"fast=-1\nslow=0",
		"fast=9223372036854775807\nslow=9223372036854775808",
		"a=b=c",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		pairs := strings.Split(in, "\n")
		p, err := ParseParams(pairs)
		if err != nil {
			if p != nil {
				t.Fatalf("params %v returned with error %v", p, err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "param ") {
				t.Fatalf("error %q does not name the param", msg)
			}
			return
		}
		keys := make([]string, 0, len(p))
		for k, v := range p {
			if k == "" || k != strings.TrimSpace(k) || v != strings.TrimSpace(v) || strings.Contains(k, "=") {
				t.Fatalf("bad pair %q=%q from %q", k, v, in)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		again := make([]string, len(keys))
		for i, k := range keys {
			again[i] = k + "=" + p[k]
		}
		q, err := ParseParams(again)
		if err != nil || len(q) != len(p) {
			t.Fatalf("round trip of %v: %v, %v", p, q, err)
		}
		for k, v := range p {
			if q[k] != v {
				t.Fatalf("round trip of %v: %v", p, q)
			}
		}
		for _, name := range Names() {
			s, err := New(name, p)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "strategy "+name+": ") {
					t.Fatalf("%s: error %q does not name the strategy", name, err)
				}
				continue
			}
			if sc, ok := s.(*SMACross); ok && (sc.Fast < 1 || sc.Slow > MaxWindow || sc.Fast >= sc.Slow) {
				t.Fatalf("smacross accepted fast %d slow %d", sc.Fast, sc.Slow)
			}
		}
	})
}
