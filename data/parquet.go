package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/quantloop/quantloop/engine"
)

// The key-value metadata of a Parquet file written by [WriteParquet]. A
// reader checks MetaPriceScale when present and takes the zone of the
// times from MetaTimezone; the other keys record where the bars came from.
const (
	// MetaPriceScale is the number of price units in 1.0 of the integer
	// price columns, in decimal: engine.PriceScale.
	MetaPriceScale = "quantloop.price_scale"
	// MetaTimezone names the zone the source's times without a zone were
	// read in (a time.LoadLocation name).
	MetaTimezone = "quantloop.timezone"
	// MetaSymbol is the symbol of the bars.
	MetaSymbol = "quantloop.symbol"
	// MetaSourceSHA256 is the hex SHA-256 of the source file's bytes.
	MetaSourceSHA256 = "quantloop.source_sha256"
	// MetaSourceName is the base name of the source file.
	MetaSourceName = "quantloop.source"
	// MetaSourceBytes is the size of the source file in bytes, in decimal.
	MetaSourceBytes = "quantloop.source_bytes"
)

// offsetColumn is the column of a file written by WriteParquet that holds
// each time's offset from UTC in seconds east.
const offsetColumn = "utc_offset"

// IsParquet reports whether path names a Parquet file: its extension is
// ".parquet" (in any case).
func IsParquet(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".parquet")
}

// A ParquetReader reads bars of one symbol from a Parquet file. Columns
// are found by name as in a CSV header ([Options.Columns] and the usual
// spellings), and every row passes the checks a [Reader] makes of a CSV
// row: positive prices with at most [engine.PriceDecimals] decimals, a
// volume that is a finite number not below zero, low <= min(open, close)
// <= max(open, close) <= high, and times that strictly increase.
//
// Column types: the time is a TIMESTAMP (read in the zone of the file's
// MetaTimezone metadata, else Options.Location; a timestamp not adjusted
// to UTC is a wall-clock time in that zone), a DATE (midnight in that
// zone), or text in one of the layouts a Reader detects (or
// Options.TimeLayout). A price is a DECIMAL (exact), a whole number, text,
// or a FLOAT or DOUBLE, which is read as the shortest decimal that rounds
// to it. A volume is any number, or text. Options.Header and Comma concern
// CSV text only and are ignored; Options.Order, which maps CSV columns by
// position, is an error.
//
// An error in a row is an *Error naming the file, the 1-based row and the
// column. Before any row is read, the file's metadata and the header of
// every page of the columns read are checked, so that a damaged file
// cannot make the decoder allocate what it declares: a string or list
// longer than the bytes that hold it, a page that runs past its column
// chunk, and a page of more than 64 MiB uncompressed or more than
// 16,777,216 values are errors naming the row group and the column.
// Common writers' pages are about 1 MiB.
type ParquetReader struct {
	name   string
	symbol string
	rowPolicy
	// The digest of the file OpenParquet opened, and the error hashing
	// it, set by the goroutine that hashes the file before it closes
	// hashed; hashed is nil for a reader made by NewParquetReader.
	digest    Digest
	digestErr error
	hashed    chan struct{}
	closer    io.Closer // the file OpenParquet opened

	file   *parquet.File
	groups []parquet.RowGroup
	group  int
	cur    [numFields]*pqCursor // the current row group's used columns
	off    *pqCursor            // and its offsetColumn, if any
	n, i   int                  // rows in the cursors' buffers, next row
	row    int64                // 1-based number of the row being converted

	cols           [numFields]pqColumn
	split          bool
	offset         int // leaf index of offsetColumn, -1 when absent
	offsetOptional bool
	loc            *time.Location
	zones          map[int32]*time.Location
	tp             timeParser
	tf, cf         timeFormat
	tfRow          int64

	hasPrev bool
	prev    time.Time
	prevRow int64

	plain bool // the columns are plain: appendRun converts their rows
}

// pqKind is how a column's values convert.
type pqKind int

const (
	pqText      pqKind = iota // BYTE_ARRAY: parsed as CSV text is
	pqDecimal                 // INT32 or INT64 DECIMAL: exact, at scale
	pqInt                     // INT32 or INT64: a whole number
	pqFloat                   // FLOAT or DOUBLE
	pqTimestamp               // INT64 TIMESTAMP: unit per tick
	pqDate                    // INT32 DATE: days since 1970-01-01
)

