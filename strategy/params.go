package strategy

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Params are a strategy's settings as text, as given on the command line
// (--param fast=10) or in a config file.
type Params map[string]string

// ParseParams parses "key=value" pairs. A key given twice is an error.
func ParseParams(pairs []string) (Params, error) {
	p := make(Params, len(pairs))
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("param %q: want key=value", kv)
		}
		if _, dup := p[k]; dup {
			return nil, fmt.Errorf("param %q given twice", k)
		}
		p[k] = strings.TrimSpace(v)
	}
	return p, nil
}

// paramReader reads typed values out of Params and remembers which keys
// were used, so that unknown keys can be reported.
type paramReader struct {
	strategy string
	p        Params
	known    []string
	err      error
}

func (r *paramReader) int(key string, def int) int {
	r.known = append(r.known, key)
	s, ok := r.p[key]
	if !ok || r.err != nil {
		return def
	}
	n, err := strconv.Atoi(s)
	if errors.Is(err, strconv.ErrRange) {
		r.err = fmt.Errorf("strategy %s: param %s: %q is out of range: want a whole number from %d to %d", r.strategy, key, s, math.MinInt, math.MaxInt)
	} else if err != nil {
		r.err = fmt.Errorf("strategy %s: param %s: %q is not a whole number", r.strategy, key, s)
	}
	return n
}

func (r *paramReader) choice(key, def string, allowed ...string) string {
	r.known = append(r.known, key)
	s, ok := r.p[key]
	if !ok || r.err != nil {
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	r.err = fmt.Errorf("strategy %s: param %s: %q is not one of %s", r.strategy, key, s, strings.Join(allowed, ", "))
	return def
}

// done reports the first bad value, or else the first unknown key.
func (r *paramReader) done() error {
	if r.err != nil {
		return r.err
	}
	var unknown []string
	for k := range r.p {
		if !contains(r.known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		known := "none"
		if len(r.known) > 0 {
			known = strings.Join(r.known, ", ")
		}
		return fmt.Errorf("strategy %s: unknown param %q (known: %s)", r.strategy, unknown[0], known)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// decimal reads a positive decimal number.
func (r *paramReader) decimal(key, def string) decimal.Decimal {
	r.known = append(r.known, key)
	s, ok := r.p[key]
	if !ok || r.err != nil {
		s = def
	}
	d, err := decimal.NewFromString(s)
	if err != nil || !d.IsPositive() {
		r.err = fmt.Errorf("strategy %s: param %s: %q is not a positive number", r.strategy, key, s)
	}
	return d
}

// float reads a finite number.
func (r *paramReader) float(key string, def float64) float64 {
	r.known = append(r.known, key)
	s, ok := r.p[key]
	if !ok || r.err != nil {
		return def
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.err = fmt.Errorf("strategy %s: param %s: %q is not a number", r.strategy, key, s)
	}
	return f
}
