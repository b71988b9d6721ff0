package manifest_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantloop/quantloop/manifest"
)

// abc is the SHA-256 of "abc" (FIPS 180-2, appendix B.1).
const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

func TestHashes(t *testing.T) {
	if h := manifest.HashBytes("x", []byte("abc")); h != (manifest.FileHash{Path: "x", SHA256: abc, Bytes: 3}) {
		t.Errorf("HashBytes = %+v", h)
	}
	p := filepath.Join(t.TempDir(), "abc.csv")
	if err := os.WriteFile(p, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	if h, err := manifest.HashFile(p); err != nil || h != (manifest.FileHash{Path: p, SHA256: abc, Bytes: 3}) {
		t.Errorf("HashFile = %+v, %v", h, err)
	}
	if _, err := manifest.HashFile(p + ".missing"); err == nil || !strings.Contains(err.Error(), "abc.csv.missing") {
		t.Errorf("HashFile of a missing file: %v", err)
	}
}

// A manifest written with Write reads back equal with Read, and names its
// format; files of another format are refused with ErrFormat.
func TestWriteReadFormat(t *testing.T) {
	m := manifest.New(7, "config.yaml", []byte("abc"), []manifest.FileHash{{Path: "a.csv", SHA256: abc, Bytes: 3}})
	m.Outputs = []manifest.FileHash{manifest.HashBytes("trades.csv", []byte("abc"))}
	if m.Format != manifest.Format || m.Config.SHA256 != abc || m.Config.Path != "config.yaml" || m.Seed != 7 {
		t.Fatalf("New = %+v", m)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "{\n  \"format\": 2,\n") || !strings.HasSuffix(buf.String(), "}\n") {
		t.Errorf("manifest.json:\n%s", buf.String())
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := manifest.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Engine != m.Engine || len(got.Inputs) != 1 || got.Inputs[0] != m.Inputs[0] || got.Outputs[0] != m.Outputs[0] {
		t.Errorf("Read = %+v, want %+v", got, m)
	}

	tests := []struct {
		name, json, msg string
	}{
		{"no format key", `{"engine": "x", "inputs": []}`, "format 1, this quantloop reads format 2"},
		{"a later format", `{"format": 3}`, "format 3, this quantloop reads format 2"},
	}
	for _, tc := range tests {
		if err := os.WriteFile(p, []byte(tc.json), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := manifest.Read(p)
		if !errors.Is(err, manifest.ErrFormat) || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if err := manifest.CheckFormat("x.json", []byte(`[1]`)); err == nil || errors.Is(err, manifest.ErrFormat) {
		t.Errorf("not an object: %v", err)
	}
}
