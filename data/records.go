package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"io"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// records reads the CSV records of a Reader's input and hands them to
// csvutil. It reads what a csv.Reader with ReuseRecord set and Comma and
// FieldsPerRecord as configured reads, with the same lines, input offsets
// and errors, but splits plain lines itself, which costs a fraction of
// encoding/csv's general parse.
//
// A plain line is one without a quote character. As encoding/csv does,
// records reads a line with bufio.Reader.ReadSlice, drops its "\n" or
// "\r\n" (and a final "\r" at the end of the input), skips empty lines,
// trims nothing, and checks FieldsPerRecord. It splits a plain line on the
// delimiter into a record slice it reuses. The fields are substrings of
// one string made for the whole lines in about 4 KiB of bufio's buffer:
// one allocation for many lines instead of one a line, and a field kept
// keeps only those few KiB alive.
//
// The first line that contains a quote, and every line after it, go to a
// csv.Reader: from there to the end of the input records only passes its
// records on, with its line numbers and offsets moved on by the lines and
// bytes read before. Switching once, for the rest of the input, is the
// simplest scheme that is correct: a quoted field may span lines, and only
// encoding/csv knows where its record ends. Market data is most often
// plain throughout.
//
// records does not split lines itself when the delimiter is one that
// encoding/csv refuses, so that its error is encoding/csv's.
type records struct {
	br       *bufio.Reader
	comma    rune
	commaLen int
	fields   int // FieldsPerRecord, as in csv.Reader

	// Plain lines.
	line   int      // lines read, as csv.Reader counts them
	offset int64    // bytes read
	recLn  int      // line of the current record
	record []string // the current record, reused
	commas []int    // offsets of the delimiters in the current line
	long   []byte   // a line longer than br's buffer, put together
	text   string   // a line read and lines buffered after it, as one string
	tpos   int      // where the next line starts in text

	// After the switch to encoding/csv (or from the start when cr was
	// made by newCSVRecords).
	cr         *csv.Reader
	feed       lineFeeder
	baseLine   int   // lines read before cr's first
	baseOffset int64 // and bytes
}

// newRecords returns records reading br with delimiter comma, which is
// ',' when zero.
func newRecords(br *bufio.Reader, comma rune) *records {
	if comma == 0 {
		comma = ','
	}
	s := &records{br: br, comma: comma, commaLen: utf8.RuneLen(comma), fields: -1}
	if !validDelim(comma) {
		s.cr = newCSVReader(br, comma, s.fields)
	}
	return s
}

// newCSVRecords returns records that leave every line to a csv.Reader, as
// the Reader did before it split plain lines itself. Tests compare the
// two.
func newCSVRecords(br *bufio.Reader, comma rune) *records {
	s := newRecords(br, comma)
	if s.cr == nil {
		s.cr = newCSVReader(br, s.comma, s.fields)
	}
	return s
}

// newCSVReader returns a csv.Reader of rd configured as records reads.
func newCSVReader(rd io.Reader, comma rune, fields int) *csv.Reader {
	cr := csv.NewReader(rd)
	cr.Comma = comma
	cr.ReuseRecord = true
	cr.FieldsPerRecord = fields
	return cr
}

// validDelim reports whether encoding/csv accepts r as a delimiter.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// Read returns the next record, as csv.Reader.Read does. The record is
// valid until the next call. An error that concerns the record alone is a
// *csv.ParseError whose lines count from the start of the input.
func (s *records) Read() ([]string, error) {
	if s.cr != nil {
		return s.readCSV()
	}
	for {
		raw, text, err := s.readLine()
		if s.scan(raw) {
			s.switchToCSV(raw, err)
			return s.readCSV()
		}
		line := raw
		if n := len(line); n > 0 && err == io.EOF {
			err = nil
			if line[n-1] == '\r' {
				line = line[:n-1]
			}
		} else if n > 0 && line[n-1] == '\n' {
			line = line[:n-1]
			if n >= 2 && line[n-2] == '\r' {
				line = line[:n-2]
			}
		}
		if err == io.EOF {
			return nil, err
		}
		if err == nil && len(line) == 0 {
			continue // encoding/csv skips empty lines
		}
		s.split(text[:len(line)])
		s.recLn = s.line
		if s.fields > 0 {
			if len(s.record) != s.fields && err == nil {
				err = &csv.ParseError{StartLine: s.line, Line: s.line, Column: 1, Err: csv.ErrFieldCount}
			}
		} else if s.fields == 0 {
			s.fields = len(s.record)
		}
		return s.record, err
	}
}

// textBytes is about how much input records make one string of.
const textBytes = 4 << 10

