// Package atomicfile writes a file so that it appears whole or not at all:
// through a temporary file beside it, renamed into place once complete.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write writes the file at path through fn, buffered, into a temporary
// file ".NAME.*.tmp" in the same folder, and renames it to path once fn,
// the flush and the close have succeeded; the file gets mode 0644. On any
// error the temporary file is removed and path is left as it was. Errors
// are wrapped with the path.
func Write(path string, fn func(io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// A File is a file being written as Write writes one: its bytes go,
// buffered, to a temporary file beside its path until Commit renames it
// into place or Abort removes it. Close completes the temporary file
// without renaming it, so that several files can be made whole before
// any is put in place.
type File struct {
	path   string
	tmp    *os.File
	bw     *bufio.Writer
	closed bool
}

// Create starts the file at path in a temporary file ".NAME.*.tmp" in the
// same folder.
func Create(path string) (*File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &File{path: path, tmp: tmp, bw: bufio.NewWriterSize(tmp, 1<<16)}, nil
}

// Write writes b to the temporary file.
func (f *File) Write(b []byte) (int, error) { return f.bw.Write(b) }

// TempName returns the path of the temporary file.
func (f *File) TempName() string { return f.tmp.Name() }

// Close flushes the temporary file, gives it mode 0644 and closes it,
// leaving it beside the path for Commit. On error the temporary file is
// removed and the path is left as it was. A second call does nothing.
func (f *File) Close() (err error) {
	if f.closed {
		return nil
	}
	f.closed = true
	defer func() {
		if err != nil {
			os.Remove(f.tmp.Name())
			err = fmt.Errorf("write %s: %w", f.path, err)
		}
	}()
	if err := f.bw.Flush(); err != nil {
		f.tmp.Close()
		return err
	}
	if err := f.tmp.Chmod(0o644); err != nil {
		f.tmp.Close()
		return err
	}
	return f.tmp.Close()
}

// Commit closes the temporary file (see Close) and renames it to the
// file's path. On error the temporary file is removed and the path is
// left as it was.
func (f *File) Commit() error {
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file, leaving the path as it
// was.
func (f *File) Abort() {
	if !f.closed {
		f.closed = true
		f.tmp.Close()
	}
	os.Remove(f.tmp.Name())
}
