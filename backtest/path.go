package backtest

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Field describes one setting of a Config: its dotted path and the kind
// of value it takes.
type Field struct {
	// Path is the setting's dotted path (costs.commission.pct). A map's
	// path ends in ".KEY": strategy.params.KEY sets one parameter.
	Path string
	// Kind is what the value is written as: "decimal", "integer",
	// "number", "bool", "duration", "character", "text", "file or none",
	// "list" (comma-separated on the command line, a YAML sequence in a
	// file), "map" (one key per path), or the choices of an enumeration
	// ("nearest|pessimistic").
	Kind string
}

// Fields returns every setting of a Config, in the order of its fields.
func Fields() []Field {
	var out []Field
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			name := yamlName(f)
			if name == "" {
				continue
			}
			path := prefix + name
			if isGroup(f.Type) {
				walk(f.Type, path+".")
				continue
			}
			k := kindOf(f.Type)
			if k == "map" {
				path += ".KEY"
			}
			out = append(out, Field{Path: path, Kind: k})
		}
	}
	walk(reflect.TypeFor[Config](), "")
	return out
}

// enumWords returns the words of an enumeration type of the Config,
// "|"-separated ("nearest|pessimistic"), or "" when t is not one. The
// words are the enumeration's own: each value's text, in order, until a
// value's text repeats or is the String of an unknown value.
func enumWords(t reflect.Type) string {
	c := Config{}
	enums := []reflect.Type{
		reflect.TypeOf(c.Data.Header), reflect.TypeOf(c.Data.OnBadRow),
		reflect.TypeOf(c.Account.Type), reflect.TypeOf(c.Costs.Slippage.Model),
		reflect.TypeOf(c.Execution.IntrabarPath), reflect.TypeOf(c.KillSwitch.Action),
		reflect.TypeOf(c.Breaker.OnError), reflect.TypeOf(c.Data.Adjust), reflect.TypeOf(c.Analysis.Outputs),
	}
	if !slices.Contains(enums, t) {
		return ""
	}
	var words []string
	for i := range 8 {
		v := reflect.New(t).Elem()
		if v.CanUint() {
			v.SetUint(uint64(i))
		} else {
			v.SetInt(int64(i))
		}
		b, _ := v.Interface().(encoding.TextMarshaler).MarshalText()
		w := string(b)
		if slices.Contains(words, w) || strings.ContainsAny(w, "()") {
			break
		}
		words = append(words, w)
	}
	return strings.Join(words, "|")
}

// yamlName returns a struct field's yaml key, "" for none.
func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// isGroup says whether t is a group of settings rather than one value.
func isGroup(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(textUnmarshaler)
}

// kindOf returns the Field.Kind of a value of type t.
func kindOf(t reflect.Type) string {
	if w := enumWords(t); w != "" {
		return w
	}
	switch t {
	case reflect.TypeFor[decimal.Decimal]():
		return "decimal"
	case reflect.TypeFor[Duration]():
		return "duration"
	case reflect.TypeFor[Delimiter]():
		return "character"
	case reflect.TypeFor[Benchmark]():
		return "file or none"
	case reflect.TypeFor[Date]():
		return "date"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int64:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Slice:
		return "list"
	case reflect.Map:
		return "map"
	}
	return "text"
}

// ErrUnknownPath is wrapped by the errors of Set for a path that names no
// setting.
var ErrUnknownPath = errors.New("unknown setting")