// pqColumn is the leaf column that holds a field, and how to read it.
type pqColumn struct {
	index    int // leaf index; -1 when the field has no column
	optional bool
	name     string
	kind     pqKind
	scale    int32         // pqDecimal
	unit     time.Duration // pqTimestamp
	utc      bool          // pqTimestamp: adjusted to UTC
}

// OpenParquet opens the Parquet file at path and returns a
// ParquetReader that decodes the bars from the open file, a column chunk
// at a time, while a goroutine of its own hashes the same open file whole
// (see [ParquetReader.Digest]). The symbol is opts.Symbol, else the
// file's base name without its extension. The caller must Close the
// reader.
func OpenParquet(path string, opts Options) (*ParquetReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{File: path, Err: fmt.Errorf("read: %w", err)}
	}
	size := fi.Size()
	r, err := newParquetReader(f, size, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	r.hashed = make(chan struct{})
	go func() {
		defer close(r.hashed)
		h := newHashingReader(io.NewSectionReader(f, 0, size))
		if _, err := io.Copy(io.Discard, h); err != nil {
			r.digestErr = &Error{File: path, Err: fmt.Errorf("read: %w", err)}
			return
		}
		r.digest = Digest{Path: path, Bytes: h.n}
		h.sum.Sum(r.digest.SHA256[:0])
	}()
	return r, nil
}

// NewParquetReader returns a ParquetReader of the Parquet file held in b.
// Name identifies the file in errors, and its base name without extension
// is the default symbol. It checks the file's footer, its columns and its
// metadata, and reports what is wrong as an *Error.
func NewParquetReader(b []byte, name string, opts Options) (*ParquetReader, error) {
	return newParquetReader(bytes.NewReader(b), int64(len(b)), name, opts)
}

// newParquetReader is NewParquetReader of the size bytes of ra.
func newParquetReader(ra io.ReaderAt, size int64, name string, opts Options) (r *ParquetReader, err error) {
	r = &ParquetReader{name: name, symbol: opts.Symbol, rowPolicy: rowPolicy{policy: opts.BadRows}, offset: -1}
	if r.symbol == "" {
		base := filepath.Base(name)
		r.symbol = strings.TrimSuffix(base, filepath.Ext(base))
		if r.symbol == "" || r.symbol == "." || base == string(filepath.Separator) {
			return nil, &Error{File: name, Err: errors.New("no symbol: set Options.Symbol or name the input")}
		}
	}
	if opts.Order != nil {
		return nil, &Error{File: name, Err: errors.New("Options.Order maps CSV columns by position; a Parquet file's columns are found by name (use Options.Columns)")}
	}
	if opts.Adjust != RawPrices {
		return nil, &Error{File: name, Err: fmt.Errorf("adjust %q: a Parquet file is read with its prices as written; adjusted prices are read from a CSV file's Adj Close column (or use raw prices with a corporate-actions file, data.actions)", opts.Adjust)}
	}
	if opts.BadRows != FailOnBadRow && opts.BadRows != SkipBadRow {
		return nil, &Error{File: name, Err: fmt.Errorf("unknown Options.BadRows %d", opts.BadRows)}
	}
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, &Error{File: name, Err: fmt.Errorf("not a readable Parquet file: %v", p)}
		}
	}()
	var head, tail [4]byte
	if size < 12 || !readAt(ra, head[:], 0) || !readAt(ra, tail[:], size-4) || string(head[:]) != "PAR1" || string(tail[:]) != "PAR1" {
		return nil, &Error{File: name, Err: errors.New("not a Parquet file (no PAR1 magic at both ends): is it truncated, or a CSV file named .parquet?")}
	}
	if err := checkFooter(ra, size); err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("not a readable Parquet file: %w", err)}
	}
	r.file, err = parquet.OpenFile(ra, size, parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("not a readable Parquet file: %w", err)}
	}
	r.loc = opts.Location
	if r.loc == nil {
		r.loc = time.UTC
	}
	if tz, ok := r.file.Lookup(MetaTimezone); ok {
		if r.loc, err = time.LoadLocation(tz); err != nil {
			return nil, &Error{File: name, Field: MetaTimezone, Err: fmt.Errorf("the file's zone %q: %w", tz, err)}
		}
	}
	r.tp.loc = r.loc
	if opts.TimeLayout != "" {
		r.tf = timeFormat{kind: kindLayout, layout: opts.TimeLayout}
	}
	if err := r.mapColumns(opts.Columns); err != nil {
		return nil, err
	}
	if err := r.checkScale(); err != nil {
		return nil, err
	}
	r.plain = r.plainColumns()
	if err := checkPages(ra, r.file, r.leaves()); err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("corrupt Parquet data: %w", err)}
	}
	r.groups = r.file.RowGroups()
	return r, nil
}

