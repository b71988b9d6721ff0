package strategy

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// ParamType is the type of a strategy's param.
type ParamType uint8

// The param types. Int is a whole number, Float a float64, Decimal an
// exact decimal number, Choice one of a list of words, String any text,
// Bool true or false (as strconv.ParseBool reads them).
const (
	Int ParamType = iota + 1
	Float
	Decimal
	Choice
	String
	Bool
)

var paramTypeNames = [...]string{Int: "int", Float: "float", Decimal: "decimal", Choice: "choice", String: "string", Bool: "bool"}

// String returns the type's name, such as "int".
func (t ParamType) String() string {
	if t >= Int && t <= Bool {
		return paramTypeNames[t]
	}
	return fmt.Sprintf("ParamType(%d)", uint8(t))
}

// ParamSpec describes one param of a strategy.
type ParamSpec struct {
	Name    string
	Type    ParamType
	Default string // as text, as given on the command line
	// Min and Max bound a number, both included; "" leaves that side
	// open.
	Min, Max string
	// Choices are the values of a Choice param.
	Choices []string
	// Doc says what the param does, in a few words.
	Doc string
}

// Range describes the values the param takes, such as "1 to 1000",
// "at least 1" or "equal, inverse_vol"; "" when any value of its type is
// allowed.
func (s ParamSpec) Range() string {
	switch {
	case s.Type == Choice:
		return strings.Join(s.Choices, ", ")
	case s.Min != "" && s.Max != "":
		return s.Min + " to " + s.Max
	case s.Min != "":
		return "at least " + s.Min
	case s.Max != "":
		return "at most " + s.Max
	}
	return ""
}

// check returns the error of the value v of the param, or nil.
func (s ParamSpec) check(strategy, v string) error {
	bad := func(want string) error {
		return fmt.Errorf("strategy %s: param %s: %q is not %s", strategy, s.Name, v, want)
	}
	var x float64
	switch s.Type {
	case Int:
		n, err := strconv.Atoi(v)
		if err != nil {
			return bad("a whole number")
		}
		x = float64(n)
	case Float:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad("a number")
		}
		x = f
	case Decimal:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return bad("a decimal number")
		}
		x = d.InexactFloat64()
	case Choice:
		for _, c := range s.Choices {
			if v == c {
				return nil
			}
		}
		return bad("one of " + strings.Join(s.Choices, ", "))
	case Bool:
		if _, err := strconv.ParseBool(v); err != nil {
			return bad("true or false")
		}
		return nil
	default:
		return nil
	}
	lo, errLo := strconv.ParseFloat(s.Min, 64)
	hi, errHi := strconv.ParseFloat(s.Max, 64)
	if (s.Min != "" && errLo == nil && x < lo) || (s.Max != "" && errHi == nil && x > hi) {
		return fmt.Errorf("strategy %s: param %s: %s is out of range: want %s", strategy, s.Name, v, s.Range())
	}
	return nil
}

// ParamSpecs are the params of a strategy, in the order it lists them.
type ParamSpecs []ParamSpec

// Names returns the params' names, in order.
func (ss ParamSpecs) Names() []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

// Defaults returns every param at its default.
func (ss ParamSpecs) Defaults() Params {
	p := make(Params, len(ss))
	for _, s := range ss {
		p[s.Name] = s.Default
	}
	return p
}

// check returns p with the defaults of the params it does not give, or
// the error of an unknown param (the first by name) or of a bad value
// (the first in the specs' order).
func (ss ParamSpecs) check(strategy string, p Params) (Params, error) {
	if err := checkKnown(strategy, p, ss.Names()); err != nil {
		return nil, err
	}
	full := ss.Defaults()
	for _, s := range ss {
		v, ok := p[s.Name]
		if !ok {
			continue
		}
		if err := s.check(strategy, v); err != nil {
			return nil, err
		}
		full[s.Name] = v
	}
	return full, nil
}

// Describer is implemented by strategies that describe their params: the
// strategy a Factory makes from empty Params lists them, with their
// types, defaults and ranges. See Register.
type Describer interface {
	ParamSpecs() ParamSpecs
}

// ParamsOf returns the params of s made from the params given: those s
// reports if it is Parameterized, else given with the defaults of the
// params s describes (a Describer), else given.
func ParamsOf(s Strategy, given Params) Params {
	if p, ok := s.(Parameterized); ok {
		return p.Params()
	}
	if d, ok := s.(Describer); ok {
		full := d.ParamSpecs().Defaults()
		for k, v := range given {
			full[k] = v
		}
		return full
	}
	return given
}
