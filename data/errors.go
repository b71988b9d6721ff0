package data

import (
	"strconv"
	"strings"
)

// Error describes bad input: a value that does not parse, a bar that breaks
// an OHLC rule, a time out of order, a header without a required column.
//
// File is the name the input was opened under. For sources built with
// [NewMemory] it is "memory:" followed by the symbol, Line is zero and Field
// names the bar as a Go expression, for example "bars[3].High".
// Line is the 1-based physical line in the file; zero means unknown.
// Row is the 1-based row of a Parquet file (see [ParquetReader]); zero
// for other inputs.
// Field is the column name as written in the header, or the canonical name
// ("time", "open", ...) when the file has no header.
type Error struct {
	File  string
	Line  int
	Row   int
	Field string
	Err   error
}

// Error returns the error as "file:line: field "Name": message" (for a
// Parquet file "file: row N: field "Name": message"), leaving out the parts
// that are empty or zero.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File != "" {
			b.WriteByte(':')
		} else {
			b.WriteString("line ")
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Row > 0 {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(e.Row))
	}
	if e.Field != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString("field ")
		b.WriteString(strconv.Quote(e.Field))
	}
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
