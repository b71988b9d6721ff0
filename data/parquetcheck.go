package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// The largest page a ParquetReader reads. The Parquet decoder sizes its
// buffers by what a page header declares, before it reads the page, so
// these bounds are what a damaged or hostile file can make a run
// allocate. Every common writer's pages are far smaller (about 1 MiB and
// at most a row group's rows).
const (
	// maxPageBytes bounds a page's size, compressed or not.
	maxPageBytes = 1 << 26
	// maxPageValues bounds the number of values of one page.
	maxPageValues = 1 << 24
)

// maxThriftDepth bounds the nesting of Thrift structs and collections;
// Parquet's own metadata nests less than ten deep.
const maxThriftDepth = 64

// errThriftShort reports a Thrift value that runs past the end of the
// bytes it was read from.
var errThriftShort = errors.New("runs past the end of the data")

// checkFooter checks that the Thrift metadata at the end of the file of
// size bytes in ra declares no string or list longer than the metadata
// itself, before the Parquet decoder allocates what it declares.
func checkFooter(ra io.ReaderAt, size int64) error {
	var trailer [8]byte
	if !readAt(ra, trailer[:], size-8) {
		return errors.New("the footer cannot be read")
	}
	n := int64(binary.LittleEndian.Uint32(trailer[:4]))
	if n > size-12 {
		return fmt.Errorf("a footer of %d bytes does not fit in a file of %d bytes", n, size)
	}
	b := make([]byte, n)
	if !readAt(ra, b, size-8-n) {
		return errors.New("the footer cannot be read")
	}
	s := thriftScanner{b: b}
	if err := s.skipStruct(0); err != nil {
		return fmt.Errorf("the footer's metadata %w", err)
	}
	return nil
}

// checkPages checks the header of every page of column chunks cols of
// every row group of f, whose bytes ra holds, against maxPageBytes,
// maxPageValues and the bytes of its column chunk, before the Parquet
// decoder reads the pages.
func checkPages(ra io.ReaderAt, f *parquet.File, cols []int) error {
	for g, rg := range f.Metadata().RowGroups {
		for _, c := range cols {
			if c >= len(rg.Columns) {
				return fmt.Errorf("row group %d has %d columns; the schema has more", g+1, len(rg.Columns))
			}
			m := rg.Columns[c].MetaData
			base := m.DataPageOffset
			if m.DictionaryPageOffset != 0 {
				base = m.DictionaryPageOffset
			}
			if base < 0 || m.TotalCompressedSize < 0 || base > f.Size() || m.TotalCompressedSize > f.Size()-base {
				return fmt.Errorf("row group %d, column %q: its pages (%d bytes at byte %d) are not inside the file of %d bytes",
					g+1, pathOf(m.PathInSchema), m.TotalCompressedSize, base, f.Size())
			}
			if err := checkChunk(io.NewSectionReader(ra, base, m.TotalCompressedSize)); err != nil {
				return fmt.Errorf("row group %d, column %q: %w", g+1, pathOf(m.PathInSchema), err)
			}
		}
	}
	return nil
}

// pathOf is the dotted name of a column's path.
func pathOf(p []string) string { return strings.Join(p, ".") }

// checkChunk walks the pages of one column chunk, reading only their
// headers.
func checkChunk(sr *io.SectionReader) error {
	var buf []byte
	for pos := int64(0); pos < sr.Size(); {
		left := sr.Size() - pos
		var h pageHeader
		var used int
		for window := int64(256); ; window *= 4 {
			window = min(window, left)
			if int64(cap(buf)) < window {
				buf = make([]byte, window)
			}
			buf = buf[:window]
			if !readAt(sr, buf, pos) {
				return fmt.Errorf("the page at byte %d cannot be read", pos)
			}
			var err error
			h, used, err = readPageHeader(buf)
			if err == nil {
				break
			}
			if !errors.Is(err, errThriftShort) || window == left {
				return fmt.Errorf("the page header at byte %d %w", pos, err)
			}
		}
		if err := h.check(left - int64(used)); err != nil {
			return fmt.Errorf("the page at byte %d: %w", pos, err)
		}
		pos += int64(used) + h.compressed
	}
	return nil
}

// pageHeader holds the sizes a Parquet PageHeader declares; -1 where a
// field is absent.
type pageHeader struct {
	uncompressed, compressed int64
	values                   [3]int64 // of a v1 data page, a dictionary page, a v2 data page
	nulls, rows              int64    // of a v2 data page
	levelBytes               [2]int64 // of a v2 data page: definition, repetition
}

// readPageHeader reads the Thrift PageHeader at the start of b and
// returns it and its length in bytes.
func readPageHeader(b []byte) (pageHeader, int, error) {
	h := pageHeader{uncompressed: -1, compressed: -1, values: [3]int64{-1, -1, -1}, nulls: -1, rows: -1, levelBytes: [2]int64{-1, -1}}
	s := thriftScanner{b: b, visit: func(path []int16, v int64) {
		switch {
		case len(path) == 1 && path[0] == 2:
			h.uncompressed = v
		case len(path) == 1 && path[0] == 3:
			h.compressed = v
		case len(path) != 2:
		case path[1] == 1 && path[0] == 5:
			h.values[0] = v
		case path[1] == 1 && path[0] == 7:
			h.values[1] = v
		case path[0] != 8:
		case path[1] == 1:
			h.values[2] = v
		case path[1] == 2:
			h.nulls = v
		case path[1] == 3:
			h.rows = v
		case path[1] == 5:
			h.levelBytes[0] = v
		case path[1] == 6:
			h.levelBytes[1] = v
		}
	}}
	err := s.skipStruct(0)
	return h, s.off, err
}

