package data

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigCSV is a valid daily CSV of n rows.
func bigCSV(n int) string {
	var b strings.Builder
	b.WriteString("time,open,high,low,close,volume\n")
	for i := range n {
		fmt.Fprintf(&b, "%d-%02d-%02d,10.00,11.00,9.00,10.50,%d\n", 2000+i/336, i/28%12+1, i%28+1, 100+i)
	}
	return b.String()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Digest is the SHA-256 of the whole file as the Reader read it, however
// far the CSV reading went, computed independently here with
// sha256.Sum256 of the file's content.
func TestDigest(t *testing.T) {
	big := bigCSV(3000) // beyond the 64 KiB read buffer
	if len(big) <= readBufferSize {
		t.Fatalf("%d bytes fit the buffer", len(big))
	}
	tests := []struct {
		name    string
		content string
		bars    int // bars to read before Digest; -1 for all
	}{
		{"read to the end", big, -1},
		{"stopped after one bar", big, 1},
		{"stopped before any bar", big, 0},
		{"byte order mark hashed too", "\ufeff" + bigCSV(3), -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTemp(t, "X.csv", tc.content)
			r, err := Open(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for i := 0; tc.bars < 0 || i < tc.bars; i++ {
				if _, err := r.Next(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatal(err)
				}
			}
			d, err := r.Digest()
			want := Digest{Path: p, SHA256: sha256.Sum256([]byte(tc.content)), Bytes: int64(len(tc.content))}
			if err != nil || d != want {
				t.Errorf("Digest = %x %d, %v; want %x %d", d.SHA256, d.Bytes, err, want.SHA256, want.Bytes)
			}
			if _, err := r.Next(); err != io.EOF {
				t.Errorf("Next after Digest: %v, want io.EOF", err)
			}
			if again, err := r.Digest(); err != nil || again != want {
				t.Errorf("second Digest = %x, %v", again.SHA256, err)
			}
		})
	}
}

// Bytes appended after the Reader met the end of the file were not read
// and are not in the digest; a file deleted by its path after Open is
// still read and hashed whole through the open file.
func TestDigestAppendedAndDeleted(t *testing.T) {
	content := bigCSV(3000)
	p := writeTemp(t, "X.csv", content)
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("2099-01-01,10.00,11.00,9.00,10.50,1\n")
	f.Close()
	if d, err := r.Digest(); err != nil || d.SHA256 != sha256.Sum256([]byte(content)) {
		t.Errorf("appended: Digest = %x, %v", d.SHA256, err)
	}

	p2 := writeTemp(t, "Y.csv", content)
	r2, err := Open(p2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if _, err := r2.Next(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p2); err != nil {
		t.Fatal(err)
	}
	if d, err := r2.Digest(); err != nil || d.SHA256 != sha256.Sum256([]byte(content)) || d.Bytes != int64(len(content)) {
		t.Errorf("deleted: Digest = %x %d, %v", d.SHA256, d.Bytes, err)
	}
}

func TestDigestErrors(t *testing.T) {
	r, err := NewReader(strings.NewReader(bigCSV(2)), "X.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Digest(); !errors.Is(err, errNoDigest) {
		t.Errorf("NewReader: Digest error %v", err)
	}
	p := writeTemp(t, "X.csv", bigCSV(2))
	r, err = Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := r.Digest(); err == nil || !strings.Contains(err.Error(), "closed first") {
		t.Errorf("after Close: Digest error %v", err)
	}
}

// Merged.Digests lists the files in source order and skips sources that
// are not files.
func TestMergedDigests(t *testing.T) {
	a, b := writeTemp(t, "A.csv", bigCSV(3)), writeTemp(t, "B.csv", bigCSV(5))
	ra, err := Open(a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Open(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mem, err := NewMemory("M", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(rb, mem, ra)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ds, err := m.Digests()
	if err != nil || len(ds) != 2 || ds[0].Path != b || ds[1].Path != a ||
		ds[0].SHA256 != sha256.Sum256([]byte(bigCSV(5))) || ds[1].SHA256 != sha256.Sum256([]byte(bigCSV(3))) {
		t.Errorf("Digests = %v, %v", ds, err)
	}
}