// mapColumns finds the leaf column of each field, as a CSV header's.
func (r *ParquetReader) mapColumns(c Columns) error {
	schema := r.file.Schema()
	paths := schema.Columns()
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = strings.Join(p, ".")
	}
	m, err := mapHeader(names, c, false)
	if err != nil {
		var mc *missingColumnError
		if errors.As(err, &mc) {
			return &Error{File: r.name, Field: mc.field, Err: err}
		}
		return &Error{File: r.name, Err: err}
	}
	r.split = m.split()
	for f := range numFields {
		r.cols[f].index = -1
		i := m.col[f]
		if i < 0 {
			continue
		}
		leaf, _ := schema.Lookup(paths[i]...)
		col, err := pqColumnOf(field(f), names[i], leaf)
		if err != nil {
			return &Error{File: r.name, Field: names[i], Err: err}
		}
		col.index, col.optional = leaf.ColumnIndex, leaf.MaxDefinitionLevel > 0
		r.cols[f] = col
	}
	if _, ok := r.file.Lookup(MetaTimezone); ok {
		if leaf, ok := schema.Lookup(offsetColumn); ok && leaf.Node.Type().Kind() == parquet.Int32 && leaf.MaxRepetitionLevel == 0 {
			r.offset, r.offsetOptional = leaf.ColumnIndex, leaf.MaxDefinitionLevel > 0
		}
	}
	return nil
}

// pqColumnOf says how the leaf column named name holds field f, or why
// it cannot.
func pqColumnOf(f field, name string, leaf parquet.LeafColumn) (pqColumn, error) {
	c := pqColumn{name: name}
	if leaf.MaxRepetitionLevel > 0 {
		return c, errors.New("the column is a list; expected one value per row")
	}
	t := leaf.Node.Type()
	var lt format.LogicalTypeValue
	if l := t.LogicalType(); l != nil {
		lt = l.Value
	}
	kind := t.Kind()
	isTime := f == fTime || f == fDate
	switch {
	case kind == parquet.ByteArray:
		c.kind = pqText
		return c, nil
	case f == fClock:
		return c, fmt.Errorf("the time-of-day column is %s; expected text such as 15:04:05", t)
	}
	switch v := lt.(type) {
	case *format.DecimalType:
		if (kind == parquet.Int32 || kind == parquet.Int64) && !isTime {
			c.kind, c.scale = pqDecimal, v.Scale
			return c, nil
		}
	case *format.TimestampType:
		if kind == parquet.Int64 && isTime && v.Unit.Value != nil {
			c.kind, c.unit, c.utc = pqTimestamp, v.Unit.Value.Duration(), v.IsAdjustedToUTC
			return c, nil
		}
	case *format.DateType:
		if kind == parquet.Int32 && isTime {
			c.kind = pqDate
			return c, nil
		}
	case nil, *format.IntType:
		switch {
		case isTime:
		case kind == parquet.Int32 || kind == parquet.Int64:
			c.kind = pqInt
			return c, nil
		case kind == parquet.Float || kind == parquet.Double:
			c.kind = pqFloat
			return c, nil
		}
	}
	if isTime {
		return c, fmt.Errorf("the time column is %s; expected a TIMESTAMP, a DATE or text", t)
	}
	return c, fmt.Errorf("the column is %s; expected a DECIMAL, a whole number, a FLOAT or DOUBLE, or text", t)
}

