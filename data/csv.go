package data

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jszwec/csvutil"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/linelimit"
)

// MaxLineBytes is the length of the longest line, and of the longest record,
// that a Reader accepts. A longer one is an error, so that a file without
// newlines or with an unclosed quote cannot make the Reader hold it whole.
const MaxLineBytes = 1 << 20

// maxKeptErrors is how many errors a Reader keeps under SkipBadRow.
const maxKeptErrors = 10

// HeaderMode says whether the first line of a file names its columns.
type HeaderMode int

const (
	// HeaderAuto treats the first line as a header unless its first field
	// parses as a time.
	HeaderAuto HeaderMode = iota
	// HeaderPresent says the first line is a header. Columns are found by
	// name, unless Options.Order is set.
	HeaderPresent
	// HeaderAbsent says every line is a bar. Columns are found by position.
	HeaderAbsent
	// HeaderSkip says the first line is a header whose names are wrong or
	// unusable: it is skipped and columns are found by position, from
	// Options.Order or guessed from the first data row. It reads files
	// whose header does not match their rows.
	HeaderSkip
)

// BadRowPolicy says what a Reader does with a row that fails to parse or
// breaks a rule.
type BadRowPolicy int

const (
	// FailOnBadRow makes Next return the row's error. Later calls return it
	// again.
	FailOnBadRow BadRowPolicy = iota
	// SkipBadRow makes Next skip the row and go on. Reader.Skipped counts
	// the skipped rows and keeps the first few errors. Errors that end the
	// input (an I/O error, an overlong line) are still returned.
	SkipBadRow
)

// Options configures a Reader. The zero value reads the common layouts.
type Options struct {
	// Symbol names the instrument. The default is the base name of the file
	// without its extension.
	Symbol string
	// Columns gives header names for fields whose column the usual
	// spellings do not find. Names match case-insensitively.
	Columns Columns
	// Header says whether the first line is a header.
	Header HeaderMode
	// Order maps columns by position, for files without a usable header:
	// the canonical field name of each column, one of "time", "date",
	// "clock", "open", "high", "low", "close", "volume", or "" to ignore
	// it. Columns past the end of Order are ignored. "date" and "clock"
	// are a date column and a time-of-day column that together make the
	// timestamp; "date" alone means "time". When Order is set, a header
	// line (see Header) is skipped. When Order is nil and columns are mapped
	// by position, it is guessed from the first data row:
	// time,open,high,low,close[,volume], or
	// date,clock,open,high,low,close[,volume] when the second field is a
	// time of day.
	Order []string
	// TimeLayout is the Go time layout of the time column (or of the date
	// column when date and time of day are separate). By default the layout
	// is detected from the first data row, and every later row must have
	// the same one. Detected layouts: 2006-01-02, 2006-01-02 15:04,
	// 2006-01-02 15:04:05 (with an optional fraction of a second, a "T"
	// in place of the space, and an optional zone Z or ±07:00), 20060102,
	// unix seconds (up to 10 digits, but 8 digits read as 20060102) and
	// unix milliseconds (13 digits).
	TimeLayout string
	// Location is the zone of times that carry none, and the zone unix
	// times are shown in. The default is UTC.
	Location *time.Location
	// Comma is the field delimiter. The default is ','.
	Comma rune
	// BadRows says what to do with a bad row.
	BadRows BadRowPolicy
	// Adjust says whether prices are read as written (RawPrices) or
	// scaled by the adjusted close (AdjustPrices; see Adjust).
	Adjust Adjust
}

// Columns names the header columns of the canonical fields. An empty name
// leaves the field to the usual spellings: Date, Datetime, Date/Time,
// Timestamp or Time for the time (Date and Time together as date and time
// of day); Open or O; High or H; Low or L; Close, Last or C; Volume, Vol or
// V; under AdjustPrices, Adj Close, Adj_Close, AdjClose or Adjusted Close
// for the adjusted close, which is otherwise never read. Volume is
// optional.
type Columns struct {
	Time   string // the whole timestamp
	Date   string // the date, when the time of day is in column Clock
	Clock  string // the time of day ("15:04:05" or "15:04")
	Open   string
	High   string
	Low    string
	Close  string
	Volume string
	// AdjClose is the adjusted close, read under AdjustPrices only.
	AdjClose string
}

