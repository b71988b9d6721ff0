package store

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quantloop/quantloop/report"
)

// scalarsOf adds to out the scalars of results.json that walkScalars finds
// in the text encoding/json writes of results, without writing the
// text: it walks the values by reflection as encoding/json does (the
// fields by their JSON names, embedded structs inlined, omitempty and
// omitzero, maps by key, lists and nulls left out) and reads the text of
// each scalar alone, from its Marshaler when it has one. The config and
// the manifest are left out.
func scalarsOf(results *report.Results, out map[string]Value) error {
	e := scalarEncoder{out: out}
	return e.fields("", reflect.ValueOf(results).Elem(), true)
}

// scalarEncoder adds the scalars of values to out.
type scalarEncoder struct {
	out map[string]Value
	buf []byte // reused for a scalar's JSON text
}

var (
	floatType       = reflect.TypeFor[report.Float]()
	marshalerType   = reflect.TypeFor[json.Marshaler]()
	textMarshalType = reflect.TypeFor[encoding.TextMarshaler]()
)

// fields adds the fields of the struct v, named under prefix; top says v
// is results.json's object, whose config and manifest are left out.
func (e *scalarEncoder) fields(prefix string, v reflect.Value, top bool) error {
	t := v.Type()
	for i := range t.NumField() {
		name, opts, inline, skip := jsonField(t.Field(i), top)
		fv := v.Field(i)
		switch {
		case skip:
			continue
		case inline:
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			if err := e.fields(prefix, fv, top); err != nil {
				return err
			}
			continue
		}
		if hasOpt(opts, "omitempty") && isEmpty(fv) || hasOpt(opts, "omitzero") && fv.IsZero() {
			continue
		}
		if hasOpt(opts, "string") {
			return fmt.Errorf("store: results: field %s: the string option is not read", t.Field(i).Name)
		}
		if err := e.value(prefix+name, fv); err != nil {
			return err
		}
	}
	return nil
}

// jsonField returns how encoding/json writes the struct field f: under
// name, with the options opts of its tag; or, when inline (an embedded
// struct, or pointer to one, with no name in its tag), as the fields of
// the struct it holds; or not at all, when skip (a "-" tag, an unexported
// field, or, when top says the struct is results.json's object, the
// config and the manifest).
func jsonField(f reflect.StructField, top bool) (name, opts string, inline, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", "", false, true
	}
	name, opts, _ = strings.Cut(tag, ",")
	if f.Anonymous && name == "" {
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			return "", "", true, false
		}
	}
	if !f.IsExported() {
		return "", "", false, true
	}
	if name == "" {
		name = f.Name
	}
	return name, opts, false, top && (name == "config" || name == "manifest")
}

// hasOpt reports whether the comma-separated options of a JSON tag hold
// opt.
func hasOpt(opts, opt string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if o == opt {
			return true
		}
	}
	return false
}

// isEmpty reports whether omitempty leaves v out, as encoding/json
// decides it.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// value adds the scalars of v under name.
func (e *scalarEncoder) value(name string, v reflect.Value) error {
	t := v.Type()
	if t == floatType {
		e.buf = report.Float(v.Float()).AppendJSON(e.buf[:0])
		return e.text(name, e.buf)
	}
	if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && v.IsNil() {
		return nil // null
	}
	if t.Implements(marshalerType) || t.Kind() != reflect.Pointer && v.CanAddr() && reflect.PointerTo(t).Implements(marshalerType) {
		return e.marshaled(name, v)
	}
	if t.Implements(textMarshalType) || t.Kind() != reflect.Pointer && v.CanAddr() && reflect.PointerTo(t).Implements(textMarshalType) {
		return e.marshaled(name, v)
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		return e.value(name, v.Elem())
	case reflect.Struct:
		return e.fields(name+".", v, false)
	case reflect.Slice, reflect.Array:
		return nil // a list
	case reflect.Map:
		if t.Key().Kind() != reflect.String || v.IsNil() {
			return e.marshaled(name, v)
		}
		for _, k := range v.MapKeys() {
			if err := e.value(name+"."+k.String(), v.MapIndex(k)); err != nil {
				return err
			}
		}
		return nil
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return e.marshaled(name, v)
		}
		x := number(s)
		x.Quoted = jsonBare(x)
		e.out[name] = x
		return nil
	case reflect.Bool:
		e.out[name] = Value{Text: strconv.FormatBool(v.Bool())}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.out[name] = number(strconv.FormatInt(v.Int(), 10))
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.out[name] = number(strconv.FormatUint(v.Uint(), 10))
		return nil
	}
	return e.marshaled(name, v)
}

// marshaled adds the scalars of v's JSON text as encoding/json writes it.
func (e *scalarEncoder) marshaled(name string, v reflect.Value) error {
	if v.CanAddr() {
		v = v.Addr() // as encoding/json calls a method of the pointer
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Errorf("store: results: %s: %w", name, err)
	}
	return e.text(name, b)
}

// text adds the scalars of b, the JSON text of the value of name.
func (e *scalarEncoder) text(name string, b []byte) error {
	w := scalarWalker{b: b, out: e.out}
	w.space()
	if err := w.value(name); err != nil {
		return fmt.Errorf("store: results: %s: %w", name, err)
	}
	if w.space(); w.i != len(b) {
		return fmt.Errorf("store: results: %s: %w", name, w.fail("text after the value"))
	}
	return nil
}

// IsMetric reports whether name can name a metric of some run: a scalar
// of results.json as Scalars names it. It reads the type of
// report.Results, not a run, so it also holds for a metric a run leaves
// out (an omitempty field at its zero value); any name under a map, or
// under a value that writes its own JSON, is taken.
func IsMetric(name string) bool {
	return fieldsName("", reflect.TypeFor[report.Results](), name, true)
}

// fieldsName reports whether name can name a scalar of a field of the
// struct type t, whose fields are named under prefix; top says t is
// results.json's object (see scalarEncoder.fields).
func fieldsName(prefix string, t reflect.Type, name string, top bool) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		field, _, inline, skip := jsonField(f, top)
		switch {
		case skip:
		case inline:
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if fieldsName(prefix, ft, name, top) {
				return true
			}
		case under(name, prefix+field) && typeNames(prefix+field, f.Type, name):
			return true
		}
	}
	return false
}

// typeNames reports whether name can name a scalar of a value of type t
// named path (see scalarEncoder.value).
func typeNames(path string, t reflect.Type, name string) bool {
	if t == floatType {
		return name == path
	}
	if t.Implements(marshalerType) || t.Implements(textMarshalType) ||
		t.Kind() != reflect.Pointer && (reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalType)) {
		return under(name, path) // its own JSON, an object or not
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeNames(path, t.Elem(), name)
	case reflect.Interface:
		return under(name, path)
	case reflect.Struct:
		return fieldsName(path+".", t, name, false)
	case reflect.Slice, reflect.Array:
		return false // a list
	case reflect.Map:
		return t.Key().Kind() != reflect.String && under(name, path) || strings.HasPrefix(name, path+".")
	}
	return name == path
}

// under reports whether name is path or a name under it.
func under(name, path string) bool {
	return name == path || strings.HasPrefix(name, path+".")
}