// checkScale checks the file's MetaPriceScale, when it has one, against
// engine.PriceScale and against the scale of the price columns.
func (r *ParquetReader) checkScale() error {
	s, ok := r.file.Lookup(MetaPriceScale)
	if !ok {
		return nil
	}
	if s != strconv.Itoa(engine.PriceScale) {
		return &Error{File: r.name, Field: MetaPriceScale, Err: fmt.Errorf("the file's prices are in units of 1/%s; quantloop's are in units of 1/%d (1e-%d): ingest the source again",
			s, engine.PriceScale, engine.PriceDecimals)}
	}
	for _, f := range []field{fOpen, fHigh, fLow, fClose} {
		c := r.cols[f]
		if c.kind != pqDecimal || c.scale != engine.PriceDecimals {
			return &Error{File: r.name, Field: c.name, Err: fmt.Errorf("the file's %s says prices are at scale %s, but the column is not a DECIMAL with scale %d",
				MetaPriceScale, s, engine.PriceDecimals)}
		}
	}
	return nil
}

// readAt reports whether ra holds len(b) bytes at off, read into b.
func readAt(ra io.ReaderAt, b []byte, off int64) bool {
	n, _ := ra.ReadAt(b, off)
	return n == len(b)
}

// Symbol returns the symbol of the bars.
func (r *ParquetReader) Symbol() string { return r.symbol }

// Bars returns the number of bars Next has returned.
func (r *ParquetReader) Bars() int { return r.bars }

// Skipped returns the number of rows skipped under SkipBadRow and the
// errors of the first few of them.
func (r *ParquetReader) Skipped() (int, []*Error) { return r.skipped, r.kept }

// Digest returns the SHA-256 and the size of the file OpenParquet opened,
// hashed whole beside the decoding, waiting for the hash if it is not
// done; the bars are decoded from the same open file, so a file replaced
// by its path afterwards changes neither. An error reading the file to
// hash it is returned here. For a reader made by NewParquetReader it
// returns an error.
func (r *ParquetReader) Digest() (Digest, error) {
	if r.hashed == nil {
		return Digest{}, errNoDigest
	}
	<-r.hashed
	if r.digestErr != nil {
		return Digest{}, r.digestErr
	}
	return r.digest, nil
}

// Close closes the file OpenParquet opened, once it is hashed. Next
// returns io.EOF afterwards.
func (r *ParquetReader) Close() error {
	if r.hashed != nil {
		<-r.hashed
	}
	r.closeGroup()
	if r.err == nil {
		r.err = io.EOF
	}
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// Next returns the next bar, or io.EOF after the last one. An error in the
// data is an *Error naming the file, the row and the column.
func (r *ParquetReader) Next() (bar engine.Bar, err error) {
	for r.err == nil {
		bar, fatal, err := r.next()
		if r.settle(err, fatal) {
			if err == nil {
				return bar, nil
			}
			break
		}
	}
	return engine.Bar{}, r.err
}

// next reads and checks one row.
func (r *ParquetReader) next() (bar engine.Bar, fatal bool, err error) {
	if r.i == r.n {
		if err := r.fill(); err != nil {
			return bar, true, err
		}
	}
	r.row++
	bar, err = r.convert(r.i)
	r.i++
	return bar, false, err
}

// batchRows is the number of rows read from each column at a time.
const batchRows = 1024

// fill reads the next rows into the cursors' buffers.
func (r *ParquetReader) fill() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = r.corrupt(fmt.Errorf("%v", p))
		}
	}()
	for {
		if r.cur[fTime] == nil && r.cur[fDate] == nil {
			if r.group == len(r.groups) {
				return io.EOF
			}
			chunks := r.groups[r.group].ColumnChunks()
			r.group++
			for f, c := range r.cols {
				if c.index >= 0 {
					r.cur[f] = newCursor(chunks[c.index], c.optional)
				}
			}
			if r.offset >= 0 {
				r.off = newCursor(chunks[r.offset], r.offsetOptional)
			}
		}
		n := -1
		for _, c := range r.cursors() {
			k, err := c.read(batchRows)
			if err != nil {
				return r.corrupt(err)
			}
			if n >= 0 && k != n {
				return r.corrupt(fmt.Errorf("the columns of row group %d hold different numbers of values", r.group))
			}
			n = k
		}
		r.n, r.i = n, 0
		if n > 0 {
			return nil
		}
		r.closeGroup()
	}
}

