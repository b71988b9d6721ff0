package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// scalarWalker reads a JSON text from b[i:].
type scalarWalker struct {
	b   []byte
	i   int
	out map[string]Value
}

func (w *scalarWalker) fail(what string) error {
	return fmt.Errorf("JSON at byte %d: %s", w.i, what)
}

// space skips white space.
func (w *scalarWalker) space() {
	for w.i < len(w.b) {
		switch w.b[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

// document reads a text that is one object (see members).
func (w *scalarWalker) document(member func(key string) error) error {
	if err := w.members(member); err != nil {
		return err
	}
	if w.space(); w.i != len(w.b) {
		return w.fail("text after the object")
	}
	return nil
}

// members reads an object, calling member with each key to read its
// value.
func (w *scalarWalker) members(member func(key string) error) error {
	w.space()
	if w.i >= len(w.b) || w.b[w.i] != '{' {
		return w.fail("want an object")
	}
	w.i++
	w.space()
	if w.i < len(w.b) && w.b[w.i] == '}' {
		w.i++
		return nil
	}
	for {
		w.space()
		key, err := w.str()
		if err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.b) || w.b[w.i] != ':' {
			return w.fail("want a colon")
		}
		w.i++
		w.space()
		if err := member(key); err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.b) {
			return w.fail("the object is not closed")
		}
		switch w.b[w.i] {
		case ',':
			w.i++
		case '}':
			w.i++
			return nil
		default:
			return w.fail("want a comma or a closing brace")
		}
	}
}

// value reads the value of the key name.
func (w *scalarWalker) value(name string) error {
	if w.i >= len(w.b) {
		return w.fail("want a value")
	}
	switch c := w.b[w.i]; {
	case c == '{':
		return w.members(func(key string) error { return w.value(name + "." + key) })
	case c == '[':
		return w.skip()
	case c == '"':
		s, err := w.str()
		if err != nil {
			return err
		}
		v := number(s)
		v.Quoted = jsonBare(v)
		w.out[name] = v
	case c == 't' && bytes.HasPrefix(w.b[w.i:], []byte("true")):
		w.i += 4
		w.out[name] = Value{Text: "true"}
	case c == 'f' && bytes.HasPrefix(w.b[w.i:], []byte("false")):
		w.i += 5
		w.out[name] = Value{Text: "false"}
	case c == 'n' && bytes.HasPrefix(w.b[w.i:], []byte("null")):
		w.i += 4
	case c == '-' || (c >= '0' && c <= '9'):
		start := w.i
		for w.i < len(w.b) && isNumberByte(w.b[w.i]) {
			w.i++
		}
		w.out[name] = number(string(w.b[start:w.i]))
	default:
		return w.fail("want a value")
	}
	return nil
}

func isNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// str reads a string and returns its content.
func (w *scalarWalker) str() (string, error) {
	if w.i >= len(w.b) || w.b[w.i] != '"' {
		return "", w.fail("want a string")
	}
	start := w.i
	escaped := false
	for w.i++; w.i < len(w.b); w.i++ {
		switch w.b[w.i] {
		case '\\':
			escaped = true
			w.i++
		case '"':
			w.i++
			if !escaped {
				return string(w.b[start+1 : w.i-1]), nil
			}
			var s string
			if err := json.Unmarshal(w.b[start:w.i], &s); err != nil {
				return "", fmt.Errorf("JSON at byte %d: %w", start, err)
			}
			return s, nil
		}
	}
	return "", errors.New("JSON: a string is not closed")
}

// skip reads a value of any kind and drops it.
func (w *scalarWalker) skip() error {
	if w.i >= len(w.b) {
		return w.fail("want a value")
	}
	switch w.b[w.i] {
	case '"':
		_, err := w.str()
		return err
	case '{', '[':
	default:
		for w.i < len(w.b) && bytes.IndexByte([]byte(",}] \t\n\r"), w.b[w.i]) < 0 {
			w.i++
		}
		return nil
	}
	depth := 0
	for w.i < len(w.b) {
		switch w.b[w.i] {
		case '"':
			if _, err := w.str(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				w.i++
				return nil
			}
		}
		w.i++
	}
	return w.fail("a value is not closed")
}
