// Package linelimit bounds the lines and records of a text input, so that
// a CSV reader fed through it fails on a file without newlines, or on a
// quoted field left open, instead of holding the rest of the file.
package linelimit

import (
	"bytes"
	"fmt"
	"io"
)

// Reader passes the input of another reader through and fails once a
// line, or a record, gets too long. A line is too long when it holds more
// than Max bytes before its newline. A record is too long when the bytes
// passed since it started exceed Max plus the read-ahead of the record
// reader it feeds; the record reader tells where each record starts with
// RecordStart. Once it has failed, every Read returns the same error.
type Reader struct {
	r     io.Reader
	max   int
	ahead int
	wrap  func(line int, err error) error

	lines    int   // newlines passed
	cur      int   // bytes of the current line so far
	total    int64 // bytes passed
	recStart int64 // offset where the next record starts
	recLine  int   // and its line
	err      error
}

// New returns a Reader of r with lines and records of at most max bytes,
// for a record reader that reads at most ahead bytes beyond the record it
// returns. wrap turns a failure on a line (counted from 1) into the error
// that Read and Err return, so that it names the file as its caller does.
func New(r io.Reader, max, ahead int, wrap func(line int, err error) error) *Reader {
	return &Reader{r: r, max: max, ahead: ahead, wrap: wrap, recLine: 1}
}

// Read reads from the underlying reader. It returns the bytes read and
// the limit's error when they pass a limit.
func (l *Reader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for b := p[:n]; len(b) > 0; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.cur += len(b)
			break
		}
		if l.cur+i > l.max {
			l.cur += i
			break
		}
		l.lines++
		l.cur = 0
		b = b[i+1:]
	}
	l.total += int64(n)
	switch {
	case l.cur > l.max:
		l.err = l.wrap(l.lines+1, fmt.Errorf("line is longer than %d bytes", l.max))
	case l.total-l.recStart > int64(l.max+l.ahead):
		l.err = l.wrap(l.recLine, fmt.Errorf("the record starting on this line is longer than %d bytes; is a closing quote missing?", l.max))
	}
	if l.err != nil {
		return n, l.err
	}
	return n, err
}

// RecordStart notes that the next record starts at offset, counted in
// bytes from the first byte l passed, on line (counted from 1).
func (l *Reader) RecordStart(offset int64, line int) {
	l.recStart = offset
	l.recLine = line
}

// Err returns the error of the limit passed, or nil while none is.
func (l *Reader) Err() error { return l.err }