// A Reader reads bars of one symbol from CSV text, one row at a time. It
// checks every row: prices are positive decimal numbers, the volume is not
// negative, low <= min(open, close) <= max(open, close) <= high, and times
// strictly increase.
type Reader struct {
	name   string
	symbol string
	closer io.Closer
	rowPolicy

	lim  *linelimit.Reader
	bom  int // bytes of a byte order mark before the records
	recs *records
	src  replaySource
	dec  *csvutil.Decoder
	row  rawRow

	cols    columnMap
	names   []string // column names for messages
	byName  bool     // columns mapped by header names
	tp      timeParser
	layout  string     // Options.TimeLayout
	tf      timeFormat // format of the time (or date) column
	cf      timeFormat // format of the clock column
	tfLine  int        // line the formats were detected on
	hasPrev bool
	prev    time.Time
	prevT   string // text of the previous accepted time
	prevC   string // and of its clock
	prevLn  int    // and its line

	adjust bool // scale prices by the adjusted close (AdjustPrices)

	// The file Open opened, hashed as it is read (see Digest).
	hashed    *hashingReader
	digested  bool
	digestErr error
}

// replaySource hands csvutil a record read ahead to look at, then the rest.
type replaySource struct {
	recs    *records
	pending []string
}

func (s *replaySource) Read() ([]string, error) {
	if rec := s.pending; rec != nil {
		s.pending = nil
		return rec, nil
	}
	return s.recs.Read()
}

