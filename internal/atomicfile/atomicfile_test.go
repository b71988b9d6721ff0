package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n"); return err }); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "a,b\n" {
		t.Fatalf("read %q, %v; want \"a,b\\n\"", b, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	// A failing writer leaves the previous file and no temporary file.
	boom := errors.New("boom")
	err = Write(path, func(w io.Writer) error { io.WriteString(w, "partial"); return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a,b\n" {
		t.Errorf("after a failed write the file reads %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %v, want only out.csv", entries)
	}
}

// TestCreate: while a File is written its bytes are only in the temporary
// file it names; Commit puts them at the path, Abort leaves the path as
// it was; neither leaves the temporary file.
func TestCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sweep.html")
	for _, commit := range []bool{true, false} {
		f, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(f.TempName()) != dir || !strings.HasPrefix(filepath.Base(f.TempName()), ".sweep.html.") {
			t.Fatalf("temporary file %s, want .sweep.html.*.tmp in %s", f.TempName(), dir)
		}
		io.WriteString(f, "v2")
		if b, _ := os.ReadFile(path); commit && b != nil || !commit && string(b) != "v2" {
			t.Errorf("commit %v: before the end the path reads %q", commit, b)
		}
		if commit {
			if err := f.Commit(); err != nil {
				t.Fatal(err)
			}
		} else {
			f.Abort()
		}
		if b, _ := os.ReadFile(path); string(b) != "v2" {
			t.Errorf("commit %v: the path reads %q, want v2", commit, b)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("commit %v: folder holds %v, want only sweep.html", commit, entries)
		}
	}
}

// TestClose: Close makes the temporary file whole, mode 0644, without
// putting it at the path; Commit then renames it, or Abort removes it.
func TestClose(t *testing.T) {
	dir := t.TempDir()
	for _, commit := range []bool{true, false} {
		path := filepath.Join(dir, "AAA.parquet")
		os.Remove(path)
		f, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, "bars")
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(f.TempName())
		fi, _ := os.Stat(f.TempName())
		if err != nil || string(b) != "bars" || fi.Mode().Perm() != 0o644 {
			t.Fatalf("after Close the temporary file reads %q, %v, mode %v", b, err, fi.Mode().Perm())
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("after Close the path exists (%v)", err)
		}
		if err := f.Close(); err != nil {
			t.Fatalf("a second Close: %v", err)
		}
		if commit {
			if err := f.Commit(); err != nil {
				t.Fatal(err)
			}
		} else {
			f.Abort()
		}
		if b, _ := os.ReadFile(path); commit != (string(b) == "bars") {
			t.Errorf("commit %v: the path reads %q", commit, b)
		}
		if _, err := os.Stat(f.TempName()); !os.IsNotExist(err) {
			t.Errorf("commit %v: the temporary file is left (%v)", commit, err)
		}
	}
}
