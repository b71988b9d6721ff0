package store

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// csvRecords splits b with encoding/csv, the independent method: each
// record's raw text between the reader's offsets.
func csvRecords(t *testing.T, b []byte) []string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	var out []string
	start := int64(0)
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		end := r.InputOffset()
		out = append(out, strings.TrimRight(string(b[start:end]), "\r\n"))
		start = end
	}
}

func TestCSVRows(t *testing.T) {
	for _, in := range []string{
		"",
		"a,b\n1,2\n",
		"a,b\n1,2",
		"a,b\r\n1,2\r\n",
		"h\n\"x,y\",z\n\"line\nbreak\",2\n\"say \"\"hi\"\"\",3\n",
		"id,reason\n7,\"rejected: \"\"max, order\"\"\nvalue\"\n8,ok\n",
		"\n\n",
		"a\n\"b\r\nc\",\"\"\"\"\n\"d\ne\"",
	} {
		got, err := CSVRows([]byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if want := csvRecords(t, []byte(in)); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if got, _ := CSVRows([]byte("h\n\n1\r\n\n2\n")); !slices.Equal(got, []string{"h", "1", "2"}) {
		t.Errorf("blank lines: %q", got)
	}
	if _, err := CSVRows([]byte("a\n\"open,1\n")); err == nil {
		t.Error("an open quoted field is no error")
	}
}