// Open opens the file at path for NewReader, which it names the file by in
// errors. The Reader hashes the file's bytes as it reads them (see
// [Reader.Digest]). The caller must Close the Reader.
func Open(path string, opts Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	h := newHashingReader(f)
	r, err := NewReader(h, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer, r.hashed = f, h
	return r, nil
}

// NewReader returns a Reader of the CSV text from rd. Name identifies the
// input in errors, and its base name without extension is the default
// symbol. NewReader reads the header line (or the first row when there is
// none) and reports a bad header or bad options as an *Error. A file with
// a header and no rows is not an error: its Reader returns io.EOF at once.
func NewReader(rd io.Reader, name string, opts Options) (*Reader, error) {
	return newReader(rd, name, opts, newRecords)
}

// newReader is NewReader with the records it reads made by newRecs.
func newReader(rd io.Reader, name string, opts Options, newRecs func(*bufio.Reader, rune) *records) (*Reader, error) {
	r := &Reader{name: name, symbol: opts.Symbol, rowPolicy: rowPolicy{policy: opts.BadRows}, layout: opts.TimeLayout}
	if r.symbol == "" {
		base := filepath.Base(name)
		r.symbol = strings.TrimSuffix(base, filepath.Ext(base))
		if r.symbol == "" || r.symbol == "." || base == string(filepath.Separator) {
			return nil, &Error{File: name, Err: errors.New("no symbol: set Options.Symbol or name the input")}
		}
	}
	r.tp.loc = opts.Location
	if r.tp.loc == nil {
		r.tp.loc = time.UTC
	}
	if opts.Columns != (Columns{}) && opts.Order != nil {
		return nil, &Error{File: name, Err: errors.New("set Options.Columns or Options.Order, not both")}
	}
	if opts.Header < HeaderAuto || opts.Header > HeaderSkip {
		return nil, &Error{File: name, Err: fmt.Errorf("unknown Options.Header %d", opts.Header)}
	}
	if opts.BadRows != FailOnBadRow && opts.BadRows != SkipBadRow {
		return nil, &Error{File: name, Err: fmt.Errorf("unknown Options.BadRows %d", opts.BadRows)}
	}
	if err := opts.Adjust.check(); err != nil {
		return nil, &Error{File: name, Err: err}
	}
	r.adjust = opts.Adjust == AdjustPrices
	if opts.TimeLayout != "" {
		r.tf = timeFormat{kind: kindLayout, layout: opts.TimeLayout}
	}

	r.lim = linelimit.New(rd, MaxLineBytes, readBufferSize, func(line int, err error) error {
		return &Error{File: name, Line: line, Err: err}
	})
	br := bufio.NewReaderSize(r.lim, readBufferSize)
	if b, err := br.Peek(len(utf8BOM)); err == nil && string(b) == utf8BOM {
		br.Discard(len(utf8BOM))
		r.bom = len(utf8BOM)
	}
	r.recs = newRecs(br, opts.Comma)
	r.src.recs = r.recs

	first, err := r.recs.Read()
	if err == io.EOF {
		return nil, &Error{File: name, Err: errors.New("the file is empty; expected a header line or rows of bars")}
	}
	if err != nil || r.lim.Err() != nil {
		return nil, r.readError(err)
	}
	// Copies of the fields, which the Reader keeps: the records' strings
	// may share a buffer's worth of input.
	first = append([]string(nil), first...)
	for i, f := range first {
		first[i] = strings.Clone(f)
	}
	r.recordRead()

	header := true
	switch opts.Header {
	case HeaderAbsent:
		header = false
	case HeaderAuto:
		header = !r.looksLikeTime(first[0])
	}
	byName := header && opts.Header != HeaderSkip && opts.Order == nil
	if !byName && opts.Columns != (Columns{}) {
		return nil, &Error{File: name, Err: errors.New("Options.Columns needs a header line with column names; use Options.Order for columns by position")}
	}

	if byName {
		r.byName = true
		r.names = make([]string, len(first))
		for i, h := range first {
			r.names[i] = strings.TrimSpace(h)
		}
		r.cols, err = mapHeader(r.names, opts.Columns, r.adjust)
		if err != nil {
			e := &Error{File: name, Line: 1, Err: err}
			var mc *missingColumnError
			if errors.As(err, &mc) {
				e.Field = mc.field
				if len(first) == 1 {
					e.Field = ""
					e.Err = fmt.Errorf("the header %q is a single column; %s", first[0], delimiterHint(first[0], r.recs.comma))
				}
			}
			return nil, e
		}
		r.recs.setFieldsPerRecord(len(first))
	} else {
		row, line := first, 1
		if header {
			rec, err := r.recs.Read()
			if err == io.EOF {
				r.err = io.EOF // a header and no rows
				return r, nil
			}
			if err != nil || r.lim.Err() != nil {
				return nil, r.readError(err)
			}
			row = rec
			line = r.recs.fieldLine(0)
		}
		order := opts.Order
		if order == nil {
			if order, err = autoOrder(row); err != nil {
				return nil, &Error{File: name, Line: line, Err: err}
			}
		}
		if r.cols, err = mapOrder(order, len(row), r.adjust); err != nil {
			return nil, &Error{File: name, Line: line, Err: err}
		}
		r.names = r.cols.header
		r.src.pending = row
		r.recs.setFieldsPerRecord(len(row))
	}
	r.dec, err = csvutil.NewDecoder(&r.src, r.cols.header...)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	return r, nil
}

const (
	utf8BOM        = "\ufeff"
	readBufferSize = 64 << 10
)

// delimiterHint suggests a delimiter for a header read as one column.
func delimiterHint(s string, comma rune) string {
	for _, d := range []rune{';', '\t', '|', ','} {
		if d != comma && strings.ContainsRune(s, d) {
			return fmt.Sprintf("the delimiter looks like %q, not %q: set it with --delimiter (Options.Comma)", d, comma)
		}
	}
	return fmt.Sprintf("expected columns separated by %q (or set --delimiter, Options.Comma)", comma)
}

// looksLikeTime reports whether s parses as a timestamp, which tells a row
// of data from a header.
func (r *Reader) looksLikeTime(s string) bool {
	s = strings.TrimSpace(s)
	if r.layout != "" {
		_, err := time.ParseInLocation(r.layout, s, r.tp.loc)
		return err == nil
	}
	f, ok := detectTime(s)
	if !ok {
		return false
	}
	_, st := r.tp.parse(f, s)
	return st == parseOK
}

// Symbol returns the symbol of the bars.
func (r *Reader) Symbol() string { return r.symbol }

// Bars returns the number of bars Next has returned. After io.EOF, zero
// means the file had a header and no rows (or, under SkipBadRow, only bad
// rows).
func (r *Reader) Bars() int { return r.bars }

// Skipped returns the number of rows skipped under SkipBadRow and the
// errors of the first few of them.
func (r *Reader) Skipped() (int, []*Error) { return r.skipped, r.kept }

// Close closes the file opened by Open. For a Reader made by NewReader it
// does nothing.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// Next returns the next bar, or io.EOF after the last one. An error in the
// data is an *Error naming the file, line and column.
func (r *Reader) Next() (engine.Bar, error) {
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

// next reads and checks one row. Fatal says that the error ends the input;
// otherwise it concerns this row alone and reading may go on.
func (r *Reader) next() (bar engine.Bar, fatal bool, err error) {
	err = r.dec.Decode(&r.row)
	if r.lim.Err() != nil {
		return bar, true, r.lim.Err()
	}
	if err != nil {
		if err == io.EOF {
			return bar, true, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return bar, false, r.parseError(pe)
		}
		return bar, true, r.readError(err)
	}
	r.recordRead()
	bar, err = r.convert()
	return bar, false, err
}

// convert parses and checks the decoded row.
func (r *Reader) convert() (engine.Bar, error) {
	row := &r.row
	var t time.Time
	var err error
	if r.cols.split() {
		t, err = r.dateClock(row.Date, row.Clock)
	} else {
		t, err = r.timestamp(row.Time)
	}
	if err != nil {
		return engine.Bar{}, err
	}
	bar := engine.Bar{Symbol: r.symbol, Time: t}
	if bar.Open, err = r.price(fOpen, row.Open); err != nil {
		return bar, err
	}
	if bar.High, err = r.price(fHigh, row.High); err != nil {
		return bar, err
	}
	if bar.Low, err = r.price(fLow, row.Low); err != nil {
		return bar, err
	}
	if bar.Close, err = r.price(fClose, row.Close); err != nil {
		return bar, err
	}
	if r.cols.col[fVolume] >= 0 {
		if bar.Volume, err = r.volume(row.Volume); err != nil {
			return bar, err
		}
	}
	if r.adjust {
		if err := r.adjustBar(&bar, row.AdjClose); err != nil {
			return bar, err
		}
	}
	if f, err := checkOHLC(bar.Open, bar.High, bar.Low, bar.Close); err != nil {
		if r.adjust {
			err = fmt.Errorf("adjusted: %w", err)
		}
		return bar, r.fieldError(f, err)
	}
	tf := fTime
	if r.cols.split() {
		tf = fDate
	}
	line := r.line(tf)
	if r.hasPrev && !t.After(r.prev) {
		prev, cur := r.prevT, row.Time
		if r.cols.split() {
			prev += " " + r.prevC
			cur = row.Date + " " + row.Clock
		}
		return bar, r.fieldError(tf, fmt.Errorf("time %s is not after the previous row's %s (line %d); times must strictly increase",
			strings.TrimSpace(cur), strings.TrimSpace(prev), r.prevLn))
	}
	r.hasPrev, r.prev, r.prevLn = true, t, line
	if r.cols.split() {
		r.prevT, r.prevC = row.Date, row.Clock
	} else {
		r.prevT = row.Time
	}
	return bar, nil
}

// checkOHLC checks low <= min(open, close) <= max(open, close) <= high and
// returns the field to blame.
func checkOHLC(o, h, l, c engine.Price) (field, error) {
	if h < l {
		return fHigh, fmt.Errorf("high %s is below low %s", h, l)
	}
	if hi := max(o, c); h < hi {
		return fHigh, fmt.Errorf("high %s is below max(open, close) %s", h, hi)
	}
	if lo := min(o, c); l > lo {
		return fLow, fmt.Errorf("low %s is above min(open, close) %s", l, lo)
	}
	return 0, nil
}

// timestamp parses the time column.
func (r *Reader) timestamp(s string) (time.Time, error) {
	s = trimSpace(s)
	if r.tf.kind == kindLayout {
		t, err := time.ParseInLocation(r.tf.layout, s, r.tp.loc)
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
		t, st := r.tp.parse(f, s)
		if st != parseOK {
			return t, r.timeError(fTime, s, st, f)
		}
		r.tf, r.tfLine = f, r.line(fTime)
		return t, nil
	}
	t, st := r.tp.parse(r.tf, s)
	if st != parseOK {
		return t, r.timeError(fTime, s, st, r.tf)
	}
	return t, nil
}

// dateClock parses separate date and time-of-day columns.
func (r *Reader) dateClock(ds, cs string) (time.Time, error) {
	ds, cs = trimSpace(ds), trimSpace(cs)
	var date time.Time
	switch r.tf.kind {
	case kindLayout:
		var err error
		if date, err = time.ParseInLocation(r.tf.layout, ds, r.tp.loc); err != nil {
			return date, r.fieldError(fDate, fmt.Errorf("date %q does not match Options.TimeLayout %q", ds, r.tf.layout))
		}
	case kindNone:
		f, ok := detectTime(ds)
		if !ok || !f.isDate() {
			return date, r.fieldError(fDate, fmt.Errorf("date %q is not in a known layout; expected 2006-01-02 or 20060102 (or set Options.TimeLayout)", ds))
		}
		var st parseStatus
		if date, st = r.tp.parse(f, ds); st != parseOK {
			return date, r.timeError(fDate, ds, st, f)
		}
		r.tf = f
	default:
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
		t, st := addClock(date, f, cs)
		if st != parseOK {
			return t, r.timeError(fClock, cs, st, f)
		}
		r.cf, r.tfLine = f, r.line(fDate)
		return t, nil
	}
	t, st := addClock(date, r.cf, cs)
	if st != parseOK {
		return t, r.timeError(fClock, cs, st, r.cf)
	}
	return t, nil
}

// timeError describes text s that failed to parse in format f.
func (r *Reader) timeError(fl field, s string, st parseStatus, f timeFormat) error {
	if st == parseRange {
		return r.fieldError(fl, fmt.Errorf("time %q is out of range (month, day, hour, minute or second); expected layout %s", s, f))
	}
	if r.tfLine == 0 {
		return r.fieldError(fl, fmt.Errorf("time %q is not in layout %s", s, f))
	}
	return r.fieldError(fl, fmt.Errorf("time %q does not match the layout %s of the first row (line %d); every row must use the same layout",
		s, f, r.tfLine))
}

// price parses a price and checks that it is positive.
func (r *Reader) price(f field, s string) (engine.Price, error) {
	p, err := priceText(trimSpace(s))
	if err != nil {
		return 0, r.fieldError(f, err)
	}
	return p, nil
}

// volume parses a volume: a finite number, not negative.
func (r *Reader) volume(s string) (float64, error) {
	v, err := volumeText(trimSpace(s))
	if err != nil {
		return 0, r.fieldError(fVolume, err)
	}
	return v, nil
}

// line returns the line of field f in the current row.
func (r *Reader) line(f field) int {
	return r.recs.fieldLine(r.cols.col[f])
}

// fieldError makes an *Error for field f of the current row.
func (r *Reader) fieldError(f field, err error) *Error {
	i := r.cols.col[f]
	return &Error{File: r.name, Line: r.recs.fieldLine(i), Field: r.names[i], Err: err}
}

// parseError turns a csv.ParseError into an *Error.
func (r *Reader) parseError(pe *csv.ParseError) *Error {
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		n := len(r.dec.Record())
		var err error
		switch {
		case !r.byName:
			err = fmt.Errorf("the first row has %d fields but this row has %d", r.recs.fieldsPerRecord(), n)
		case r.bars == 0 && r.skipped == 0:
			err = fmt.Errorf("header has %d columns but this row has %d; if the header is wrong, map columns by position with --header skip (Options.Header = HeaderSkip) or give them with --order (Options.Order)",
				len(r.names), n)
		default:
			err = fmt.Errorf("header has %d columns but this row has %d", len(r.names), n)
		}
		return &Error{File: r.name, Line: pe.StartLine, Err: err}
	}
	return &Error{File: r.name, Line: pe.Line, Err: fmt.Errorf("column %d: %w", pe.Column, pe.Err)}
}

// readError turns an error from reading into an *Error.
func (r *Reader) readError(err error) error {
	if r.lim.Err() != nil {
		return r.lim.Err()
	}
	if e, ok := err.(*Error); ok {
		return e
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: r.name, Line: pe.Line, Err: fmt.Errorf("column %d: %w", pe.Column, pe.Err)}
	}
	return &Error{File: r.name, Err: err}
}

// trimSpace trims ASCII spaces, quickly when there are none.
func trimSpace(s string) string {
	if s != "" && (s[0] <= ' ' || s[len(s)-1] <= ' ') {
		return strings.TrimSpace(s)
	}
	return s
}

// recordRead tells the line limit that the next record starts where the
// records stand.
func (r *Reader) recordRead() {
	r.lim.RecordStart(r.recs.inputOffset()+int64(r.bom), r.recs.fieldLine(0)+1)
}
