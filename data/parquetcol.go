package data

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// pqCursor reads the values of one column chunk in batches, page after
// page, into typed buffers: ints for INT32 and INT64, floats for FLOAT
// and DOUBLE, text for BYTE_ARRAY, and null marks for a column that may
// hold nulls.
type pqCursor struct {
	pages    parquet.Pages
	page     parquet.Page
	vals     parquet.ValueReader
	kind     parquet.Kind
	optional bool

	ints   []int64
	floats []float64
	text   []string
	null   []bool
	i32    []int32
	f32    []float32
	gen    []parquet.Value
}

// newCursor returns a cursor of column chunk c, whose leaf may hold nulls
// when optional.
func newCursor(c parquet.ColumnChunk, optional bool) *pqCursor {
	return &pqCursor{pages: c.Pages(), kind: c.Type().Kind(), optional: optional}
}

// close releases the cursor's pages.
func (c *pqCursor) close() {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	if c.pages != nil {
		c.pages.Close()
		c.pages = nil
	}
}

// read reads up to n values into the buffers and returns their number;
// zero at the end of the chunk.
func (c *pqCursor) read(n int) (int, error) {
	c.ints, c.floats, c.text, c.null = c.ints[:0], c.floats[:0], c.text[:0], c.null[:0]
	got := 0
	for got < n {
		if c.vals == nil {
			p, err := c.pages.ReadPage()
			if err == io.EOF {
				break
			}
			if err != nil {
				return got, err
			}
			if c.page != nil {
				parquet.Release(c.page)
			}
			c.page, c.vals = p, p.Values()
		}
		k, err := c.readPage(n - got)
		got += k
		if err == io.EOF {
			c.vals = nil
			continue
		}
		if err != nil {
			return got, err
		}
		if k == 0 {
			return got, errors.New("a page gave no values")
		}
	}
	return got, nil
}

// readPage appends up to n values of the current page to the buffers.
func (c *pqCursor) readPage(n int) (int, error) {
	if !c.optional {
		switch r := c.vals.(type) {
		case parquet.Int64Reader:
			start := len(c.ints)
			c.ints = slices.Grow(c.ints, n)
			k, err := r.ReadInt64s(c.ints[start : start+n])
			c.ints = c.ints[:start+k]
			return k, err
		case parquet.DoubleReader:
			start := len(c.floats)
			c.floats = slices.Grow(c.floats, n)
			k, err := r.ReadDoubles(c.floats[start : start+n])
			c.floats = c.floats[:start+k]
			return k, err
		case parquet.Int32Reader:
			c.i32 = slices.Grow(c.i32[:0], n)
			k, err := r.ReadInt32s(c.i32[:n])
			for _, v := range c.i32[:k] {
				c.ints = append(c.ints, int64(v))
			}
			return k, err
		case parquet.FloatReader:
			c.f32 = slices.Grow(c.f32[:0], n)
			k, err := r.ReadFloats(c.f32[:n])
			for _, v := range c.f32[:k] {
				c.floats = append(c.floats, float64(v))
			}
			return k, err
		}
	}
	c.gen = slices.Grow(c.gen[:0], n)
	k, err := c.vals.ReadValues(c.gen[:n])
	for _, v := range c.gen[:k] {
		if c.optional {
			c.null = append(c.null, v.IsNull())
		}
		switch {
		case v.IsNull():
			c.ints, c.floats, c.text = append(c.ints, 0), append(c.floats, 0), append(c.text, "")
		case c.kind == parquet.Int64:
			c.ints = append(c.ints, v.Int64())
		case c.kind == parquet.Int32:
			c.ints = append(c.ints, int64(v.Int32()))
		case c.kind == parquet.Double:
			c.floats = append(c.floats, v.Double())
		case c.kind == parquet.Float:
			c.floats = append(c.floats, float64(v.Float()))
		case c.kind == parquet.ByteArray:
			c.text = append(c.text, string(v.ByteArray()))
		default:
			return k, fmt.Errorf("unexpected %s value", v.Kind())
		}
	}
	return k, err
}

// isNull reports whether the i-th value read is null.
func (c *pqCursor) isNull(i int) bool { return c.optional && c.null[i] }
