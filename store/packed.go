package store

import (
	"encoding/binary"
	"errors"
	"math"
	"sort"
)

// A run's parameters, metrics and each of its tables of rows are kept as
// one value each (schema version 4): a run is a few inserts, not one per
// setting, metric and row. The values are sequences of fields; a string
// field is its length as a uvarint, then its bytes.

// errPacked is the error of a packed value that ends early.
var errPacked = errors.New("a packed value is cut short")

// appendString appends s to b as a string field.
func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// packedReader reads the fields of a packed value.
type packedReader struct {
	b   []byte
	err error
}

// more reports whether fields are left to read and none failed.
func (r *packedReader) more() bool { return r.err == nil && len(r.b) > 0 }

// string reads a string field.
func (r *packedReader) string() string {
	if r.err != nil {
		return ""
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)-k) {
		r.err = errPacked
		return ""
	}
	s := string(r.b[k : k+int(n)])
	r.b = r.b[k+int(n):]
	return s
}

// byte reads one byte.
func (r *packedReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 1 {
		r.err = errPacked
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// float reads a float64 as its IEEE 754 bits, little endian.
func (r *packedReader) float() float64 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 8 {
		r.err = errPacked
		return 0
	}
	x := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return x
}

// packRows returns rows as one value: a string field each, in order.
func packRows(rows []string) []byte {
	n := 0
	for _, r := range rows {
		n += binary.MaxVarintLen32 + len(r)
	}
	b := make([]byte, 0, n)
	for _, r := range rows {
		b = appendString(b, r)
	}
	return b
}

// unpackRows is the inverse of packRows.
func unpackRows(b []byte) ([]string, error) {
	r := packedReader{b: b}
	var out []string
	for r.more() {
		out = append(out, r.string())
	}
	return out, r.err
}

// packParams returns settings by path as one value: the path and the
// value of each, as string fields, in the order of the paths.
func packParams(params map[string]string) []byte {
	var b []byte
	for _, k := range sortedKeys(params) {
		b = appendString(appendString(b, k), params[k])
	}
	return b
}

// unpackParams calls fn with each setting of b, a value of packParams.
func unpackParams(b []byte, fn func(path, value string)) error {
	r := packedReader{b: b}
	for r.more() {
		path, value := r.string(), r.string()
		if r.err == nil {
			fn(path, value)
		}
	}
	return r.err
}

// packMetrics returns metrics by name as one value: for each, in the order
// of the names, its name and text as string fields, then 1 and the
// number's bits (see packedReader.float) when it has a number, else 0 (a
// NaN is no number, as a REAL column holds none).
func packMetrics(ms map[string]Value) []byte {
	names := make([]string, 0, len(ms))
	n := 0
	for k, v := range ms {
		names = append(names, k)
		n += 2*binary.MaxVarintLen32 + len(k) + len(v.Text) + 9
	}
	sort.Strings(names)
	b := make([]byte, 0, n)
	for _, k := range names {
		v := ms[k]
		b = appendString(appendString(b, k), v.Text)
		if v.Numeric && !math.IsNaN(v.Num) {
			b = append(b, 1)
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Num))
		} else {
			b = append(b, 0)
		}
	}
	return b
}

// unpackMetrics calls fn with each metric of b, a value of packMetrics.
func unpackMetrics(b []byte, fn func(name string, v Value)) error {
	r := packedReader{b: b}
	for r.more() {
		name := r.string()
		v := Value{Text: r.string()}
		switch r.byte() {
		case 0:
		case 1:
			v.Num, v.Numeric = r.float(), true
		default:
			if r.err == nil {
				r.err = errors.New("a packed metric has no number flag")
			}
		}
		if r.err == nil {
			fn(name, v)
		}
	}
	return r.err
}
