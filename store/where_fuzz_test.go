package store

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseWhere: an expression is refused with an error that names a
// position within it, or it evaluates without failing, its names are
// in its text, and "not (E)", "(E) and (E)" and "(E) or (E)" parse and
// give the negation of E, E and E.
func FuzzParseWhere(f *testing.F) {
	for _, s := range []string{"sharpe > 1", "fast < slow and sharpe >= 0.5", "not (fast > slow) or x = 'a'", `name != "text"`,
		"1 < 2", "a.b.c <= -2e-1", "(((a > 1)))", "sharpe >", "sharpe ! 1", "'open", "x = 1.2.3", "and > 1", ""} {
		f.Add(s)
	}
	// The runs' values: a number, a number written otherwise, text, NaN;
	// any other name is missing.
	vals := map[string]Value{"a": number("1"), "b": number("-2.5e1"), "c": {Text: "x"}, "d": {Text: "NaN"}}
	lookup := func(name string) (Value, bool) {
		v, ok := vals[name[strings.LastIndexByte(name, '.')+1:]]
		return v, ok
	}
	position := regexp.MustCompile(`^where: position (\d+): `)
	f.Fuzz(func(t *testing.T, expr string) {
		w, err := ParseWhere(expr)
		if err != nil {
			msg := err.Error()
			if m := position.FindStringSubmatch(msg); m != nil {
				if p, _ := strconv.Atoi(m[1]); p < 1 || p > utf8.RuneCountInString(expr)+1 {
					t.Fatalf("%q: %s: the position is outside the expression", expr, msg)
				}
			} else if !strings.HasPrefix(msg, "where: ") {
				t.Fatalf("%q: error %q", expr, msg)
			}
			return
		}
		for _, n := range w.Names {
			if !strings.Contains(expr, n) {
				t.Fatalf("%q: name %q is not in it", expr, n)
			}
		}
		got := w.Match(lookup)
		for _, tc := range []struct {
			form string
			want bool
		}{{"not (%s)", !got}, {"(%s) and (%s)", got}, {"(%s) or (%s)", got}} {
			e := strings.ReplaceAll(tc.form, "%s", expr)
			w2, err := ParseWhere(e)
			if err != nil {
				t.Fatalf("%q parses but %q does not: %v", expr, e, err)
			}
			if m := w2.Match(lookup); m != tc.want {
				t.Fatalf("%q is %v, %q is %v", expr, got, e, m)
			}
		}
	})
}