// leaves returns the leaf indices of the columns the reader reads.
func (r *ParquetReader) leaves() []int {
	var l []int
	for _, c := range r.cols {
		if c.index >= 0 {
			l = append(l, c.index)
		}
	}
	if r.offset >= 0 {
		l = append(l, r.offset)
	}
	return l
}

// cursors returns the cursors of the current row group.
func (r *ParquetReader) cursors() []*pqCursor {
	var cs []*pqCursor
	for _, c := range r.cur {
		if c != nil {
			cs = append(cs, c)
		}
	}
	if r.off != nil {
		cs = append(cs, r.off)
	}
	return cs
}

// closeGroup releases the cursors of the current row group.
func (r *ParquetReader) closeGroup() {
	for _, c := range r.cursors() {
		c.close()
	}
	r.cur, r.off = [numFields]*pqCursor{}, nil
}

// corrupt is the error for data the Parquet decoder could not read.
func (r *ParquetReader) corrupt(err error) *Error {
	return &Error{File: r.name, Row: int(r.row + 1), Err: fmt.Errorf("corrupt Parquet data: %w", err)}
}

// null returns an error if row i has no value of field f.
func (r *ParquetReader) null(i int, f field) error {
	if r.cur[f].isNull(i) {
		return r.fieldError(f, fmt.Errorf("no %s (a null value)", canonicalNames[f]))
	}
	return nil
}

// convert makes a bar of a row and checks it.
func (r *ParquetReader) convert(i int) (engine.Bar, error) {
	t, err := r.time(i)
	if err != nil {
		return engine.Bar{}, err
	}
	bar := engine.Bar{Symbol: r.symbol, Time: t}
	if bar.Open, err = r.price(i, fOpen); err != nil {
		return bar, err
	}
	if bar.High, err = r.price(i, fHigh); err != nil {
		return bar, err
	}
	if bar.Low, err = r.price(i, fLow); err != nil {
		return bar, err
	}
	if bar.Close, err = r.price(i, fClose); err != nil {
		return bar, err
	}
	if r.cols[fVolume].index >= 0 {
		if bar.Volume, err = r.volume(i); err != nil {
			return bar, err
		}
	}
	if f, err := checkOHLC(bar.Open, bar.High, bar.Low, bar.Close); err != nil {
		return bar, r.fieldError(f, err)
	}
	tf := fTime
	if r.split {
		tf = fDate
	}
	if r.hasPrev && !t.After(r.prev) {
		return bar, r.fieldError(tf, fmt.Errorf("time %s is not after the previous row's %s (row %d); times must strictly increase",
			t.Format(timeText), r.prev.Format(timeText), r.prevRow))
	}
	r.hasPrev, r.prev, r.prevRow = true, t, r.row
	return bar, nil
}

// time returns the row's time.
func (r *ParquetReader) time(i int) (time.Time, error) {
	f := fTime
	if r.split {
		f = fDate
	}
	if err := r.null(i, f); err != nil {
		return time.Time{}, err
	}
	c, cur := &r.cols[f], r.cur[f]
	switch c.kind {
	case pqTimestamp:
		n := cur.ints[i]
		if d := int64(c.unit); n > math.MaxInt64/d || n < math.MinInt64/d {
			return time.Time{}, r.fieldError(f, fmt.Errorf("timestamp %d is out of range", n))
		}
		t := time.Unix(0, n*int64(c.unit))
		if !c.utc {
			u := t.UTC()
			return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), r.loc), nil
		}
		return r.inZone(i, t), nil
	case pqDate:
		u := time.Unix(cur.ints[i]*86400, 0).UTC()
		return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, r.loc), nil
	}
	s := cur.text[i]
	if !r.split {
		return r.textTime(s)
	}
	if err := r.null(i, fClock); err != nil {
		return time.Time{}, err
	}
	return r.dateClock(s, r.cur[fClock].text[i])
}

// inZone returns t in the file's zone, or in the fixed zone of the row's
// utc_offset when the file has that column and the row a value in it.
func (r *ParquetReader) inZone(i int, t time.Time) time.Time {
	if r.off == nil || r.off.isNull(i) {
		return t.In(r.loc)
	}
	return t.In(r.fixedZone(int32(r.off.ints[i])))
}

