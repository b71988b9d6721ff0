package report

import (
	"encoding"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/quantloop/quantloop/backtest"
)

// ConfigSettingsOf returns ConfigSettings of cfg's canonical config file
// (backtest.Config.CanonicalYAML). It reads the typed config as the YAML
// encoder does (the fields by their keys, omitempty, maps by key, each
// scalar's text), without writing and parsing the text; a config whose
// text would not read back as written (a string with a control
// character or that is not UTF-8) or whose paths collide goes through
// the text.
func ConfigSettingsOf(cfg backtest.Config) (map[string]string, error) {
	s := settingsWalker{out: make(map[string]string, 64)}
	if s.value("", reflect.ValueOf(cfg)) {
		return s.out, nil
	}
	canon, err := cfg.CanonicalYAML()
	if err != nil {
		return nil, err
	}
	return ConfigSettings(canon)
}

// settingsWalker adds the settings of values to out.
type settingsWalker struct {
	out map[string]string
}

// value adds the settings of v at path, and reports false when the text
// must be read instead.
func (s *settingsWalker) value(path string, v reflect.Value) bool {
	if text, ok, scalar := scalarText(v); !ok {
		return false
	} else if scalar {
		return s.set(path, text)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return s.value(path, v.Elem())
	case reflect.Struct:
		return s.fields(path, v)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return false
		}
		for _, k := range v.MapKeys() {
			if _, ok, _ := plainText(k.String()); !ok || !s.value(join(path, k.String()), v.MapIndex(k)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		items := make([]string, v.Len())
		for i := range items {
			text, ok, scalar := scalarText(v.Index(i))
			if !ok || !scalar {
				return false
			}
			items[i] = text
		}
		return s.set(path, strings.Join(items, ","))
	}
	return false
}

// fields adds the settings of the fields of the struct v at path.
func (s *settingsWalker) fields(path string, v reflect.Value) bool {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			if f.Anonymous {
				return false
			}
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		if tag == "" && f.Tag != "" && !strings.Contains(string(f.Tag), ":") {
			return false // the whole tag is the YAML tag
		}
		key, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") || strings.Contains(","+opts+",", ",flow,") {
			return false
		}
		if key == "" {
			key = strings.ToLower(f.Name)
		}
		fv := v.Field(i)
		if strings.Contains(","+opts+",", ",omitempty,") && isZeroYAML(fv) {
			continue
		}
		if !s.value(join(path, key), fv) {
			return false
		}
	}
	return true
}

// set adds a setting, and reports false when its path is taken.
func (s *settingsWalker) set(path, text string) bool {
	if _, taken := s.out[path]; taken {
		return false
	}
	s.out[path] = text
	return true
}

// join returns path and key as ConfigSettings joins them.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// scalarText returns the text of v when the YAML encoder writes it as a
// scalar (scalar true), and false for ok when that text would not read
// back as it is.
func scalarText(v reflect.Value) (text string, ok, scalar bool) {
	if !v.IsValid() || (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return "null", true, true
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case time.Time, *time.Time, yaml.Node, *yaml.Node, yaml.Marshaler:
			return "", false, false
		case time.Duration:
			return x.String(), true, true
		case encoding.TextMarshaler:
			b, err := x.MarshalText()
			if err != nil {
				return "", false, false
			}
			return plainText(string(b))
		}
	}
	switch v.Kind() {
	case reflect.String:
		return plainText(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10), true, true
	case reflect.Float32, reflect.Float64:
		bits := 64
		if v.Kind() == reflect.Float32 {
			bits = 32
		}
		switch s := strconv.FormatFloat(v.Float(), 'g', -1, bits); s {
		case "+Inf":
			return ".inf", true, true
		case "-Inf":
			return "-.inf", true, true
		case "NaN":
			return ".nan", true, true
		default:
			return s, true, true
		}
	}
	return "", true, false
}

// plainText returns a string's text, and false for ok when YAML would not
// read it back as it is: a control character (a line break in a block
// scalar) or bytes that are not UTF-8 (written as base64).
func plainText(s string) (text string, ok, scalar bool) {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", false, false
	}
	return s, true, true
}

// isZeroYAML reports whether the YAML encoder leaves v out under
// omitempty.
func isZeroYAML(v reflect.Value) bool {
	if z, ok := v.Interface().(yaml.IsZeroer); ok {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && !isZeroYAML(v.Field(i)) {
				return false
			}
		}
		return true
	}
	return false
}
