package store

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// A run's parameters, metrics and each of its tables of rows are kept as
// one TEXT value each (schema version 4), so that recording a run is a few
// inserts, not one per setting, metric and row, and SQL reads them with
// SQLite's JSON functions: the parameters and the metrics are JSON
// objects, the rows the CSV text.

// appendParams appends settings by path to b as a JSON object of strings,
// the paths in order.
func appendParams(b []byte, params map[string]string) []byte {
	return appendObject(b, params, appendJSONString)
}

// appendObject appends m to b as a JSON object, the keys in order, each
// value written by value.
func appendObject[V any](b []byte, m map[string]V, value func([]byte, V) []byte) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = value(b, m[k])
	}
	return append(b, '}')
}

// walkParams calls fn with each setting of b, a value of appendParams.
func walkParams(b []byte, fn func(path, value string)) error {
	w := scalarWalker{b: b}
	return w.document(func(key string) error {
		value, err := w.str()
		if err == nil {
			fn(key, value)
		}
		return err
	})
}

// appendMetrics appends metrics by name to b as a JSON object, the names
// in order, each value as results.json holds it (see jsonBare): a number
// or true or false as its text, any other value as a string.
func appendMetrics(b []byte, ms map[string]Value) []byte {
	return appendObject(b, ms, func(b []byte, v Value) []byte {
		if jsonBare(v) && !v.Quoted {
			return append(b, v.Text...)
		}
		return appendJSONString(b, v.Text)
	})
}

// walkMetrics adds to out each metric of b, a value of appendMetrics,
// whose name keep reports (every one when keep is nil).
func walkMetrics(b []byte, out map[string]Value, keep func(name string) bool) error {
	w := scalarWalker{b: b, out: out}
	return w.document(func(key string) error {
		if keep != nil && !keep(key) {
			return w.skip()
		}
		return w.value(key)
	})
}

// jsonBare reports whether JSON holds v bare, not as a string: v is a
// number whose text is a JSON number, or true or false. Value.Quoted marks
// such a value that results.json holds as a string.
func jsonBare(v Value) bool {
	return (v.Numeric && isJSONNumber(v.Text)) || v.Text == "true" || v.Text == "false"
}

// isJSONNumber reports whether s is a number as JSON writes it: an
// optional minus, an integer part without leading zeros, then optionally a
// fraction and an exponent.
func isJSONNumber(s string) bool {
	i := 0
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(s)
}

// appendJSONString appends s to b as encoding/json writes it: quoted,
// with its escapes (those of HTML's <, > and & included).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			// Rare in names, paths and values; encoding/json knows the
			// rest of the rules.
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// joined reports whether text is joinRows(rows): each row followed by a
// line feed, and nothing else. Rows that CSVRows split from text compare
// by their pointers alone.
func joined(rows []string, text string) bool {
	off := 0
	for _, r := range rows {
		end := off + len(r)
		if end >= len(text) || text[off:end] != r || text[end] != '\n' {
			return false
		}
		off = end + 1
	}
	return off == len(text)
}

// joinRows returns rows, CSV records without their line ends, as the CSV
// text: each followed by a line feed.
func joinRows(rows []string) string {
	n := 0
	for _, r := range rows {
		n += len(r) + 1
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, r := range rows {
		sb.WriteString(r)
		sb.WriteByte('\n')
	}
	return sb.String()
}