// fixedZone returns the location of an offset, as the CSV reader makes it
// for a time written with one: UTC for zero, else an unnamed fixed zone.
func (r *ParquetReader) fixedZone(off int32) *time.Location {
	if off == 0 {
		return time.UTC
	}
	if loc, ok := r.zones[off]; ok {
		return loc
	}
	if r.zones == nil {
		r.zones = map[int32]*time.Location{}
	}
	loc := time.FixedZone("", int(off))
	r.zones[off] = loc
	return loc
}

// textTime parses a time written as text, as a Reader parses a CSV time.
func (r *ParquetReader) textTime(s string) (time.Time, error) {
	s = trimSpace(s)
	if r.tf.kind == kindLayout {
		t, err := time.ParseInLocation(r.tf.layout, s, r.loc)
		if err != nil {
			return t, r.fieldError(fTime, fmt.Errorf("time %q does not match Options.TimeLayout %q", s, r.tf.layout))
		}
		return t, nil
	}
	if r.tf.kind == kindNone {
		f, ok := detectTime(s)
		if !ok {
			return time.Time{}, r.fieldError(fTime, fmt.Errorf("time %q is not in a known layout; expected %s (or set Options.TimeLayout)", s, knownFormats))
		}
		r.tf, r.tfRow = f, r.row
	}
	t, st := r.tp.parse(r.tf, s)
	if st != parseOK {
		return t, r.timeError(fTime, s, st, r.tf)
	}
	return t, nil
}

// dateClock parses a date and a time of day written as text.
func (r *ParquetReader) dateClock(ds, cs string) (time.Time, error) {
	ds, cs = trimSpace(ds), trimSpace(cs)
	var date time.Time
	if r.tf.kind == kindLayout {
		var err error
		if date, err = time.ParseInLocation(r.tf.layout, ds, r.loc); err != nil {
			return date, r.fieldError(fDate, fmt.Errorf("date %q does not match Options.TimeLayout %q", ds, r.tf.layout))
		}
	} else {
		if r.tf.kind == kindNone {
			f, ok := detectTime(ds)
			if !ok || !f.isDate() {
				return date, r.fieldError(fDate, fmt.Errorf("date %q is not in a known layout; expected 2006-01-02 or 20060102 (or set Options.TimeLayout)", ds))
			}
			r.tf, r.tfRow = f, r.row
		}
		var st parseStatus
		if date, st = r.tp.parse(r.tf, ds); st != parseOK {
			return date, r.timeError(fDate, ds, st, r.tf)
		}
	}
	if r.cf.kind == kindNone {
		f, ok := detectClock(cs)
		if !ok {
			return date, r.fieldError(fClock, fmt.Errorf("time of day %q is not in a known layout; expected 15:04:05 or 15:04", cs))
		}
		r.cf = f
	}
	t, st := addClock(date, r.cf, cs)
	if st != parseOK {
		return t, r.timeError(fClock, cs, st, r.cf)
	}
	return t, nil
}

// timeError describes text s that failed to parse in format f.
func (r *ParquetReader) timeError(fl field, s string, st parseStatus, f timeFormat) error {
	if st == parseRange {
		return r.fieldError(fl, fmt.Errorf("time %q is out of range (month, day, hour, minute or second); expected layout %s", s, f))
	}
	if r.tfRow == r.row {
		return r.fieldError(fl, fmt.Errorf("time %q is not in layout %s", s, f))
	}
	return r.fieldError(fl, fmt.Errorf("time %q does not match the layout %s of the first row (row %d); every row must use the same layout",
		s, f, r.tfRow))
}

// pow10 are the powers of ten that fit an int64.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// price returns the row's price of field f, checked to be positive.
func (r *ParquetReader) price(i int, f field) (engine.Price, error) {
	if err := r.null(i, f); err != nil {
		return 0, err
	}
	c, cur := &r.cols[f], r.cur[f]
	var p int64
	switch c.kind {
	case pqDecimal, pqInt:
		n := cur.ints[i]
		scale := int32(0)
		if c.kind == pqDecimal {
			scale = c.scale
		}
		var ok bool
		if p, ok = scaleInt(n, scale); !ok {
			return 0, r.fieldError(f, fmt.Errorf("price %s has more than %d decimals", decimalText(n, scale), engine.PriceDecimals))
		}
		if p > int64(engine.MaxPrice) || p < -int64(engine.MaxPrice) {
			return 0, r.fieldError(f, fmt.Errorf("price %q: %w: a price's magnitude is at most %s", decimalText(n, scale), engine.ErrPriceRange, engine.MaxPrice))
		}
	case pqFloat:
		x := cur.floats[i]
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, r.fieldError(f, fmt.Errorf("invalid price %v; expected a finite number", x))
		}
		return r.textPrice(f, strconv.FormatFloat(x, 'f', -1, 64))
	default:
		return r.textPrice(f, trimSpace(cur.text[i]))
	}
	if p <= 0 {
		return 0, r.fieldError(f, fmt.Errorf("price %s must be positive", engine.Price(p)))
	}
	return engine.Price(p), nil
}

