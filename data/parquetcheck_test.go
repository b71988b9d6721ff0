package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// rebuildParquet returns the Parquet file b with the header of the first
// page of its first column chunk replaced by page(header) and its footer
// by footer(footer), the offsets of every chunk moved to match. It fails t
// unless b has one row group.
func rebuildParquet(t *testing.T, b []byte, page, footer func([]byte) []byte) []byte {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	meta := *f.Metadata()
	if len(meta.RowGroups) != 1 {
		t.Fatalf("%d row groups; want 1", len(meta.RowGroups))
	}
	out := []byte("PAR1")
	cols := meta.RowGroups[0].Columns
	for i := range cols {
		m := &cols[i].MetaData
		base := m.DataPageOffset
		if m.DictionaryPageOffset != 0 {
			base = m.DictionaryPageOffset
		}
		chunk := b[base : base+m.TotalCompressedSize]
		if i == 0 {
			_, n, err := readPageHeader(chunk)
			if err != nil {
				t.Fatal(err)
			}
			chunk = append(page(bytes.Clone(chunk[:n])), chunk[n:]...)
		}
		at := int64(len(out))
		m.DataPageOffset += at - base
		if m.DictionaryPageOffset != 0 {
			m.DictionaryPageOffset += at - base
		}
		m.TotalCompressedSize = int64(len(chunk))
		cols[i].FileOffset = at
		cols[i].OffsetIndexOffset, cols[i].OffsetIndexLength = 0, 0
		cols[i].ColumnIndexOffset, cols[i].ColumnIndexLength = 0, 0
		out = append(out, chunk...)
	}
	fm, err := thrift.Marshal(new(thrift.CompactProtocol), &meta)
	if err != nil {
		t.Fatal(err)
	}
	fm = footer(fm)
	out = append(out, fm...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(fm)))
	return append(out, "PAR1"...)
}

// editHeader returns a page edit that decodes the header, applies edit
// and encodes it again.
func editHeader(t *testing.T, edit func(*format.PageHeader)) func([]byte) []byte {
	return func(b []byte) []byte {
		var h format.PageHeader
		if err := thrift.Unmarshal(new(thrift.CompactProtocol), b, &h); err != nil {
			t.Fatal(err)
		}
		edit(&h)
		out, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// hugeBinary appends to the Thrift struct b, before its stop byte, a
// field 100 of type binary that declares 2^31-1 bytes and holds none.
func hugeBinary(b []byte) []byte {
	return append(b[:len(b)-1:len(b)-1], 0x08, 0xc8, 0x01, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00)
}

func same(b []byte) []byte { return b }

// TestParquetDeclaredSizes checks that a file whose metadata or page
// headers declare more than they hold, or pages beyond the reader's
// bounds, is refused with a message naming what is wrong before the
// Parquet decoder allocates what it declares.
func TestParquetDeclaredSizes(t *testing.T) {
	src := toParquet(t, "../testdata/daily/AAA.csv", Options{})
	want, err := readParquet(src, "AAA.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		page, footer func([]byte) []byte
		err          string // "" for a file that reads as src
	}{
		{"unchanged", same, same, ""},
		{"uncompressed size", editHeader(t, func(h *format.PageHeader) { h.UncompressedPageSize = 1 << 30 }), same,
			`row group 1, column "time": the page at byte 0: a page of 1073741824 bytes uncompressed; quantloop reads pages of at most 67108864 bytes`},
		{"values", editHeader(t, func(h *format.PageHeader) {
			h.DataPageHeader.V.NumValues, h.DataPageHeaderV2.V.NumValues = 1<<30, 1<<30
		}), same, `a page of 1073741824 values; quantloop reads pages of at most 16777216 values`},
		{"compressed size", editHeader(t, func(h *format.PageHeader) { h.CompressedPageSize += 1 << 20 }), same,
			`runs past the end of its column chunk`},
		{"negative size", editHeader(t, func(h *format.PageHeader) { h.CompressedPageSize = -1 }), same,
			`its header has no valid page sizes`},
		{"page string", hugeBinary, same,
			`row group 1, column "time": the page header at byte 0 declares 2147483647 bytes at byte`},
		{"footer string", same, hugeBinary,
			`not a readable Parquet file: the footer's metadata declares 2147483647 bytes at byte`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := rebuildParquet(t, src, tt.page, tt.footer)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got, err := readParquet(b, "AAA.parquet", Options{})
			runtime.ReadMemStats(&after)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				sameParquetBars(t, got, want)
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "AAA.parquet" || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v; want an *Error of AAA.parquet with %q", err, tt.err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
				t.Errorf("allocated %d bytes reading a file of %d bytes", n, len(b))
			}
		})
	}
}

// TestParquetFuzzFinding reads the input the fuzzer found to make the
// decoder allocate 2 GiB buffers for a page header's statistics, several
// times over, in a file of 699 bytes.
func TestParquetFuzzFinding(t *testing.T) {
	b, err := os.ReadFile("testdata/huge-statistics.parquet")
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = readParquet(b, "x.parquet", Options{BadRows: SkipBadRow})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "declares 1613259201 bytes") {
		t.Fatalf("error %v; want the page header's declared bytes", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("allocated %d bytes reading a file of %d bytes", n, len(b))
	}
}

// TestThriftScanner checks the compact-protocol walk on values made by
// hand: the integers it reports, and where it stops.
func TestThriftScanner(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want string // the visited fields, or the error
	}{
		{"empty struct", []byte{0x00}, ""},
		{"i32 and nested i64", []byte{0x15, 0x04, 0x1c, 0x16, 0x03, 0x00, 0x00}, "[1]=2 [2 1]=-2"},
		{"long-form id", []byte{0x05, 0xc8, 0x01, 0x08, 0x00}, "[100]=4"},
		{"booleans have no bytes", []byte{0x11, 0x12, 0x00}, ""},
		{"list of i32 is not reported", []byte{0x19, 0x25, 0x02, 0x04, 0x00}, ""},
		{"list with long size", []byte{0x19, 0xf3, 0x02, 0x07, 0x08, 0x00}, ""},
		{"map", []byte{0x1b, 0x01, 0x85, 0x01, 0x61, 0x02, 0x00}, ""},
		{"binary", []byte{0x18, 0x03, 'a', 'b', 'c', 0x00}, ""},
		{"binary too long", []byte{0x18, 0x05, 'a', 'b', 'c', 0x00}, "declares 5 bytes at byte 2: runs past the end of the data"},
		{"list too long", []byte{0x19, 0xf5, 0x7f, 0x00}, "declares 127 elements at byte 3: runs past the end of the data"},
		{"no stop", []byte{0x15, 0x04}, "runs past the end of the data"},
		{"overlong varint", []byte{0x15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, "has an overlong varint at byte 1"},
		{"unknown type", []byte{0x1d, 0x00}, "has an unknown type 13 at byte 1"},
		{"deep", append(bytes.Repeat([]byte{0x1c}, 70), bytes.Repeat([]byte{0x00}, 71)...), "nests deeper than 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			s := thriftScanner{b: tt.b, visit: func(path []int16, v int64) {
				got = append(got, fmt.Sprintf("%v=%d", path, v))
			}}
			err := s.skipStruct(0)
			res := ""
			if err != nil {
				res = err.Error()
			} else {
				res = strings.Join(got, " ")
				if s.off != len(tt.b) {
					t.Errorf("stopped at byte %d of %d", s.off, len(tt.b))
				}
			}
			if !strings.Contains(res, tt.want) || (tt.want == "" && res != "") {
				t.Errorf("got %q; want %q", res, tt.want)
			}
		})
	}
}
