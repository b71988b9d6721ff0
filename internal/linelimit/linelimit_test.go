package linelimit

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

func wrap(line int, err error) error { return fmt.Errorf("f:%d: %w", line, err) }

// TestLimits reads inputs one byte at a time, with no record start
// noted: the whole input is one record.
func TestLimits(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		max   int
		ahead int
		want  string // the error, or "" for none
	}{
		{"short lines", "ab\ncd\nef", 3, 100, ""},
		{"a line of max bytes", "abc\nabc\n", 3, 100, ""},
		{"a line over max", "ab\nabcd\nab\n", 3, 100, "f:2: line is longer than 3 bytes"},
		{"no newline", "abcdefgh", 3, 100, "f:1: line is longer than 3 bytes"},
		// No record start is noted: the record from line 1 grows past
		// max+ahead = 5 bytes.
		{"an open record", "ab\nab\nab\n", 3, 2, "f:1: the record starting on this line is longer than 3 bytes; is a closing quote missing?"},
		{"room ahead", "ab\nab\n", 3, 3, ""},
	}
	for _, tc := range tests {
		l := New(strings.NewReader(tc.in), tc.max, tc.ahead, wrap)
		got, err := io.ReadAll(iotestOneByte{l})
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if msg != tc.want {
			t.Errorf("%s: error %q, want %q", tc.name, msg, tc.want)
		}
		if l.Err() == nil != (tc.want == "") {
			t.Errorf("%s: Err() = %v", tc.name, l.Err())
		}
		if tc.want == "" && !bytes.Equal(got, []byte(tc.in)) {
			t.Errorf("%s: read %q", tc.name, got)
		}
	}
}

// TestRecordStart: a record that starts later is measured from its start
// and named by its line.
func TestRecordStart(t *testing.T) {
	l := New(strings.NewReader("ab\nab\nab\nab\n"), 3, 3, wrap)
	buf := make([]byte, 3)
	for i := 0; i < 2; i++ { // "ab\n" twice: records of lines 1 and 2
		if _, err := io.ReadFull(l, buf); err != nil {
			t.Fatal(err)
		}
		l.RecordStart(int64(3*(i+1)), i+2)
	}
	// The record of line 3 runs to the end: 6 bytes <= 3+3.
	if _, err := io.ReadAll(l); err != nil {
		t.Fatalf("error %v", err)
	}
	l = New(strings.NewReader("ab\nab\nab\nab\nab\n"), 3, 3, wrap)
	if _, err := io.ReadFull(l, buf); err != nil {
		t.Fatal(err)
	}
	l.RecordStart(3, 2)
	_, err := io.ReadAll(l)
	want := "f:2: the record starting on this line is longer than 3 bytes; is a closing quote missing?"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	if n, err := l.Read(buf); n != 0 || err != l.Err() {
		t.Errorf("Read after the failure = %d, %v", n, err)
	}
}

// iotestOneByte reads one byte at a time.
type iotestOneByte struct{ r io.Reader }

func (o iotestOneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}