// textPrice parses a price written as text, as a Reader does.
func (r *ParquetReader) textPrice(f field, s string) (engine.Price, error) {
	p, err := priceText(s)
	if err != nil {
		return 0, r.fieldError(f, err)
	}
	return p, nil
}

// scaleInt returns n × 10^-scale in units of 1/engine.PriceScale, and
// false when that is not a whole number of units. A result that would
// overflow is returned as math.MaxInt64, beyond engine.MaxPrice.
func scaleInt(n int64, scale int32) (int64, bool) {
	switch d := engine.PriceDecimals - int(scale); {
	case d == 0:
		return n, true
	case d > 0:
		if d >= len(pow10) {
			if n == 0 {
				return 0, true
			}
			return math.MaxInt64, true
		}
		m := pow10[d]
		if n > math.MaxInt64/m || n < math.MinInt64/m {
			return math.MaxInt64, true
		}
		return n * m, true
	default:
		if -d >= len(pow10) {
			return 0, n == 0
		}
		m := pow10[-d]
		if n%m != 0 {
			return 0, false
		}
		return n / m, true
	}
}

// decimalText writes n × 10^-scale in decimal.
func decimalText(n int64, scale int32) string {
	s := strconv.FormatInt(n, 10)
	if scale <= 0 {
		return s + strings.Repeat("0", int(-scale))
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= int(scale) {
		s = strings.Repeat("0", int(scale)-len(s)+1) + s
	}
	s = s[:len(s)-int(scale)] + "." + s[len(s)-int(scale):]
	if neg {
		s = "-" + s
	}
	return s
}

// volume returns the row's volume: a finite number, not negative.
func (r *ParquetReader) volume(i int) (float64, error) {
	if err := r.null(i, fVolume); err != nil {
		return 0, err
	}
	c, cur := &r.cols[fVolume], r.cur[fVolume]
	var x float64
	switch c.kind {
	case pqDecimal:
		n := cur.ints[i]
		if c.scale <= 0 || int(c.scale) >= len(pow10) {
			x, _ = strconv.ParseFloat(decimalText(n, c.scale), 64)
		} else {
			x = float64(n) / float64(pow10[c.scale]) // both exact below 2^53: one rounding
			if n > 1<<53 || n < -1<<53 {
				x, _ = strconv.ParseFloat(decimalText(n, c.scale), 64)
			}
		}
	case pqInt:
		x = float64(cur.ints[i])
	case pqFloat:
		x = cur.floats[i]
	default:
		x, err := volumeText(trimSpace(cur.text[i]))
		if err != nil {
			return 0, r.fieldError(fVolume, err)
		}
		return x, nil
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, r.fieldError(fVolume, fmt.Errorf("invalid volume %v; expected a finite number", x))
	}
	if x < 0 {
		return 0, r.fieldError(fVolume, fmt.Errorf("volume %v must not be negative", x))
	}
	return x, nil
}

// fieldError makes an *Error for field f of the current row.
func (r *ParquetReader) fieldError(f field, err error) *Error {
	return &Error{File: r.name, Row: int(r.row), Field: r.cols[f].name, Err: err}
}

// OpenSource opens the file at path as a Source: with OpenParquet when it
// IsParquet, else with Open. The Source is an io.Closer, and its Digest
// method hashes the file as [Reader.Digest] and [ParquetReader.Digest] say.
func OpenSource(path string, opts Options) (Source, error) {
	if IsParquet(path) {
		r, err := OpenParquet(path, opts)
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	r, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	return r, nil
}