// Set sets the setting at path from its text, as the command line writes
// it: a list is comma-separated, a map takes one key per path
// (strategy.params.fast=20 sets the parameter fast), and every other value
// is what the config file would hold. Errors name the path.
func (c *Config) Set(path, value string) error {
	v, key, err := lookup(reflect.ValueOf(c).Elem(), path)
	if err != nil {
		return err
	}
	if v.Kind() == reflect.Map {
		if key == "" {
			return fmt.Errorf("%s: give one key: %s.KEY=value", path, path)
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		v.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf(strings.TrimSpace(value)))
		return nil
	}
	if v.Kind() == reflect.Slice {
		var items []string
		for _, s := range strings.Split(value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		v.Set(reflect.ValueOf(items))
		return nil
	}
	if err := setText(v, value); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return checkZero(path, v)
}

// zeroRefused are the settings whose zero value means a default other
// than zero, with what to give instead: an explicit zero there is a
// mistake, not a request for the default.
var zeroRefused = map[string]string{
	"account.cash":     "the starting cash must be positive (leave account.cash out for the default, 100000)",
	"sizing.size":      "a fixed order size must be positive (leave sizing.size out for the default, the equity split equally among the symbols, or give sizing.pct to size by a percent of equity)",
	"sizing.pct":       "a percent of equity must be positive (leave sizing.pct out for the default, the equity split equally among the symbols, or give sizing.size for a fixed size)",
	"breaker.cooldown": "an open breaker stays open for a positive time (leave breaker.cooldown out for the default, 24h)",
}

// checkZero refuses an explicit zero for a setting in zeroRefused.
func checkZero(path string, v reflect.Value) error {
	msg, ok := zeroRefused[path]
	zero := v.IsZero()
	if d, isDec := v.Interface().(decimal.Decimal); isDec {
		zero = d.IsZero()
	}
	if !ok || !zero {
		return nil
	}
	return fmt.Errorf("%s: 0 is not allowed: %s", path, msg)
}

// lookup finds the value at path under v; for a map, key is what follows
// the map's own path.
func lookup(v reflect.Value, path string) (reflect.Value, string, error) {
	rest := path
	for {
		name, tail, more := strings.Cut(rest, ".")
		f, ok := fieldByName(v, name)
		if !ok {
			return v, "", fmt.Errorf("%s: %w%s", path, ErrUnknownPath, suggest(v))
		}
		switch {
		case isGroup(f.Type()) && more:
			v, rest = f, tail
			continue
		case isGroup(f.Type()):
			return v, "", fmt.Errorf("%s: %w: it is a group; name one of its settings%s", path, ErrUnknownPath, suggest(f))
		case f.Kind() == reflect.Map:
			return f, tail, nil
		case more:
			return v, "", fmt.Errorf("%s: %w: %s takes a value, not %q", path, ErrUnknownPath, strings.TrimSuffix(path, "."+tail), tail)
		}
		return f, "", nil
	}
}

// fieldByName returns the field of struct v whose yaml key is name.
func fieldByName(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		if yamlName(t.Field(i)) == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// suggest lists the keys of group v, for a message.
func suggest(v reflect.Value) string {
	t := v.Type()
	var keys []string
	for i := range t.NumField() {
		if n := yamlName(t.Field(i)); n != "" {
			keys = append(keys, n)
		}
	}
	return " (want " + strings.Join(keys, ", ") + ")"
}

// setText sets a single value from its text. Numbers out of their type's
// range say the range.
func setText(v reflect.Value, s string) error {
	if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
		if v.Type() == reflect.TypeFor[decimal.Decimal]() {
			if err := u.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
				return fmt.Errorf("%q is not a decimal number", s)
			}
			return nil
		}
		return u.UnmarshalText([]byte(s))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q: want true or false", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, v.Type().Bits())
		if errors.Is(err, strconv.ErrRange) {
			lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
			if v.Type().Bits() == 32 {
				lo, hi = math.MinInt32, math.MaxInt32
			}
			return fmt.Errorf("%q is out of range: want a whole number from %d to %d", s, lo, hi)
		}
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		v.SetInt(n)
	case reflect.Float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Errorf("%q is out of range: want a number of magnitude below %g", s, math.MaxFloat64)
		}
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
	default:
		return fmt.Errorf("%s values cannot be set from text", v.Type())
	}
	return nil
}