// readLine reads the next line, as csv.Reader does: with its "\n", or
// without at the end of the input or on an error. Text is the line as a
// string. Lines are made strings about textBytes at a time: with a line
// come the whole lines already buffered after it, up to textBytes in all,
// and the lines that follow are cut from that string.
func (s *records) readLine() (raw []byte, text string, err error) {
	raw, err = s.br.ReadSlice('\n')
	long := err == bufio.ErrBufferFull
	if long {
		s.long = append(s.long[:0], raw...)
		for err == bufio.ErrBufferFull {
			raw, err = s.br.ReadSlice('\n')
			s.long = append(s.long, raw...)
		}
		raw = s.long
	}
	s.line++
	s.offset += int64(len(raw))
	switch {
	case s.tpos+len(raw) <= len(s.text):
		// The next line of s.text: the bytes that followed the line that
		// made it in br's buffer.
		text = s.text[s.tpos : s.tpos+len(raw)]
		s.tpos += len(raw)
	case err == nil && !long:
		n := min(s.br.Buffered(), max(textBytes-len(raw), 0))
		var b strings.Builder
		b.Grow(len(raw) + n)
		b.Write(raw)
		if n > 0 {
			rest, _ := s.br.Peek(n) // no read: n bytes are buffered
			b.Write(rest[:bytes.LastIndexByte(rest, '\n')+1])
		}
		s.text, s.tpos = b.String(), len(raw)
		text = s.text[:len(raw)]
	default:
		text = string(raw)
	}
	return raw, text, err
}

// scan reports whether line holds a quote. When the delimiter is a single
// byte, it also notes where the delimiters are, for split. It looks at
// eight bytes at a time.
func (s *records) scan(line []byte) (quote bool) {
	if s.commaLen != 1 {
		return bytes.IndexByte(line, '"') >= 0
	}
	c := byte(s.comma)
	cw := uint64(c) * ones
	at := s.commas[:0]
	i := 0
	for ; i+8 <= len(line); i += 8 {
		x := binary.LittleEndian.Uint64(line[i:])
		if zeroBytes(x^('"'*ones)) != 0 {
			return true
		}
		for m := zeroBytes(x ^ cw); m != 0; m &= m - 1 {
			at = append(at, i+bits.TrailingZeros64(m)>>3)
		}
	}
	for ; i < len(line); i++ {
		if b := line[i]; b == c {
			at = append(at, i)
		} else if b == '"' {
			return true
		}
	}
	s.commas = at
	return false
}

const (
	ones = 0x0101010101010101 // 1 in every byte of a word
	low7 = 0x7f7f7f7f7f7f7f7f // the low 7 bits of every byte
)

// zeroBytes returns a word with the high bit set in each byte of x that is
// zero, and every other bit clear.
func zeroBytes(x uint64) uint64 {
	return ^((x&low7 + low7) | x | low7)
}

// split splits line, scanned by scan, into s.record.
func (s *records) split(str string) {
	rec := s.record[:0]
	if s.commaLen == 1 {
		start := 0
		for _, i := range s.commas {
			if i >= len(str) {
				break
			}
			rec = append(rec, str[start:i])
			start = i + 1
		}
		s.record = append(rec, str[start:])
		return
	}
	for {
		i := strings.IndexRune(str, s.comma)
		if i < 0 {
			break
		}
		rec = append(rec, str[:i])
		str = str[i+s.commaLen:]
	}
	s.record = append(rec, str)
}

// switchToCSV hands the input to a csv.Reader, starting with raw, the line
// just read, and err, the error it came with.
func (s *records) switchToCSV(raw []byte, err error) {
	s.baseLine = s.line - 1
	s.baseOffset = s.offset - int64(len(raw))
	s.feed = lineFeeder{br: s.br, rest: raw, err: err}
	s.cr = newCSVReader(&s.feed, s.comma, s.fields)
}

// readCSV reads a record with the csv.Reader and counts its lines from
// the start of the input.
func (s *records) readCSV() ([]string, error) {
	rec, err := s.cr.Read()
	if pe, ok := err.(*csv.ParseError); ok {
		pe.StartLine += s.baseLine
		pe.Line += s.baseLine
	}
	return rec, err
}

// fieldLine returns the line of field i of the current record, as
// csv.Reader.FieldPos does.
func (s *records) fieldLine(i int) int {
	if s.cr != nil {
		line, _ := s.cr.FieldPos(i)
		return s.baseLine + line
	}
	return s.recLn
}

// inputOffset returns the offset in the input of the end of the current
// record, as csv.Reader.InputOffset does.
func (s *records) inputOffset() int64 {
	if s.cr != nil {
		return s.baseOffset + s.cr.InputOffset()
	}
	return s.offset
}

// fieldsPerRecord returns the number of fields each record must have,
// as csv.Reader.FieldsPerRecord says it.
func (s *records) fieldsPerRecord() int {
	if s.cr != nil {
		return s.cr.FieldsPerRecord
	}
	return s.fields
}

// setFieldsPerRecord sets the number of fields each record must have, as
// csv.Reader.FieldsPerRecord does.
func (s *records) setFieldsPerRecord(n int) {
	s.fields = n
	if s.cr != nil {
		s.cr.FieldsPerRecord = n
	}
}

// lineFeeder hands the csv.Reader the input after a switch: first the
// line records had read, then the rest of br, one line at a time. A
// csv.Reader reads through a bufio.Reader of its own; fed a line at a
// time, that buffer never holds input beyond the line the csv.Reader is
// reading, so the Reader's line limit sees the input read ahead of a
// record exactly as when the csv.Reader reads br itself.
type lineFeeder struct {
	br   *bufio.Reader
	rest []byte // of the current line, not yet handed over
	err  error  // the error that came with it, sticky
}

func (f *lineFeeder) Read(p []byte) (int, error) {
	if len(f.rest) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		line, err := f.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			err = nil
		}
		f.rest, f.err = line, err
		if len(line) == 0 {
			return 0, err
		}
	}
	n := copy(p, f.rest)
	f.rest = f.rest[n:]
	return n, nil
}