// check checks the header of a page followed by left bytes of its
// column chunk.
func (h *pageHeader) check(left int64) error {
	switch {
	case h.compressed < 0 || h.uncompressed < 0:
		return errors.New("its header has no valid page sizes")
	case h.compressed > left:
		return fmt.Errorf("a page of %d bytes runs past the end of its column chunk (%d bytes left)", h.compressed, left)
	case h.uncompressed > maxPageBytes:
		return fmt.Errorf("a page of %d bytes uncompressed; quantloop reads pages of at most %d bytes (write the file with smaller pages)", h.uncompressed, maxPageBytes)
	}
	for _, n := range [...]int64{h.values[0], h.values[1], h.values[2], h.nulls, h.rows} {
		if n > maxPageValues {
			return fmt.Errorf("a page of %d values; quantloop reads pages of at most %d values (write the file with smaller pages)", n, maxPageValues)
		}
	}
	for _, n := range h.levelBytes {
		if n > h.compressed {
			return fmt.Errorf("levels of %d bytes in a page of %d bytes", n, h.compressed)
		}
	}
	return nil
}

// thriftScanner walks a value of Thrift's compact protocol without
// decoding it, and checks that every string, list, set and map it
// declares fits in the bytes left. Visit, when set, is called with every
// integer field of a struct (not of a collection) and the field ids of
// the structs that lead to it.
type thriftScanner struct {
	b     []byte
	off   int
	path  []int16
	visit func(path []int16, v int64)
}

// The compact protocol's type codes.
const (
	tcTrue   = 1
	tcFalse  = 2
	tcByte   = 3
	tcI16    = 4
	tcI32    = 5
	tcI64    = 6
	tcDouble = 7
	tcBinary = 8
	tcList   = 9
	tcSet    = 10
	tcMap    = 11
	tcStruct = 12
)

// skipStruct walks a struct up to and including its stop field.
func (s *thriftScanner) skipStruct(depth int) error {
	if depth > maxThriftDepth {
		return fmt.Errorf("nests deeper than %d at byte %d", maxThriftDepth, s.off)
	}
	var id int16
	for {
		h, err := s.byte()
		if err != nil {
			return err
		}
		if h == 0 {
			return nil
		}
		if d := h >> 4; d != 0 {
			id += int16(d)
		} else {
			v, err := s.varint()
			if err != nil {
				return err
			}
			id = int16(zigzag(v))
		}
		s.path = append(s.path, id)
		err = s.skipValue(h&0x0f, true, depth)
		s.path = s.path[:len(s.path)-1]
		if err != nil {
			return err
		}
	}
}

// skipValue walks one value of type t, a struct's field when inStruct
// (where a boolean has no bytes of its own).
func (s *thriftScanner) skipValue(t byte, inStruct bool, depth int) error {
	switch t {
	case tcTrue, tcFalse:
		if inStruct {
			return nil
		}
		_, err := s.byte()
		return err
	case tcByte:
		v, err := s.byte()
		s.report(inStruct, int64(int8(v)))
		return err
	case tcI16, tcI32, tcI64:
		v, err := s.varint()
		s.report(inStruct, zigzag(v))
		return err
	case tcDouble:
		return s.skip(8)
	case tcBinary:
		n, err := s.varint()
		if err != nil {
			return err
		}
		return s.skip(n)
	case tcList, tcSet:
		h, err := s.byte()
		if err != nil {
			return err
		}
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = s.varint(); err != nil {
				return err
			}
		}
		return s.skipElems(n, []byte{h & 0x0f}, depth)
	case tcMap:
		n, err := s.varint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := s.byte()
		if err != nil {
			return err
		}
		return s.skipElems(n, []byte{kv >> 4, kv & 0x0f}, depth)
	case tcStruct:
		return s.skipStruct(depth + 1)
	}
	return fmt.Errorf("has an unknown type %d at byte %d", t, s.off)
}

// skipElems walks n elements of a collection, each the values of types in
// turn. Every element takes at least one byte, so n cannot exceed the
// bytes left.
func (s *thriftScanner) skipElems(n uint64, types []byte, depth int) error {
	if n > uint64(len(s.b)-s.off) {
		return fmt.Errorf("declares %d elements at byte %d: %w", n, s.off, errThriftShort)
	}
	if depth >= maxThriftDepth {
		return fmt.Errorf("nests deeper than %d at byte %d", maxThriftDepth, s.off)
	}
	for range n {
		for _, t := range types {
			if err := s.skipValue(t, false, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// report passes an integer field of a struct to visit.
func (s *thriftScanner) report(inStruct bool, v int64) {
	if inStruct && s.visit != nil {
		s.visit(s.path, v)
	}
}

// byte reads one byte.
func (s *thriftScanner) byte() (byte, error) {
	if s.off >= len(s.b) {
		return 0, errThriftShort
	}
	s.off++
	return s.b[s.off-1], nil
}

// skip passes over n bytes.
func (s *thriftScanner) skip(n uint64) error {
	if n > uint64(len(s.b)-s.off) {
		return fmt.Errorf("declares %d bytes at byte %d: %w", n, s.off, errThriftShort)
	}
	s.off += int(n)
	return nil
}

// varint reads an unsigned LEB128 varint of at most ten bytes.
func (s *thriftScanner) varint() (uint64, error) {
	v, n := binary.Uvarint(s.b[s.off:])
	switch {
	case n == 0:
		return 0, errThriftShort
	case n < 0:
		return 0, fmt.Errorf("has an overlong varint at byte %d", s.off)
	}
	s.off += n
	return v, nil
}

// zigzag decodes a zigzag-encoded integer.
func zigzag(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }
